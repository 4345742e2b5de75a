"""Training snapshots: schedule, hand-worked labels, no leakage, too-little-data errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from recovery_analytics.amicable import (
    LABEL_COLUMNS,
    attach_attributes,
    available_features,
    feature_frame,
    label_snapshots,
    snapshot_dates,
    training_snapshots,
)
from recovery_analytics.demo import generate_demo
from recovery_analytics.portfolio import InputError, Portfolio
from recovery_analytics.state import HISTORY_DAYS, portfolio_state, portfolio_states

D = pd.Timestamp


def _events(rows):
    ev = pd.DataFrame(rows, columns=["claim_id", "date", "type", "amount"])
    ev["date"] = pd.to_datetime(ev["date"])
    ev["amount"] = ev["amount"].astype("float64")
    ev["promise_date"] = pd.Series(pd.NaT, index=ev.index, dtype="datetime64[ns]")
    return ev.astype({"claim_id": "str", "type": "str"})


def _portfolio(n_claims=40, paid_every=2, start="2025-01-01", days=400, events=None):
    """A small firm's ledger: B2B invoices, payments only (no reminders logged)."""
    ids = [f"C{i:03d}" for i in range(n_claims)]
    inv = pd.date_range(start, periods=n_claims, freq=f"{days // n_claims}D")
    claims = pd.DataFrame(
        {
            "claim_id": ids,
            "debtor_id": [f"D{i % 7}" for i in range(n_claims)],
            "invoice_date": inv,
            "due_date": inv + pd.Timedelta(days=30),
            "amount": np.linspace(100, 5000, n_claims).round(2),
        }
    ).astype({"claim_id": "str", "debtor_id": "str"})
    debtors = pd.DataFrame(
        {"debtor_id": [f"D{i}" for i in range(7)], "debtor_type": ["B2B"] * 7}
    ).astype("str")
    if events is None:
        # every other claim paid 40 days after its due date, the rest never paid
        paid = claims.iloc[::paid_every]
        events = _events(
            {
                "claim_id": paid["claim_id"],
                "date": paid["due_date"] + pd.Timedelta(days=40),
                "type": "payment",
                "amount": paid["amount"],
            }
        )
    return Portfolio(debtors=debtors, claims=claims, events=events)


def test_snapshot_dates_anchor_on_last_usable_date():
    ev = pd.DataFrame({"date": pd.to_datetime(["2025-01-01", "2025-12-31"])})
    dates = snapshot_dates(ev, horizon_days=90, every_days=14)
    # last usable = 2025-12-31 - 90 days = 2025-10-02; then back by 14 days
    assert dates[-1] == D("2025-10-02")
    assert dates[-2] == D("2025-09-18")
    assert dates[0] >= D("2025-01-01") and dates[0] - pd.Timedelta(days=14) < D("2025-01-01")
    assert (pd.Series(dates).diff().dropna() == pd.Timedelta(days=14)).all()
    assert dates.dtype == "datetime64[ns]"
    limited = snapshot_dates(
        ev, horizon_days=90, every_days=14, start="2025-09-01", end="2025-10-01"
    )
    assert limited.tolist() == [D("2025-09-03"), D("2025-09-17"), D("2025-10-01")]


def test_labels_worked_by_hand():
    as_of = D("2025-03-31")
    states = pd.DataFrame(
        {
            "claim_id": [
                "paid",
                "tol",
                "judicial",
                "credit",
                "writeoff",
                "late",
                "partial",
                "mixed",
            ],
            "as_of": [as_of] * 8,
            "outstanding_eur": [1000.0, 1000.0, 800.0, 500.0, 200.0, 300.0, 400.0, 500.0],
        }
    )
    events = _events(
        [
            ("paid", "2025-03-31", "payment", 5000.0),  # on as_of: not in the window
            ("paid", "2025-04-10", "payment", 600.0),
            ("paid", "2025-06-29", "payment", 400.0),  # day 90: in the window
            ("tol", "2025-05-01", "payment", 991.0),  # 9 EUR left <= 1 % of 1000
            ("judicial", "2025-04-05", "payment", 100.0),
            ("judicial", "2025-05-01", "judicial_filing", np.nan),
            ("judicial", "2025-05-02", "payment", 700.0),  # after filing: not amicable
            ("credit", "2025-04-15", "credit_note", 500.0),
            ("writeoff", "2025-04-15", "payment", 50.0),
            ("writeoff", "2025-05-15", "write_off", np.nan),
            ("late", "2025-06-30", "payment", 300.0),  # day 91: outside
            ("partial", "2025-04-20", "payment", 100.0),
            ("mixed", "2025-04-02", "credit_note", 200.0),  # a return, then the rest in cash
            ("mixed", "2025-04-25", "payment", 300.0),
        ]
    )
    out = label_snapshots(states, events, horizon_days=90).set_index("claim_id")
    assert set(LABEL_COLUMNS) <= set(out.columns)
    assert out.loc["paid", "label_end"] == D("2025-06-29")
    expected = {
        # claim: (recovered, recovered_eur, recovered_fraction)
        "paid": (True, 1000.0, 1.0),
        "tol": (True, 991.0, 0.991),
        "judicial": (False, 100.0, 0.125),
        "credit": (False, 0.0, 0.0),  # closed by a credit note: cancelled, not recovered
        "writeoff": (False, 50.0, 0.25),
        "late": (False, 0.0, 0.0),
        "partial": (False, 100.0, 0.25),
        "mixed": (True, 300.0, 0.6),  # paid what was still owed
    }
    for claim, (rec, eur, frac) in expected.items():
        assert out.loc[claim, "recovered"] == rec, claim
        assert out.loc[claim, "recovered_eur"] == pytest.approx(eur), claim
        assert out.loc[claim, "recovered_fraction"] == pytest.approx(frac), claim
    assert out.loc["judicial", "judicial_in_window"]
    assert not out.loc["paid", "judicial_in_window"]
    assert out["cancelled"].to_dict() == {c: c == "credit" for c in out.index}


def test_labels_do_not_depend_on_row_order():
    pf = _portfolio()
    snaps = training_snapshots(pf, horizon_days=60, every_days=30)
    shuffled = snaps.sample(frac=1.0, random_state=1)
    relabelled = label_snapshots(
        shuffled.drop(columns=list(LABEL_COLUMNS)), pf.events.sample(frac=1.0, random_state=2), 60
    ).sort_index()
    pd.testing.assert_frame_equal(relabelled[list(LABEL_COLUMNS)], snaps[list(LABEL_COLUMNS)])


def test_snapshots_are_open_claims_before_the_horizon():
    pf = _portfolio()
    snaps = training_snapshots(pf, horizon_days=60, every_days=30)
    # every open claim, the ones not yet due included (the model scores them too)
    states = portfolio_states(pf, sorted(snaps["as_of"].unique()), only_open=True)
    assert len(snaps) == int(states["is_open"].sum()) - snaps.attrs["cancelled_rows"]
    overdue = training_snapshots(pf, horizon_days=60, every_days=30, include_not_due=False)
    assert (overdue["days_past_due"] > 0).all()
    assert len(overdue) == int((snaps["days_past_due"] > 0).sum())
    assert (snaps["outstanding_eur"] > 0.01).all() and snaps["is_open"].all()
    assert snaps["as_of"].max() <= pf.events["date"].max() - pd.Timedelta(days=60)
    assert snaps[["as_of", "claim_id"]].duplicated().sum() == 0
    # a small ledger with payments only: activity counts are simply zero
    assert (snaps[["n_reminders", "n_call_attempts", "n_promises"]] == 0).all().all()
    assert snaps["recovered"].any() and not snaps["recovered"].all()


def test_no_feature_can_see_past_its_as_of():
    pf = generate_demo(150, seed=3)
    snaps = training_snapshots(pf)
    as_of = np.sort(snaps["as_of"].unique())[len(snaps["as_of"].unique()) // 2]
    rows = snaps[snaps["as_of"] == as_of].reset_index(drop=True)
    # the same date computed from a portfolio that stops at as_of
    cut = Portfolio(
        debtors=pf.debtors,
        claims=pf.claims,
        events=pf.events[pf.events["date"] <= as_of].reset_index(drop=True),
        extra_features=pf.extra_features,
    )
    state = portfolio_states(cut, [as_of])
    # the static disputed flag is ignored in snapshots (it is the export date's)
    state["open_dispute"] = state["dispute_opened_date"].notna()
    state = attach_attributes(state, cut).set_index("claim_id").loc[rows["claim_id"]]
    state = state.reset_index()
    feature_cols = [c for c in rows.columns if c not in LABEL_COLUMNS]
    pd.testing.assert_frame_equal(rows[feature_cols], state[feature_cols], check_dtype=False)
    names = available_features(rows)
    num = [
        n for n in names if n not in ("debtor_type", "sector", "department", "insolvency_status")
    ]
    cat = [n for n in names if n not in num]
    pd.testing.assert_frame_equal(feature_frame(rows, num, cat), feature_frame(state, num, cat))
    # the labels, on the other hand, do read later events (the test can fail)
    assert rows["recovered"].any()


def test_error_when_there_are_no_events():
    pf = _portfolio(events=_events([]))
    with pytest.raises(InputError, match=r"no events.*payment"):
        training_snapshots(pf)


def test_error_when_there_is_no_payment():
    ev = _events([("C001", "2025-03-01", "reminder_letter", np.nan)])
    with pytest.raises(InputError, match="no payment"):
        training_snapshots(_portfolio(events=ev))


def test_error_when_history_is_too_short():
    pf = _portfolio(n_claims=10, days=60)
    with pytest.raises(InputError, match=r"snapshot date.*at least 4.*at least 132 days"):
        training_snapshots(pf, horizon_days=90, every_days=14)


def test_error_when_a_single_class():
    pf = _portfolio(paid_every=1)  # every claim paid 40 days after due: all recovered
    with pytest.raises(InputError, match=r"all .* rows are recovered"):
        training_snapshots(pf, horizon_days=90, every_days=14)


def test_static_dispute_flag_does_not_leak_into_snapshots():
    # C001 (unpaid) is flagged disputed in the export, its dispute opened on
    # 01/06/2025; C003 (unpaid) is flagged but no dispute event was logged.
    pf = _portfolio()
    claims = pf.claims.assign(disputed=pf.claims["claim_id"].isin(["C001", "C003"]))
    opened = _events([("C001", "2025-06-01", "dispute_opened", np.nan)])
    events = pd.concat([pf.events, opened], ignore_index=True)
    pf = Portfolio(pf.debtors, claims, events)
    snaps = training_snapshots(pf, horizon_days=60, every_days=30).set_index("claim_id")
    c1, c3 = snaps.loc["C001"], snaps.loc["C003"]
    before = c1["as_of"] < D("2025-06-01")
    assert before.sum() >= 2 and (~before).sum() >= 2
    assert not c1.loc[before, "open_dispute"].any()  # the dispute had not opened yet
    assert c1.loc[~before, "open_dispute"].all()  # dated event known: open
    assert (c1.loc[~before, "dispute_age_days"] >= 0).all()
    assert not c3["open_dispute"].any()  # a flag without a date teaches nothing
    # the state itself still trusts the flag (scoring: the flag is current)
    early = c1.loc[before, "as_of"].iloc[0]
    state = portfolio_state(pf, early).set_index("claim_id")
    assert state.loc["C001", "open_dispute"] and state.loc["C003", "open_dispute"]


def test_snapshots_record_their_history_look_back():
    pf = _portfolio()
    assert training_snapshots(pf, horizon_days=60, every_days=30).attrs["history_days"] == (
        HISTORY_DAYS
    )
    short = training_snapshots(pf, horizon_days=60, every_days=30, history_days=60)
    whole = training_snapshots(pf, horizon_days=60, every_days=30, history_days=None)
    assert short.attrs["history_days"] == 60 and whole.attrs["history_days"] is None
    # paid claims leave the 60-day window: fewer past claims than the whole history
    assert (short["debtor_hist_claims"] <= whole["debtor_hist_claims"]).all()
    assert short["debtor_hist_claims"].sum() < whole["debtor_hist_claims"].sum()


def test_claims_closed_by_credit_notes_are_left_out_of_training():
    pf = generate_demo(300, seed=4)
    snaps = training_snapshots(pf)
    assert snaps.attrs["cancelled_rows"] > 0  # the demo has returns and settled disputes
    assert not snaps["cancelled"].any()
    # a cancelled row is one closed without cash and without court
    dates = sorted(snaps["as_of"].unique())
    states = portfolio_states(pf, dates, only_open=True)
    labelled = label_snapshots(states[states["is_open"]], pf.events, 90)
    assert len(labelled) == len(snaps) + snaps.attrs["cancelled_rows"]
    gone = labelled[labelled["cancelled"]]
    assert (gone["recovered_eur"] <= 1.0).all() and not gone["recovered"].any()


def test_train_warns_about_what_only_the_export_date_knows():
    from recovery_analytics.amicable import static_attribute_warnings

    pf = generate_demo(150, seed=3)
    snaps = training_snapshots(pf)
    pf.extra_features = {"numeric": ["bureau_score"]}
    pf.debtors.loc[pf.debtors.index[:3], "insolvency_status"] = "liquidation"
    pf.debtors.loc[pf.debtors.index[:3], "insolvency_date"] = pd.NaT
    found = static_attribute_warnings(pf, snaps)
    assert any("bureau_score" in w and "export date" in w for w in found)
    assert any(
        w.startswith("3 debtor(s) in insolvency proceedings have no insolvency_date") for w in found
    )
    pf.extra_features = {}
    pf.debtors["insolvency_status"] = "none"
    assert static_attribute_warnings(pf, snaps) == []


def test_labels_count_events_by_day_in_france():
    as_of = D("2025-03-31")
    states = pd.DataFrame({"claim_id": ["A"], "as_of": [as_of], "outstanding_eur": [100.0]})
    # 22:30 UTC on as_of is already 1 April in Paris: inside the window
    ev = pd.DataFrame(
        {
            "claim_id": ["A"],
            "date": pd.to_datetime(["2025-03-31T22:30:00Z"]),
            "type": ["payment"],
            "amount": [100.0],
        }
    )
    assert label_snapshots(states, ev, 90)["recovered"].tolist() == [True]
    ev["date"] = pd.to_datetime(["2025-03-31T20:00:00Z"])  # 22:00 in Paris: on as_of, known
    assert label_snapshots(states, ev, 90)["recovered"].tolist() == [False]


def test_time_zone_aware_dates_are_read_as_days_in_france():
    from recovery_analytics.portfolio._parse import parse_date

    s = pd.Series(pd.to_datetime(["2026-03-16T23:30:00Z", "2026-07-01T21:59:00Z"]))
    days, bad = parse_date(s)
    # 00:30 on 17 March in Paris (UTC+1), 23:59 on 1 July (UTC+2)
    assert days.dt.strftime("%Y-%m-%d").tolist() == ["2026-03-17", "2026-07-01"]
    assert not bad.any()


def test_snapshots_within_a_memory_budget_keep_whole_debtors():
    from recovery_analytics.amicable import sample_debtors
    from recovery_analytics.demo import generate_demo

    p = generate_demo(400, seed=21)
    full = training_snapshots(p, horizon_days=90, every_days=28)
    assert full.attrs["debtor_fraction"] == 1.0
    budget = len(full) // 3
    small = training_snapshots(p, horizon_days=90, every_days=28, max_rows=budget)
    fraction = small.attrs["debtor_fraction"]
    assert 0.2 < fraction < 0.45
    assert 0.5 * budget < len(small) < 1.3 * budget  # estimated on a pilot sample
    kept = set(sample_debtors(p, fraction).debtors["debtor_id"])
    assert set(small["debtor_id"]) <= kept
    # a kept debtor's snapshots are all there, identical to the full portfolio's
    mine = full[full["debtor_id"].isin(kept)].reset_index(drop=True)
    cols = ["as_of", "claim_id", "outstanding_eur", "recovered"]
    pd.testing.assert_frame_equal(small[cols].reset_index(drop=True), mine[cols])
