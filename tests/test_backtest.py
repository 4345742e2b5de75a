"""Week-by-week replay of the queue policy against oldest-first and largest-first."""

from __future__ import annotations

import pandas as pd
import pytest

from recovery_analytics.demo import generate_demo
from recovery_analytics.portfolio import Portfolio
from recovery_analytics.queue import (
    POLICIES,
    backtest_call_queue,
    backtest_dates,
    backtest_model,
    backtest_totals,
    history_before,
    run_backtest,
)


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
    # the weekly report's backtest: one model trained on what was known before the
    # first backtest date (no leakage), the uplift estimated at that date
    run = run_backtest(portfolio, None, weeks=10, collectors=1, calls_per_collector=8)
    assert run.model == "history_before" and "antérieur au" in run.note
    weekly, dates = run.weekly, run.dates
    assert len(weekly) == 3 * len(dates) == 30
    per_week = weekly.groupby("as_of")["debtors_called"]
    assert (per_week.nunique() == 1).all()  # the same number of calls for every work order
    assert (weekly["debtors_called"] <= 8).all()
    assert (weekly["collected_7d_eur"] <= weekly["collected_30d_eur"] + 1e-9).all()
    totals = run.totals.set_index("policy")
    assert list(totals.index) == list(POLICIES)
    assert (totals.loc[["oldest_first", "largest_first"], "queue_ratio_30d"] > 1).all()
    assert totals.loc["queue", "collected_30d_eur"] > totals.loc["largest_first",
                                                                 "collected_30d_eur"]  # fmt: skip


def test_nothing_after_the_follow_up_window_is_read(portfolio):
    # replay 4 weeks ending well before the last event; drop everything dated after the
    # last week's 30-day follow-up: the model, the queues and the euros must not change
    dates = backtest_dates(portfolio, weeks=4) - pd.Timedelta(weeks=8)
    cut = history_before(portfolio, dates[-1] + pd.Timedelta(days=30))
    runs = []
    for p in (portfolio, cut):
        model = backtest_model(p, dates[0], n_estimators=20)
        # the model's snapshots and their 90-day labels all end by the first date
        last = max(pd.Timestamp(model.window_[k]) for k in ("train_end", "calibration_end"))
        assert last + pd.Timedelta(days=model.horizon_days_) <= dates[0]
        runs.append(backtest_call_queue(p, model, dates=dates, collectors=1, calls_per_collector=6))
    pd.testing.assert_frame_equal(runs[0], runs[1])
    assert runs[0]["collected_30d_eur"].sum() > 0


def test_too_short_a_history_skips_the_backtest_with_a_note(portfolio):
    recent = portfolio.events[(portfolio.events["date"] > "2026-01-01").to_numpy()]
    short = Portfolio(portfolio.debtors, portfolio.claims, recent.reset_index(drop=True))
    run = run_backtest(short, None, weeks=4, collectors=1, calls_per_collector=3)
    assert run.model == "none" and run.note.startswith("Pas de rejeu")
    assert run.weekly.empty and run.totals.empty
    assert run_backtest(portfolio, None, weeks=0).model == "none"


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
