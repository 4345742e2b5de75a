"""State: what was known about every claim at an as_of date.

Takes a validated :class:`~recovery_analytics.portfolio.Portfolio` and a date;
gives the claim state of ``docs/state-contract.md`` (outstanding, days past
due, stage, promises, contacts, the debtor's payment history — from events
dated on or before as_of only), the aged balance, and the analysts' portfolio
figures (DSO and CEI over time, recovery curves, concentration, disputes and
promises, data quality). The event index lives in ``_index``, the claim state
in ``_state``, the debtor history in ``_history``, the aged balance in
``_aging``, DSO/CEI and recovery curves in ``_curves``, the other analytics in
``_analytics``; their figures in :mod:`recovery_analytics.state.plots`.
"""

from __future__ import annotations

from recovery_analytics.state._aging import (
    DEFAULT_BUCKETS,
    TOTAL_LABEL,
    age_bucket,
    aged_balance,
    bucket_labels,
)
from recovery_analytics.state._analytics import (
    concentration,
    dispute_promise_summary,
    quarantine_summary,
)
from recovery_analytics.state._curves import dso_cei, recovery_curves
from recovery_analytics.state._state import (
    HISTORY_DAYS,
    STAGES,
    debtor_history,
    open_claims,
    portfolio_state,
    portfolio_states,
)

__all__ = [
    "DEFAULT_BUCKETS",
    "HISTORY_DAYS",
    "STAGES",
    "TOTAL_LABEL",
    "age_bucket",
    "aged_balance",
    "bucket_labels",
    "concentration",
    "debtor_history",
    "dispute_promise_summary",
    "dso_cei",
    "open_claims",
    "portfolio_state",
    "portfolio_states",
    "quarantine_summary",
    "recovery_curves",
]
