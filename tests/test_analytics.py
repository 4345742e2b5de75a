"""Analytics for analysts: DSO/CEI, recovery curves, concentration, against hand-worked euros.

The portfolio (as of 2026-03-31, monthly periods Jan/Feb/Mar 2026):

==== ====== ========== ========== ====== ==============================================
claim debtor invoiced   due        amount events
==== ====== ========== ========== ====== ==============================================
c1    d1 B2B 2026-01-10 2026-02-09 1000   payment 400 on 02-20, payment 600 on 03-05
c2    d1 B2B 2026-02-15 2026-03-17 600    credit note 100 on 02-20
c3    d2 B2C 2026-03-01 2026-03-31 300    payment 150 on 05-10 (after the as_of)
c4    d2 B2C 2026-01-20 2026-01-31 200    write-off on 03-10
==== ====== ========== ========== ====== ==============================================
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from recovery_analytics.portfolio import Portfolio
from recovery_analytics.state import (
    concentration,
    dispute_promise_summary,
    dso_cei,
    quarantine_summary,
    recovery_curves,
)

D = pd.Timestamp


def _portfolio(shuffle_seed: int | None = None) -> Portfolio:
    debtors = pd.DataFrame({"debtor_id": ["d1", "d2"], "debtor_type": ["B2B", "B2C"]})
    claims = pd.DataFrame(
        {
            "claim_id": ["c1", "c2", "c3", "c4"],
            "debtor_id": ["d1", "d1", "d2", "d2"],
            "invoice_date": pd.to_datetime(
                ["2026-01-10", "2026-02-15", "2026-03-01", "2026-01-20"]
            ),
            "due_date": pd.to_datetime(["2026-02-09", "2026-03-17", "2026-03-31", "2026-01-31"]),
            "amount": [1000.0, 600.0, 300.0, 200.0],
        }
    )
    events = pd.DataFrame(
        {
            "claim_id": ["c1", "c1", "c2", "c3", "c4", "c1"],
            "date": pd.to_datetime(
                ["2026-02-20", "2026-03-05", "2026-02-20", "2026-05-10", "2026-03-10", "2026-01-25"]
            ),
            "type": ["payment", "payment", "credit_note", "payment", "write_off", "call_reached"],
            "amount": [400.0, 600.0, 100.0, 150.0, np.nan, np.nan],
        }
    )
    if shuffle_seed is not None:
        debtors, claims, events = (
            t.sample(frac=1.0, random_state=shuffle_seed) for t in (debtors, claims, events)
        )
    return Portfolio(debtors, claims, events)


def test_dso_cei_hand_worked():
    t = dso_cei(_portfolio(), as_of="2026-03-31")
    assert t["period_start"].tolist() == [D("2026-01-01"), D("2026-02-01"), D("2026-03-01")]
    assert t["period_end"].tolist() == [D("2026-01-31"), D("2026-02-28"), D("2026-03-31")]
    assert t["days"].tolist() == [31, 28, 31]
    assert t["invoiced_eur"].tolist() == [1200.0, 600.0, 300.0]
    assert t["collected_eur"].tolist() == [0.0, 400.0, 600.0]
    assert t["credited_eur"].tolist() == [0.0, 100.0, 0.0]
    # end Jan: c1 1000 + c4 200 (due on 01-31: not yet past due)
    # end Feb: c1 600 (overdue) + c2 500 (current) + c4 200 (overdue)
    # end Mar: c2 500 (overdue) + c3 300 (due today: current); c1 paid, c4 written off
    assert t["ar_begin_eur"].tolist() == [0.0, 1200.0, 1300.0]
    assert t["ar_end_eur"].tolist() == [1200.0, 1300.0, 800.0]
    assert t["ar_overdue_end_eur"].tolist() == [0.0, 800.0, 500.0]
    # countback: Jan 1200/1200 x 31; Feb 28 + 700/1200 x 31; Mar 31 + 500/600 x 28
    assert t["dso_days"].tolist() == [31.0, 46.1, 54.3]
    # CEI Jan: 0/0; Feb (1200+600-1300)/(1200+600-500); Mar (1300+300-800)/(1300+300-300)
    assert np.isnan(t["cei"].iloc[0])
    assert t["cei"].iloc[1:].tolist() == [round(500 / 1300, 4), round(800 / 1300, 4)]


def test_dso_cei_ignores_incomplete_periods_later_events_and_row_order():
    base = dso_cei(_portfolio(), as_of="2026-03-31")
    later = dso_cei(_portfolio(shuffle_seed=3), as_of="2026-04-15")  # April incomplete
    pd.testing.assert_frame_equal(base, later)
    quarterly = dso_cei(_portfolio(), freq="QS", as_of="2026-03-31")
    assert quarterly["invoiced_eur"].tolist() == [2100.0]
    assert quarterly["ar_end_eur"].tolist() == [800.0]
    # countback over one 90-day quarter: 800 / 2100 x 90
    assert quarterly["dso_days"].tolist() == [round(800 / 2100 * 90, 1)]


def test_dso_cei_receivables_match_the_claim_state():
    from recovery_analytics import state as features
    from recovery_analytics.portfolio import validate_portfolio

    raw = _portfolio()
    p = validate_portfolio(raw.debtors, raw.claims, raw.events)
    t = dso_cei(p, as_of="2026-03-31")
    for end, ar in zip(t["period_end"], t["ar_end_eur"], strict=True):
        state = features.portfolio_state(p, end)
        assert state.loc[state["is_open"], "outstanding_eur"].sum() == pytest.approx(ar)


def test_recovery_curves_hand_worked():
    curves = recovery_curves(_portfolio(), horizons=(30, 60), from_days=(0, 30), as_of="2026-06-30")
    got = curves.set_index(["from_days", "days_past_due"])
    # from due date: base c1 1000 + c2 500 + c3 300 + c4 200 = 2000
    assert got.loc[(0, 30), ["n_claims", "base_eur", "paid_eur"]].tolist() == [4, 2000.0, 1000.0]
    assert got.loc[(0, 60), "paid_eur"] == 1150.0  # + c3's 150 at 40 days past due
    assert got.loc[(0, 60), "recovery_rate"] == 0.575
    # still outstanding at 30 days: c2 500, c3 300, c4 200 (written off at 38 days)
    assert got.loc[(30, 60), ["n_claims", "base_eur", "paid_eur"]].tolist() == [3, 1000.0, 150.0]
    assert got.loc[(30, 60), "recovery_rate"] == 0.15
    assert len(curves) == 3  # no (30, 30) row


def test_recovery_curves_by_segment_and_maturity():
    by = recovery_curves(_portfolio(), by="debtor_type", horizons=(60,), as_of="2026-06-30")
    assert by["debtor_type"].tolist() == ["B2B", "B2C"]
    assert by["recovery_rate"].tolist() == [round(1000 / 1500, 4), 0.3]
    # on 2026-04-20 only c1 and c4 (due before 02-19) have a full 60-day window
    early = recovery_curves(_portfolio(shuffle_seed=1), horizons=(60,), as_of="2026-04-20")
    assert early[["n_claims", "base_eur", "paid_eur"]].iloc[0].tolist() == [2, 1200.0, 1000.0]


def test_recovery_curves_cap_overpayments_at_the_base():
    p = _portfolio()
    extra = pd.DataFrame(
        {"claim_id": ["c3"], "date": [D("2026-04-01")], "type": ["payment"], "amount": [500.0]}
    )
    p.events = pd.concat([p.events, extra], ignore_index=True)
    got = recovery_curves(p, horizons=(30,), from_days=(0,), as_of="2026-06-30")
    assert got["paid_eur"].tolist() == [1000.0 + 300.0]  # c3 paid 500 on a 300 base


def _state() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "claim_id": ["a1", "b1", "b2", "c1", "d1", "e1"],
            "debtor_id": ["A", "B", "B", "C", "D", "E"],
            "debtor_type": ["B2B", "B2C", "B2C", "B2B", "B2B", "B2B"],
            "outstanding_eur": [300.0, 100.0, 200.0, 300.0, 100.0, 0.0],
            "days_past_due": [10, 95, 40, 5, 200, 300],
            "is_open": [True, True, True, True, True, False],
            "open_dispute": [False, True, False, False, True, True],
            "n_promises": [0, 2, 1, 0, 0, 3],
            "n_promises_kept": [0, 1, 0, 0, 0, 3],
            "n_promises_broken": [0, 1, 0, 0, 0, 0],
            "promise_pending": [False, False, True, False, False, False],
            "promised_eur_pending": [0.0, 0.0, 150.0, 0.0, 0.0, 0.0],
        }
    )


def test_concentration_ranks_debtors_with_ties_by_id():
    table = concentration(_state(), top=None)
    # A 300, B 300 (two claims), C 300, D 100; E has no open claim; total 1000
    assert table["debtor_id"].tolist() == ["A", "B", "C", "D"]
    assert table["rank"].tolist() == [1, 2, 3, 4]
    assert table["open_claims"].tolist() == [1, 2, 1, 1]
    assert table["max_days_past_due"].tolist() == [10, 95, 5, 200]
    assert table["share"].tolist() == [0.3, 0.3, 0.3, 0.1]
    assert table["cumulative_share"].tolist() == [0.3, 0.6, 0.9, 1.0]
    assert table["debtor_share"].tolist() == [0.25, 0.5, 0.75, 1.0]
    top = concentration(_state().sample(frac=1.0, random_state=0), top=2)
    pd.testing.assert_frame_equal(top, table.head(2))
    assert not {"name", "phone", "email"} & set(table.columns)


def test_dispute_promise_summary():
    t = dispute_promise_summary(_state()).set_index("indicator")
    assert t.loc["open_disputes"].tolist() == [2, 200.0]  # b1 100 + d1 100; e1 is closed
    assert t.loc[["promises_made", "promises_kept", "promises_broken"], "count"].tolist() == [
        6,
        4,
        1,
    ]
    assert t.loc["promises_pending"].tolist() == [1, 150.0]


def test_quarantine_summary_groups_by_check_and_keeps_the_earliest_example():
    q = pd.DataFrame(
        {
            "table": ["claims", "claims", "events", "claims"],
            "line": [9, 4, 2, 7],
            "column": ["due_date", "due_date", "", "amount"],
            "reason": ["due 9 bad", "due 4 bad", "unknown claim", "amount -3 < 0"],
            "check": ["bad_date", "bad_date", "unknown_claim", "amount_negative"],
        }
    )
    t = quarantine_summary(Portfolio(None, None, None, quarantine=q))
    assert t[["table", "column", "rows"]].values.tolist() == [
        ["claims", "due_date", 2],
        ["claims", "amount", 1],
        ["events", "", 1],
    ]
    assert t["example_reason"].iloc[0] == "due 4 bad"
    assert quarantine_summary(Portfolio(None, None, None, quarantine=q.iloc[:0])).empty
