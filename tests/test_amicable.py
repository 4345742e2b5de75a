"""AmicableModel: estimator contract, calibration, determinism, unseen categories, scoring."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from recovery_analytics.amicable import (
    SCORE_COLUMNS,
    AmicableModel,
    apply_calibration,
    attach_attributes,
    card_markdown,
    fit_calibration,
    harmful_features,
    score_portfolio,
    train_model,
    training_snapshots,
)
from recovery_analytics.demo import generate_demo
from recovery_analytics.portfolio import InputError, Portfolio
from recovery_analytics.state import portfolio_state

# the mechanics of the full model (selection has its own tests)
FAST = {
    "n_estimators": 40,
    "learning_rate": 0.1,
    "num_threads": 1,
    "early_stopping_rounds": 10,
    "model_selection": "full",
}


@pytest.fixture(scope="module")
def portfolio():
    return generate_demo(300, seed=7)


@pytest.fixture(scope="module")
def snaps(portfolio):
    return training_snapshots(portfolio)


@pytest.fixture(scope="module")
def model(portfolio, snaps):
    extra = portfolio.extra_features
    return AmicableModel(
        **FAST,
        extra_numeric=tuple(extra.get("numeric", ())),
        extra_categorical=tuple(extra.get("categorical", ())),
    ).fit(snaps)


@pytest.fixture(scope="module")
def state(portfolio):
    st = portfolio_state(portfolio, portfolio.events["date"].max())
    return attach_attributes(st[st["is_open"]].reset_index(drop=True), portfolio)


# -- estimator contract ----------------------------------------------------------------
# sklearn's parametrize_with_checks feeds numpy arrays with arbitrary columns; this
# estimator is fitted on a DataFrame of snapshots whose label columns are part of X
# (like lifelines), so we check the contract's rules one by one instead.


def test_init_only_stores_params_and_clone_works():
    est = AmicableModel(n_estimators=7, extra_numeric=("bureau_score",))
    assert est.get_params()["n_estimators"] == 7
    assert not [k for k in vars(est) if k.endswith("_")]
    twin = clone(est)
    assert twin.get_params() == est.get_params() and twin is not est
    assert est.set_params(num_leaves=15) is est and est.num_leaves == 15


def test_predict_before_fit_raises(state):
    with pytest.raises(NotFittedError):
        AmicableModel().predict_p(state)


def test_fit_returns_self_and_learned_attributes(snaps):
    est = AmicableModel(**FAST)
    params = est.get_params()
    assert est.fit(snaps) is est
    assert est.get_params() == params  # fit does not touch the parameters
    for attr in ("classifier_", "regressor_", "calibration_", "categories_", "window_"):
        assert hasattr(est, attr)
    assert est.n_features_in_ == len(est.feature_names_)
    assert est.window_["train_end"] < est.window_["calibration_start"]  # later slice


# -- predictions ---------------------------------------------------------------------


def test_probabilities_fractions_and_euros_are_bounded(model, state):
    proba = model.predict_proba(state)
    assert proba.shape == (len(state), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert ((proba >= 0) & (proba <= 1)).all()
    frac = model.predict_fraction(state)
    assert ((frac >= 0) & (frac <= 1)).all()
    out = model.score_frame(state)
    assert (out["expected_recovery_eur"] <= state["outstanding_eur"] + 1e-9).all()
    np.testing.assert_allclose(out["p_amicable"], proba[:, 1])
    assert set(model.predict(state)) <= {0, 1}


def test_model_ranks_better_than_chance(model, snaps):
    from sklearn.metrics import roc_auc_score

    later = snaps[snaps["as_of"] >= pd.Timestamp(model.window_["calibration_start"])]
    assert roc_auc_score(later["recovered"], model.predict_p(later)) > 0.7


def test_same_data_and_seed_give_identical_predictions(snaps, model, state):
    again = AmicableModel(**clone(model).get_params()).fit(snaps)
    np.testing.assert_array_equal(again.predict_p(state), model.predict_p(state))
    np.testing.assert_array_equal(again.predict_fraction(state), model.predict_fraction(state))


def test_shuffling_rows_changes_nothing(snaps, model, state):
    shuffled = snaps.sample(frac=1.0, random_state=3).reset_index(drop=True)
    refit = clone(model).fit(shuffled)
    np.testing.assert_array_equal(refit.predict_p(state), model.predict_p(state))
    perm = state.sample(frac=1.0, random_state=4)
    by_claim = pd.Series(model.predict_p(perm), index=perm["claim_id"].to_numpy())
    expected = pd.Series(model.predict_p(state), index=state["claim_id"].to_numpy())
    pd.testing.assert_series_equal(by_claim.sort_index(), expected.sort_index())


# -- calibration --------------------------------------------------------------------


def test_calibration_keeps_or_improves_brier_on_the_later_slice(model, snaps):
    later = snaps[snaps["as_of"] >= pd.Timestamp(model.window_["calibration_start"])]
    y = later["recovered"].to_numpy(dtype=float)
    raw = model.classifier_.predict(model.transform_features(later))
    cal = model.predict_p(later)
    assert np.mean((cal - y) ** 2) <= np.mean((raw - y) ** 2) + 1e-12
    assert model.calibration_["brier_calibrated"] == pytest.approx(np.mean((cal - y) ** 2))


def test_isotonic_parameters_are_plain_thresholds():
    raw = np.array([0.1, 0.2, 0.3, 0.4])
    y = np.array([0.0, 1.0, 0.0, 1.0])
    cal = fit_calibration(raw, y, np.arange(4), method="isotonic")
    # pool-adjacent-violators: (1, 0) pooled to 0.5 -> 0, .5, .5, 1
    assert all(isinstance(v, float) for v in [*cal["x"], *cal["y"]])  # JSON-ready
    np.testing.assert_allclose(apply_calibration(raw, cal), [0.0, 0.5, 0.5, 1.0])
    assert cal["brier_calibrated"] == pytest.approx(0.125)  # 2 rows off by 0.5


def test_platt_recovers_a_known_sigmoid():
    rng = np.random.default_rng(0)
    raw = rng.uniform(0.02, 0.98, size=20_000)
    logit = np.log(raw / (1 - raw))
    y = (rng.uniform(size=raw.size) < 1 / (1 + np.exp(-(0.5 * logit - 1.0)))).astype(float)
    cal = fit_calibration(raw, y, np.arange(raw.size), method="platt")
    assert cal["a"] == pytest.approx(0.5, abs=0.05)
    assert cal["b"] == pytest.approx(-1.0, abs=0.06)
    assert cal["brier_calibrated"] < cal["brier_raw"]


def test_auto_calibration_uses_platt_on_small_slices():
    rng = np.random.default_rng(1)
    raw = rng.uniform(size=200)
    y = (rng.uniform(size=200) < raw).astype(float)
    assert fit_calibration(raw, y, np.arange(200))["method"] in ("platt", "none")


def test_claims_not_yet_due_and_overdue_are_calibrated_apart():
    rng = np.random.default_rng(2)
    not_due = rng.uniform(size=4000) < 0.4
    raw = rng.uniform(0.05, 0.95, size=4000)
    # the same raw score means more for a claim not yet due than for an overdue one
    truth = np.where(not_due, np.clip(raw + 0.3, 0, 1), raw * 0.5)
    y = (rng.uniform(size=4000) < truth).astype(float)
    cal = fit_calibration(raw, y, np.arange(4000), method="platt", segment=not_due)
    assert set(cal["segments"]) == {"not_yet_due", "overdue"}
    p = apply_calibration(raw, cal, not_due)
    for mask in (not_due, ~not_due):  # each segment's mean prediction matches its rate
        assert p[mask].mean() == pytest.approx(y[mask].mean(), abs=0.01)
    pooled = apply_calibration(raw, cal)  # without the segments: the pooled mapping
    assert abs(pooled[not_due].mean() - y[not_due].mean()) > 0.05
    assert cal["brier_calibrated"] == pytest.approx(np.mean((p - y) ** 2))


def test_the_model_is_trained_on_claims_not_yet_due_too(model, snaps):
    assert (snaps["days_past_due"] <= 0).any() and (snaps["days_past_due"] > 0).any()
    assert model.window_["train_rows"] + model.window_["calibration_rows"] <= len(snaps)


def test_a_noise_category_with_many_levels_is_left_out(snaps):
    # 60 "offices" that happen to go with the outcome in the older snapshots and not later:
    # the trees learn them, the later slice says they do not hold
    rng = np.random.default_rng(5)
    dates = np.sort(snaps["as_of"].unique())
    older = (snaps["as_of"] < dates[int(0.75 * len(dates))]).to_numpy()
    spurious = np.where(
        snaps["recovered"].to_numpy(),
        rng.integers(0, 30, len(snaps)),
        rng.integers(30, 60, len(snaps)),
    )
    office = np.where(
        older & (rng.random(len(snaps)) < 0.8), spurious, rng.integers(0, 60, len(snaps))
    )
    noisy = snaps.assign(office=office.astype(str))
    model = AmicableModel(
        n_estimators=60,
        num_threads=1,
        extra_categorical=("office",),
        check_categoricals=True,
        model_selection="full",
    ).fit(noisy)
    assert "office" in model.dropped_features_
    d = model.dropped_features_["office"]
    assert d["levels"] == 60 and d["log_loss_without"] < d["log_loss_with"]
    assert "office" not in model.feature_names_ and "office" not in model.categories_
    assert model.predict_p(noisy).shape == (len(noisy),)  # scores without it
    kept = AmicableModel(
        n_estimators=60,
        num_threads=1,
        extra_categorical=("office",),
        check_categoricals=False,
        model_selection="full",
    ).fit(noisy)
    assert "office" in kept.feature_names_ and kept.dropped_features_ == {}


def test_permutation_check_flags_a_feature_that_does_not_hold_later(snaps):
    # a "score" that follows the outcome in the older snapshots and the opposite way in the
    # later slice: the trees lean on it, shuffling it on the later slice lowers the log loss
    rng = np.random.default_rng(3)
    dates = np.sort(snaps["as_of"].unique())
    older = (snaps["as_of"] < dates[int(0.8 * len(dates))]).to_numpy()
    y = snaps["recovered"].to_numpy().astype(bool)
    score = np.where(older == y, 1.0, 0.0) + 0.3 * rng.standard_normal(len(snaps))
    noisy = snaps.assign(score=score)
    model = AmicableModel(**FAST, extra_numeric=("score",)).fit(noisy)
    check = model.feature_check_
    assert check["rows"] == model.window_["calibration_rows"]
    assert check["features"]["score"]["increase"] < -2 * check["features"]["score"]["se"]
    assert "score" in harmful_features(check)
    # a feature that does hold: the age of the claim
    age = check["features"]["days_past_due"]
    assert age["increase"] > 2 * age["se"] > 0 and "days_past_due" not in harmful_features(check)
    # sorted by decreasing rise; deterministic
    rises = [f["increase"] for f in check["features"].values()]
    assert rises == sorted(rises, reverse=True)
    again = AmicableModel(**FAST, extra_numeric=("score",)).fit(noisy)
    assert again.feature_check_ == check
    # the model card says it
    card = card_markdown({**_card_stub(), "feature_check": check})
    assert "Permutation check" in card and "shuffling score lowers the log loss" in card


def _card_stub() -> dict:
    """The least a card needs to be written (the markdown reads what is there)."""
    return {"selection": {"chosen": "full"}, "features": [], "dropped_features": {}}


def _small_ledger(seed: int) -> Portfolio:
    """~100 customers, ~1,700 invoices, payments only: a small firm's ledger."""
    pf = generate_demo(600, seed=seed)
    top = pf.claims["debtor_id"].value_counts().index[:100]
    claims = pf.claims[pf.claims["debtor_id"].isin(top)].reset_index(drop=True)
    ev = pf.events[pf.events["claim_id"].isin(claims["claim_id"])]
    return Portfolio(
        debtors=pf.debtors[pf.debtors["debtor_id"].isin(top)].reset_index(drop=True),
        claims=claims,
        events=ev[ev["type"] == "payment"].reset_index(drop=True),
    )


def test_a_small_ledger_gets_the_model_its_data_support():
    _, card = train_model(_small_ledger(2), num_threads=1)
    sel = card["selection"]
    assert set(sel["log_loss"]) == {"aging", "small", "full"}
    assert sel["chosen"] in ("aging", "small")  # the full model overfits 100 customers
    kept = sel["log_loss"][sel["chosen"]]
    assert kept <= min(sel["log_loss"].values()) * (1 + 0.002 * 2)
    # the chosen model ranks who pays at least as well as the customer's usual delay
    strat = {s["strategy"]: s for s in card["strategies"]}
    auc = card["metrics"]["by_segment"]["overdue"]["roc_auc"]
    assert auc >= strat["usual_delay_vs_age"]["roc_auc"]
    assert len(card["features"]) == sel["features"] < 20


def test_model_selection_can_be_switched_off(snaps):
    full = AmicableModel(**FAST).fit(snaps)
    assert full.selection_ == {"chosen": "full"}
    auto = AmicableModel(**{**FAST, "model_selection": "auto"}).fit(snaps)
    assert auto.selection_["chosen"] in ("aging", "small", "full")
    assert set(auto.selection_["log_loss"]) == {"aging", "small", "full"}


# -- unseen categories, missing features --------------------------------------------


def test_unseen_category_is_scored_as_unknown_and_reported(model, state, snaps):
    assert "department" in model.categorical_features_
    odd = state.copy()
    odd.loc[0, "department"] = "ZZ"
    unknown = state.copy()
    unknown.loc[0, "department"] = pd.NA
    p_odd, p_unknown = model.predict_p(odd), model.predict_p(unknown)
    np.testing.assert_array_equal(p_odd, p_unknown)
    assert model.score_frame(odd)["n_unseen_categories"].tolist()[:2] == [1, 0]
    before = model.unseen_categories(state)
    after = model.unseen_categories(odd)
    assert len(after) == len(before) + 1
    assert after.query("value == 'ZZ'").to_dict(orient="records") == [
        {"feature": "department", "value": "ZZ", "rows": 1}
    ]
    # every category of the training snapshots is known
    assert model.unseen_categories(snaps).empty


def test_missing_feature_column_names_the_feature(model, state):
    with pytest.raises(InputError, match="days_past_due"):
        model.predict_p(state.drop(columns=["days_past_due"]))


# -- train_model / score_portfolio ---------------------------------------------------


def test_score_portfolio_columns_and_reasons_only_where_asked(portfolio, model):
    as_of = portfolio.events["date"].max()
    out = score_portfolio(portfolio, model, as_of, with_reasons=5)
    assert list(out.columns) == list(SCORE_COLUMNS)
    st = portfolio_state(portfolio, as_of)
    assert sorted(out["claim_id"]) == sorted(st.loc[st["is_open"], "claim_id"])
    assert out["reason_1"].notna().sum() == 5
    top5 = out.nlargest(5, "expected_recovery_eur")["claim_id"]
    assert out.set_index("claim_id").loc[top5, "reason_1"].notna().all()
    assert out["reason_1"].dropna().str.match(r"^[+−] \S").all()
    assert out.attrs["unseen_categories"] == model.unseen_categories(
        attach_attributes(st[st["is_open"]], portfolio)
    ).to_dict(orient="records")
    none = score_portfolio(portfolio, model, as_of)
    assert none["reason_1"].isna().all()
    np.testing.assert_allclose(none["p_amicable"], out["p_amicable"])


def test_small_ledger_with_payments_only_trains_and_scores():
    """A small firm's ledger: a few hundred invoices, payments only, no reminders."""
    rng = np.random.default_rng(5)
    n = 1500
    inv = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 540, n), unit="D")
    claims = pd.DataFrame(
        {
            "claim_id": [f"F{i:05d}" for i in range(n)],
            "debtor_id": [f"D{i:03d}" for i in rng.integers(0, 120, n)],
            "invoice_date": inv,
            "due_date": inv + pd.Timedelta(days=30),
            "amount": rng.lognormal(7, 1, n).round(2),
        }
    ).astype({"claim_id": "str", "debtor_id": "str", "invoice_date": "datetime64[ns]"})
    claims["due_date"] = claims["due_date"].astype("datetime64[ns]")
    debtors = pd.DataFrame(
        {"debtor_id": [f"D{i:03d}" for i in range(120)], "debtor_type": "B2B"}
    ).astype("str")
    slow = rng.uniform(size=120)[claims["debtor_id"].str[1:].astype(int)]
    delay = rng.exponential(20 + 200 * slow)
    paid = delay < 400
    events = pd.DataFrame(
        {
            "claim_id": claims.loc[paid, "claim_id"],
            "date": (claims.loc[paid, "due_date"] + pd.to_timedelta(delay[paid].round(), unit="D")),
            "type": "payment",
            "amount": claims.loc[paid, "amount"],
        }
    ).astype({"claim_id": "str", "type": "str", "date": "datetime64[ns]"})
    events = events[events["date"] <= pd.Timestamp("2025-09-30")].reset_index(drop=True)
    pf = Portfolio(debtors=debtors, claims=claims, events=events)
    model, card = train_model(pf, horizon_days=60, every_days=21, **FAST)
    assert card["metrics"]["rows"] > 0 and 0 <= card["metrics"]["roc_auc"] <= 1
    assert "held-out" in card["summary"]
    assert model.horizon_days_ == 60
    out = score_portfolio(pf, model, "2025-09-30", with_reasons=3)
    assert len(out) > 0 and out["p_amicable"].between(0, 1).all()
    assert out["reason_1"].notna().sum() == 3


def test_train_model_on_too_little_data_says_what_is_missing():
    pf = generate_demo(20, seed=1, history_days=60)
    with pytest.raises(InputError, match="training needs"):
        train_model(pf, **FAST)


def test_trees_do_not_see_the_labels_of_the_calibration_slice(snaps):
    """Embargo inside fit: the trees learn only from snapshots whose label window ended
    before the later slice (early stopping, calibration) starts."""
    est = AmicableModel(**FAST).fit(snaps)
    w = est.window_
    assert w["embargo"] is True
    horizon = (snaps["label_end"] - snaps["as_of"]).dt.days.max()
    gap = (pd.Timestamp(w["calibration_start"]) - pd.Timestamp(w["train_end"])).days
    assert gap >= horizon
    older = snaps["as_of"] < pd.Timestamp(w["calibration_start"])
    assert w["train_rows"] == int((older & (snaps["label_end"] <= w["calibration_start"])).sum())
    assert w["train_rows"] < int(older.sum())
    # too short a history for an embargo: trains on all older snapshots instead
    few = snaps[snaps["as_of"].isin(np.sort(snaps["as_of"].unique())[:5])]
    short = AmicableModel(**FAST).fit(few)
    assert short.window_["embargo"] is False
    assert short.window_["train_rows"] == int((few["as_of"] < few["as_of"].max()).sum())


def test_the_euros_regressor_is_grown_again_on_the_whole_window(snaps):
    """refit_regressor: with the trees early stopping chose, the (uncalibrated) regressor
    learns from the later slice too; the classifier and its probabilities are untouched."""
    est = AmicableModel(**FAST).fit(snaps)
    old = AmicableModel(**FAST, refit_regressor=False).fit(snaps)
    chosen = old.regressor_.best_iteration or old.regressor_.current_iteration()
    assert est.regressor_.num_trees() == chosen
    np.testing.assert_array_equal(est.predict_p(snaps), old.predict_p(snaps))
    later = snaps["as_of"] >= pd.Timestamp(est.window_["calibration_start"])
    y = snaps.loc[later, "recovered_fraction"].to_numpy()

    def loss(m):
        f = np.clip(m.predict_fraction(snaps[later]), 1e-6, 1 - 1e-6)
        return float(-np.mean(y * np.log(f) + (1 - y) * np.log(1 - f)))

    assert loss(est) < loss(old)


@pytest.mark.slow
def test_demo_targets_model_beats_every_baseline():
    """Issue targets on the demo's held-out period (see docs/model.md for the figures)."""
    pf = generate_demo(5000, seed=0)
    _, card = train_model(pf, num_threads=1)
    m = card["metrics"]
    strat = {s["strategy"]: s for s in card["strategies"]}
    weak = ("oldest_first", "largest_first", "fastest_payer_first")
    best_eur = max(strat[b]["captured_eur"] for b in weak)
    assert strat["model_expected_eur"]["captured_eur"] > best_eur
    # against the strong baselines too: AUC +0.037 [+0.032, +0.043], euros +2.0 points [+1.0, +3.2]
    assert m["margin_auc_low"] > 0 and m["verdict_auc"] == "beats"
    assert m["margin_share"] > 0
    # calibrated on both segments: 0.009 overdue, 0.015 not yet due
    assert m["by_segment"]["overdue"]["ece"] <= 0.03
    assert m["by_segment"]["not_yet_due"]["ece"] <= 0.03


# -- state given by the caller, look-back, extra features without a mapping ----------


def test_score_portfolio_reuses_a_given_state(portfolio, model):
    as_of = portfolio.events["date"].max()
    own = score_portfolio(portfolio, model, as_of, with_reasons=3)
    full = portfolio_state(portfolio, as_of)
    for given in (full, full[full["is_open"]].reset_index(drop=True)):
        out = score_portfolio(portfolio, model, as_of, with_reasons=3, state=given)
        pd.testing.assert_frame_equal(out, own)
        assert out.attrs == own.attrs
    with pytest.raises(ValueError, match="state must be the portfolio state at"):
        score_portfolio(portfolio, model, as_of - pd.Timedelta(days=1), state=full)
    # a state with another look-back than the model's is recomputed, not used
    other = portfolio_state(portfolio, as_of, history_days=30)
    assert not other["debtor_hist_claims"].equals(full["debtor_hist_claims"])
    pd.testing.assert_frame_equal(
        score_portfolio(portfolio, model, as_of, with_reasons=3, state=other), own
    )


def test_model_remembers_the_history_look_back(portfolio, snaps, model):
    assert model.history_days_ == 365 == snaps.attrs["history_days"]
    short = training_snapshots(portfolio, history_days=90)
    m90 = AmicableModel(**FAST).fit(short)
    assert m90.history_days_ == 90
    as_of = portfolio.events["date"].max()
    # scoring computes the state with the model's look-back
    st = portfolio_state(portfolio, as_of, history_days=90, only_open=True)
    expected = m90.predict_p(attach_attributes(st, portfolio))
    np.testing.assert_allclose(score_portfolio(portfolio, m90, as_of)["p_amicable"], expected)


def test_extra_features_are_found_without_a_mapping(portfolio, model):
    """A model trained with bureau_score/segment scores the same data read back unmapped."""
    assert {"bureau_score", "segment"} <= set(model.feature_names_)
    as_of = portfolio.events["date"].max()
    unmapped = Portfolio(portfolio.debtors, portfolio.claims, portfolio.events)
    assert unmapped.extra_features == {}
    pd.testing.assert_frame_equal(
        score_portfolio(unmapped, model, as_of, with_reasons=5),
        score_portfolio(portfolio, model, as_of, with_reasons=5),
    )
    table = "debtors" if "bureau_score" in portfolio.debtors else "claims"
    parts = {"debtors": portfolio.debtors, "claims": portfolio.claims}
    parts[table] = parts[table].drop(columns=["bureau_score"])
    lacking = Portfolio(parts["debtors"], parts["claims"], portfolio.events)
    with pytest.raises(InputError, match=r"needs column 'bureau_score' \(extra feature"):
        score_portfolio(lacking, model, as_of)
