"""Evaluation: hand-worked metrics, captured euros, baselines, time split, model card."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from recovery_analytics.amicable import (
    AmicableModel,
    captured_at_capacity,
    captured_curve,
    card_markdown,
    evaluate,
    expected_calibration_error,
    model_card,
    reliability_table,
    strategy_scores,
    time_split,
    training_snapshots,
)
from recovery_analytics.demo import generate_demo
from recovery_analytics.portfolio import InputError

D = pd.Timestamp


def test_reliability_table_and_ece_by_hand():
    y = np.array([0, 0, 1, 1, 1, 0])
    p = np.array([0.05, 0.15, 0.15, 0.85, 0.95, 0.95])
    t = reliability_table(y, p, n_bins=2)
    # bin [0, .5): p .05 .15 .15 -> mean .1167, 1 of 3 recovered; bin [.5, 1]: .85 .95 .95
    assert t["n"].tolist() == [3.0, 3.0]
    assert t["mean_predicted"].tolist() == pytest.approx([0.35 / 3, 2.75 / 3])
    assert t["observed_rate"].tolist() == pytest.approx([1 / 3, 2 / 3])
    ece = (3 * abs(1 / 3 - 0.35 / 3) + 3 * abs(2 / 3 - 2.75 / 3)) / 6
    assert expected_calibration_error(y, p, n_bins=2) == pytest.approx(ece)
    ten = reliability_table(y, p)
    assert (
        len(ten) == 10 and ten["n"].sum() == 6 and ten.loc[9, "n"] == 2
    )  # p = 1 goes in the last bin
    assert reliability_table(np.array([1]), np.array([1.0]))["n"].iloc[-1] == 1


def test_captured_euros_by_hand_with_two_dates_and_ties():
    scores = pd.DataFrame(
        {
            "as_of": [D("2025-01-01")] * 4 + [D("2025-02-01")] * 3,
            "claim_id": ["a", "b", "c", "d", "a", "b", "c"],
            "recovered_eur": [0.0, 50.0, 10.0, 40.0, 5.0, 0.0, 30.0],
            "mine": [4.0, 3.0, 3.0, 1.0, 1.0, 1.0, 0.0],
        }
    )
    scores["perfect_hindsight"] = scores["recovered_eur"]
    out = captured_at_capacity(scores, 0.5, ["mine", "perfect_hindsight"]).set_index("strategy")
    # date 1: ceil(.5*4)=2 claims: a (4) then b (3, tie with c broken by claim_id) -> 0 + 50
    # date 2: ceil(.5*3)=2 claims: a, b (tie at 1 broken by id) -> 5 + 0
    # the two dates overlap in time: they are averaged, never summed
    assert out.loc["mine", "claims_worked"] == 2.0
    assert out.loc["mine", "captured_eur"] == (50.0 + 5.0) / 2
    assert out.loc["mine", "total_eur"] == (100.0 + 35.0) / 2
    assert out.loc["mine", "captured_share"] == pytest.approx((50 / 100 + 5 / 35) / 2)
    assert (out.loc["mine", "share_min"], out.loc["mine", "share_max"]) == pytest.approx(
        (5 / 35, 0.5)
    )
    # hindsight: date 1 takes b and d (90 of 100), date 2 takes c and a (35 of 35)
    assert out.loc["perfect_hindsight", "captured_eur"] == (90.0 + 35.0) / 2
    assert out.loc["perfect_hindsight", "captured_share"] == pytest.approx((0.9 + 1.0) / 2)
    assert out.loc["mine", "share_of_perfect"] == pytest.approx(55 / 125)
    # shuffling the rows changes nothing
    again = captured_at_capacity(scores.sample(frac=1, random_state=0), 0.5, ["mine"])
    assert again["captured_eur"].iloc[0] == 27.5
    curve = captured_curve(scores, [0.25, 0.5, 1.0], ["mine"])
    # 1 claim per date at 25 % (a: 0 and a: 5), all of them at 100 %
    assert curve["captured_eur"].tolist() == [2.5, 27.5, 67.5]
    assert curve["captured_share"].tolist()[-1] == 1.0
    pooled = captured_curve(scores, [0.5], ["mine"], per_date=False)
    assert pooled["captured_share"].iloc[0] == pytest.approx(55 / 135)


def test_time_split_is_by_date_with_an_embargo():
    dates = pd.date_range("2025-01-01", periods=8, freq="14D")
    snaps = pd.DataFrame({"as_of": np.repeat(dates, 2), "claim_id": ["a", "b"] * 8}).assign(
        label_end=lambda d: d["as_of"] + pd.Timedelta(days=30)
    )
    train, test = time_split(snaps, test_fraction=0.25)
    assert sorted(test["as_of"].unique()) == list(dates[-2:])
    first_test = dates[-2]
    assert (train["label_end"] <= first_test).all()
    # 30-day labels: the two dates just before the holdout are embargoed
    assert sorted(train["as_of"].unique()) == list(dates[:4])
    no_gap, _ = time_split(snaps, 0.25, embargo=False)
    assert no_gap["as_of"].nunique() == 6
    with pytest.raises(InputError, match="2 or more dates"):
        time_split(snaps[snaps["as_of"] == dates[0]])


def test_fastest_payer_baseline_fills_missing_history_with_the_date_median():
    class Dummy:
        def score_frame(self, s):
            return pd.DataFrame({"p_amicable": 0.5, "expected_recovery_eur": 1.0}, index=s.index)

    snaps = pd.DataFrame(
        {
            "as_of": [D("2025-01-01")] * 3,
            "claim_id": ["a", "b", "c"],
            "recovered": [True, False, True],
            "recovered_eur": [10.0, 0.0, 5.0],
            "outstanding_eur": [10.0, 20.0, 5.0],
            "days_past_due": [5, 50, 10],
            "debtor_hist_mean_days_late": [2.0, np.nan, 30.0],
        }
    )
    s = strategy_scores(Dummy(), snaps)
    assert s["fastest_payer_first"].tolist() == [-2.0, -16.0, -30.0]
    assert s["oldest_first"].tolist() == [5.0, 50.0, 10.0]
    assert s["largest_first"].tolist() == [10.0, 20.0, 5.0]
    assert s["model_p_x_outstanding"].tolist() == [5.0, 10.0, 2.5]


@pytest.fixture(scope="module")
def evaluation():
    pf = generate_demo(300, seed=11)
    snaps = training_snapshots(pf)
    train, test = time_split(snaps)
    model = AmicableModel(n_estimators=40, learning_rate=0.1, num_threads=1).fit(train)
    return model, train, test, evaluate(model, test, train=train)


def test_evaluate_metrics_agree_with_sklearn(evaluation):
    model, _, test, ev = evaluation
    m = ev["metrics"]
    p = model.predict_p(test)
    y = test["recovered"].to_numpy(dtype=float)
    assert m["roc_auc"] == pytest.approx(roc_auc_score(y, p))
    assert m["brier"] == pytest.approx(np.mean((p - y) ** 2))
    assert m["base_rate"] == pytest.approx(y.mean())
    assert m["rows"] == len(test) and m["dates"] == test["as_of"].nunique()
    assert 0 <= m["ece"] <= 1 and m["lift_top_decile"] > 1
    strat = ev["strategies"].set_index("strategy")
    assert set(strat.index) >= {"oldest_first", "largest_first", "fastest_payer_first"}
    # nothing beats hindsight, and the hindsight captures all euros at full capacity
    assert (strat["captured_eur"] <= strat.loc["perfect_hindsight", "captured_eur"] + 1e-6).all()
    full = ev["curve"][ev["curve"]["capacity"] == 1.0]
    per_date = test.groupby("as_of")["recovered_eur"].sum().mean()  # dates averaged, not summed
    assert full["captured_eur"].to_numpy() == pytest.approx(per_date)
    assert len(ev["reliability"]) == 10


def test_model_card_is_json_and_markdown(evaluation):
    model, train, test, ev = evaluation
    card = model_card(model, train, test, ev, horizon_days=90, every_days=14)
    text = json.dumps(card, default=str)
    assert json.loads(text)["evaluation_test"]["rows"] == len(test)
    assert card["evaluation_train"]["last_as_of"] < card["evaluation_test"]["first_as_of"]
    assert {f["feature"] for f in card["features"]} == set(model.feature_names_)
    assert "lightgbm" in card["versions"]
    md = card_markdown(card)
    for section in (
        "## Metrics",
        "## Euros captured at 10% capacity",
        "## Features",
        "oldest_first",
    ):
        assert section in md


# --------------------------------------------------------------------------- strong baselines


def test_weighted_metrics_equal_duplicated_rows():
    from recovery_analytics.amicable._bootstrap import weighted_auc, weighted_brier, weighted_ece

    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 200).astype(float)
    s = np.round(rng.random(200), 2)  # ties on purpose
    w = rng.integers(0, 4, 200).astype(float)
    rows = np.repeat(np.arange(200), w.astype(int))  # the same sample, rows repeated
    assert weighted_auc(y, s, np.ones((1, 200)))[0] == pytest.approx(roc_auc_score(y, s))
    assert weighted_auc(y, s, w[None])[0] == pytest.approx(roc_auc_score(y[rows], s[rows]))
    assert weighted_ece(y, s, w[None])[0] == pytest.approx(
        expected_calibration_error(y[rows], s[rows])
    )
    assert weighted_brier(y, s, w[None])[0] == pytest.approx(np.mean((s[rows] - y[rows]) ** 2))


def test_claim_bootstrap_resamples_whole_claims_and_is_deterministic():
    from recovery_analytics.amicable._bootstrap import claim_weight_blocks

    claims = pd.Series(["a", "a", "b", "c", "c", "c"])
    (w,) = claim_weight_blocks(claims, 50, seed=1)
    assert w.shape == (50, 6)
    assert (w[:, 0] == w[:, 1]).all() and (w[:, 3] == w[:, 5]).all()  # a claim's rows together
    assert (w[:, [0, 2, 3]].sum(axis=1) == 3).all()  # 3 claims drawn each time
    (again,) = claim_weight_blocks(claims, 50, seed=1)
    assert (again == w).all()


def test_baselines_are_fitted_on_the_training_slice_only(evaluation):
    from recovery_analytics.amicable import Baselines

    _, train, test, ev = evaluation
    fitted = Baselines().fit(train)
    scored = fitted.scores(test)
    # the aging curve of the test rows is the training rate of their bucket
    assert set(np.round(scored["aging_curve_p"], 12)) <= set(np.round(fitted.bucket_rate_, 12))
    # the evaluation used those fitted on train, not on test
    refit_on_test = Baselines().fit(test).scores(test)["aging_curve_p"]
    got = ev["scores"]["aging_curve_p"].to_numpy()
    assert got == pytest.approx(scored["aging_curve_p"].to_numpy())
    assert not np.allclose(got, refit_on_test.to_numpy())


def test_evaluation_reports_margins_with_intervals_and_says_the_verdict(evaluation):
    model, _, test, ev = evaluation
    m = ev["metrics"]
    strat = ev["strategies"].set_index("strategy")
    base = strat[strat["kind"] == "baseline"]
    assert m["best_baseline"] == base["captured_share"].idxmax()
    assert m["margin_share"] == pytest.approx(
        strat.loc["model_expected_eur", "captured_share"] - base["captured_share"].max()
    )
    assert m["margin_share_low"] <= m["margin_share"] <= m["margin_share_high"]
    assert m["verdict_eur"] in {"beats", "does not beat", "is worse than"}
    assert (m["margin_share_low"] > 0) == (m["verdict_eur"] == "beats")
    # AUC only for the orders that rank who pays, never for euro-valued orders
    assert strat.loc[["largest_first", "model_expected_eur"], "roc_auc"].isna().all()
    assert strat.loc[["youngest_first", "oldest_first"], "roc_auc"].notna().all()
    probs = ev["probabilities"].set_index("score")
    assert set(probs.index) == {"p_amicable", "aging_curve_p", "logistic_p"}
    assert (probs["auc_low"] <= probs["roc_auc"]).all() and (
        probs["roc_auc"] <= probs["auc_high"]
    ).all()
    # the orders are compared on the collectors' pool (overdue claims); both segments reported
    seg = m["by_segment"]
    assert probs.loc["p_amicable", "roc_auc"] == pytest.approx(seg["overdue"]["roc_auc"])
    assert seg["overdue"]["rows"] + seg["not_yet_due"]["rows"] == m["rows"] == len(test)
    assert m["pool_rows"] == seg["overdue"]["rows"]
    not_due = test["days_past_due"].to_numpy() <= 0
    p_not_due = model.predict_p(test)[not_due]
    y_not_due = test["recovered"].to_numpy(float)[not_due]
    assert seg["not_yet_due"]["roc_auc"] == pytest.approx(roc_auc_score(y_not_due, p_not_due))
    # the intervals are reproducible
    again = evaluate(model, test, train=evaluation[1])
    assert again["metrics"]["margin_share_low"] == m["margin_share_low"]
