"""Debtor payment history at a date (used by ``_state``).

:func:`_history` aggregates, per debtor, the claims settled in the look-back
window ending at the as_of day (:func:`_window_start`); it gives the
``debtor_hist_*`` columns of the claim state and
:func:`recovery_analytics.state.debtor_history`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from recovery_analytics.state._index import _NAT, _dates

__all__: list[str] = []

_HISTORY_COLUMNS = (
    "debtor_hist_claims",
    "debtor_hist_share_late",
    "debtor_hist_median_days_late",
    "debtor_hist_mean_days_late",
    "debtor_hist_share_partial",
    "debtor_hist_promises_kept_ratio",
    "debtor_hist_written_off",
)


def _window_start(a: int, history_days: int | None) -> int:
    """First day of the history look-back ending at day ``a`` (all history if None)."""
    if history_days is None:
        return np.iinfo(np.int64).min + 1
    return a - int(history_days) + 1


def _history(ix, codes, a, is_open, wo_day, kept, broken, since) -> pd.DataFrame:
    """Debtor payment history from the claims settled in days ``[since, a]``."""
    written_off = wo_day != _NAT
    settle = ix.settle_day[codes]
    settled = (settle != _NAT) & (settle <= a) & (settle >= since) & ~is_open & ~written_off
    settled &= ix.settle_payments[codes] > 0
    late = np.maximum(settle - ix.due_day[codes], 0)
    frame = pd.DataFrame(
        {
            "debtor": ix.debtor_code[codes][settled],
            "late": late[settled] > 0,
            "days_late": late[settled].astype(np.float64),
            "partial": ix.settle_payments[codes][settled] > 1,
            "kept": kept[settled],
            "judged": kept[settled] + broken[settled],
        }
    )
    g = frame.groupby("debtor", sort=True)
    agg = g.agg(
        debtor_hist_claims=("late", "size"),
        debtor_hist_share_late=("late", "mean"),
        debtor_hist_median_days_late=("days_late", "median"),
        debtor_hist_mean_days_late=("days_late", "mean"),
        debtor_hist_share_partial=("partial", "mean"),
        kept=("kept", "sum"),
        judged=("judged", "sum"),
    )
    ratio = agg["kept"] / agg["judged"].where(agg["judged"] > 0)
    agg = agg.drop(columns=["kept", "judged"]).assign(debtor_hist_promises_kept_ratio=ratio)
    agg = agg.reindex(np.arange(len(ix.debtor_ids)))
    agg["debtor_hist_claims"] = agg["debtor_hist_claims"].fillna(0).astype(np.int64)
    recent_wo = written_off & (wo_day >= since)
    wo = np.bincount(ix.debtor_code[codes][recent_wo], minlength=len(ix.debtor_ids))
    agg["debtor_hist_written_off"] = wo.astype(np.int64)
    agg.insert(0, "debtor_id", pd.Series(ix.debtor_ids, dtype="str"))
    agg.insert(1, "as_of", _dates(np.full(len(agg), a)))
    return agg[["debtor_id", "as_of", *_HISTORY_COLUMNS]].reset_index(drop=True)
