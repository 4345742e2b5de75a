"""Training within a memory budget: a sample of whole debtors when the snapshots would not fit.

Training stays on one machine. A portfolio of tens of millions of claims gives
hundreds of millions of snapshot rows (every open claim at every snapshot
date), far beyond memory; ``training_snapshots(max_rows=...)`` then keeps a
sample of debtors, chosen by a stable hash of ``debtor_id`` (the same sample
on every run), with all their claims, events and snapshot dates. Whole debtors
are kept so that the debtor-history features are those of the full portfolio.
The number of rows is estimated on a pilot sample (~20,000 debtors) first.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import pandas as pd

from recovery_analytics.portfolio import Portfolio

__all__ = ["MAX_SNAPSHOT_ROWS", "sample_debtors"]

#: Default budget of the ``train`` command: ~2.4 KB of peak memory per snapshot row
#: while building them (benchmarks/README.md), i.e. about 5 GB for 2 million rows.
MAX_SNAPSHOT_ROWS: int = 2_000_000

_PILOT_DEBTORS = 20_000


def sample_debtors(portfolio: Portfolio, fraction: float) -> Portfolio:
    """Keep about ``fraction`` of the debtors (stable hash of ``debtor_id``), with their rows.

    >>> from recovery_analytics.demo import generate_demo
    >>> p = generate_demo(200, seed=1)
    >>> half = sample_debtors(p, 0.5)
    >>> 70 < len(half.debtors) < 130
    True
    >>> set(half.claims["debtor_id"]) <= set(half.debtors["debtor_id"])
    True
    """
    if fraction >= 1:
        return portfolio
    ids = portfolio.debtors["debtor_id"].to_numpy(dtype=object)
    share = pd.util.hash_array(ids, categorize=False) / np.float64(2**64)
    kept = portfolio.debtors[share < fraction]
    claims = portfolio.claims[portfolio.claims["debtor_id"].isin(kept["debtor_id"])]
    events = portfolio.events[portfolio.events["claim_id"].isin(claims["claim_id"])]
    return dataclasses.replace(
        portfolio,
        debtors=kept.reset_index(drop=True),
        claims=claims.reset_index(drop=True),
        events=events.reset_index(drop=True),
    )


def within_budget(
    portfolio: Portfolio, dates: Sequence[pd.Timestamp], max_rows: int | None, history_days
) -> tuple[Portfolio, float]:
    """The portfolio, or a sample of its debtors, whose snapshots hold at most ~``max_rows``."""
    from recovery_analytics.state import portfolio_states

    if max_rows is None or len(portfolio.claims) * len(dates) <= max_rows:
        return portfolio, 1.0
    pilot_share = min(1.0, _PILOT_DEBTORS / max(len(portfolio.debtors), 1))
    pilot = sample_debtors(portfolio, pilot_share)
    share = len(pilot.debtors) / max(len(portfolio.debtors), 1)
    if not len(pilot.debtors):
        return portfolio, 1.0
    states = portfolio_states(pilot, list(dates), only_open=True, history_days=history_days)
    estimate = int(states["is_open"].sum()) / share
    if estimate <= max_rows:
        return portfolio, 1.0
    fraction = max_rows / estimate
    return sample_debtors(portfolio, fraction), fraction
