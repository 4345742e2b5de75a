"""Week-by-week replay of the queue policy against oldest-first and largest-first."""

from __future__ import annotations

import pandas as pd
import pytest

from recovery_analytics.amicable import train_model
from recovery_analytics.backtest import (
    POLICIES,
    backtest_call_queue,
    backtest_dates,
    backtest_totals,
    history_before,
)
from recovery_analytics.demo import generate_demo


@pytest.fixture(scope="module")
def portfolio():
    return generate_demo(300, seed=0)


def test_history_before_keeps_nothing_later(portfolio):
    day = pd.Timestamp("2026-01-15")
    h = history_before(portfolio, day)
    assert h.events["date"].max() <= day
    assert h.claims["invoice_date"].max() <= day
    later = portfolio.debtors["insolvency_date"] > day
    assert (h.debtors.loc[later, "insolvency_status"] == "none").all()
    assert h.debtors.loc[later, "insolvency_date"].isna().all()
    assert len(portfolio.claims) > len(h.claims)  # the original is untouched


def test_queue_collects_more_than_both_baselines_at_the_same_capacity(portfolio):
    dates = backtest_dates(portfolio, weeks=10)
    # trained on what was known before the first backtest date: no leakage
    model = train_model(history_before(portfolio, dates[0]), num_threads=1, n_estimators=30)[0]
    weekly = backtest_call_queue(portfolio, model, dates=dates, collectors=1, calls_per_collector=8)
    assert len(weekly) == 3 * len(dates)
    per_week = weekly.groupby("as_of")["debtors_called"]
    assert (per_week.nunique() == 1).all()  # the same number of calls for every work order
    assert (weekly["debtors_called"] <= 8).all()
    assert (weekly["collected_7d_eur"] <= weekly["collected_30d_eur"] + 1e-9).all()
    totals = backtest_totals(weekly).set_index("policy")
    assert list(totals.index) == list(POLICIES)
    assert (totals.loc[["oldest_first", "largest_first"], "queue_ratio_30d"] > 1).all()
    assert totals.loc["queue", "collected_30d_eur"] > totals.loc["largest_first",
                                                                 "collected_30d_eur"]  # fmt: skip


def test_totals_hand_worked():
    w = pd.DataFrame(
        {
            "as_of": pd.to_datetime(["2026-01-05"] * 3 + ["2026-01-12"] * 3),
            "policy": list(POLICIES) * 2,
            "debtors_called": [2] * 6,
            "outstanding_eur": [1.0] * 6,
            "collected_30d_eur": [300.0, 0.0, 100.0, 100.0, 0.0, 100.0],
        }
    )
    t = backtest_totals(w).set_index("policy")
    assert t["collected_30d_eur"].tolist() == [400.0, 0.0, 200.0]
    assert t.loc["largest_first", "queue_ratio_30d"] == 2.0
    assert pd.isna(t.loc["oldest_first", "queue_ratio_30d"])  # nothing collected: no ratio
    assert t["weeks"].tolist() == [2, 2, 2]
