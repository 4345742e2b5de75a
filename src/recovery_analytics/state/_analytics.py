"""Portfolio analytics for analysts: concentration, disputes and promises, data quality.

All functions take a validated :class:`~recovery_analytics.portfolio.Portfolio`
(or the claim state of ``docs/state-contract.md``) and return tidy DataFrames
with the documented columns; their figures are in
:mod:`recovery_analytics.state.plots`, DSO/CEI and recovery curves in ``_curves``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from recovery_analytics.portfolio import Portfolio

__all__ = [
    "concentration",
    "dispute_promise_summary",
    "quarantine_summary",
]


# --------------------------------------------------------------------------- DSO / CEI


# --------------------------------------------------------------------------- recovery curves


# --------------------------------------------------------------------------- state tables


def concentration(state: pd.DataFrame, top: int | None = 20) -> pd.DataFrame:
    """Debtors ranked by open outstanding, with cumulative shares (Pareto).

    Parameters
    ----------
    state : pandas.DataFrame
        The claim state (``features.portfolio_state``); only open claims count.
    top : int or None, default 20
        Number of debtors returned; ``None`` returns all (for the Pareto curve).

    Returns
    -------
    pandas.DataFrame
        ``rank, debtor_id, debtor_type, outstanding_eur, open_claims,
        max_days_past_due, share, cumulative_share, debtor_share`` sorted by
        outstanding (ties by ``debtor_id``); ``debtor_share`` is ``rank / n``.
        Pseudonymous ids only: no names or contacts.

    Examples
    --------
    >>> import pandas as pd
    >>> state = pd.DataFrame({"debtor_id": ["a", "b", "b"], "debtor_type": ["B2B"] * 3,
    ...     "outstanding_eur": [100.0, 200.0, 100.0], "days_past_due": [10, 40, 5],
    ...     "is_open": [True, True, True]})
    >>> concentration(state)[["debtor_id", "outstanding_eur", "cumulative_share"]]
      debtor_id  outstanding_eur  cumulative_share
    0         b            300.0              0.75
    1         a            100.0              1.00
    """
    open_ = state.loc[state["is_open"]]
    table = (
        open_.groupby("debtor_id", as_index=False)
        .agg(
            debtor_type=("debtor_type", "first"),
            outstanding_eur=("outstanding_eur", "sum"),
            open_claims=("outstanding_eur", "size"),
            max_days_past_due=("days_past_due", "max"),
        )
        .sort_values(["outstanding_eur", "debtor_id"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )
    total, n = table["outstanding_eur"].sum(), len(table)
    table.insert(0, "rank", np.arange(1, n + 1, dtype="int64"))
    table["share"] = table["outstanding_eur"] / total if total else 0.0
    table["cumulative_share"] = table["share"].cumsum().round(6)
    table["debtor_share"] = table["rank"] / max(n, 1)
    table = table.astype({"open_claims": "int64", "max_days_past_due": "int64"})
    return table if top is None else table.head(top)


def dispute_promise_summary(state: pd.DataFrame) -> pd.DataFrame:
    """Counts and amounts of disputes and promises to pay at the state's date.

    Returns
    -------
    pandas.DataFrame
        ``indicator, count, amount_eur`` with the rows ``open_disputes``
        (open claims in dispute, their outstanding), ``promises_made``,
        ``promises_kept``, ``promises_broken`` (promise events, no amount),
        ``promises_pending`` (open claims with a promise not yet due, the
        promised amount).

    Examples
    --------
    >>> import pandas as pd
    >>> state = pd.DataFrame({"is_open": [True, False], "open_dispute": [True, True],
    ...     "outstanding_eur": [50.0, 0.0], "n_promises": [2, 1], "n_promises_kept": [1, 1],
    ...     "n_promises_broken": [1, 0], "promise_pending": [False, False],
    ...     "promised_eur_pending": [0.0, 0.0]})
    >>> dispute_promise_summary(state)["count"].tolist()
    [1, 3, 2, 1, 0]
    """
    is_open = state["is_open"].astype(bool)
    disputed = is_open & state["open_dispute"].astype(bool)
    pending = is_open & state["promise_pending"].astype(bool)
    rows = [
        ("open_disputes", disputed.sum(), state.loc[disputed, "outstanding_eur"].sum()),
        ("promises_made", state["n_promises"].sum(), np.nan),
        ("promises_kept", state["n_promises_kept"].sum(), np.nan),
        ("promises_broken", state["n_promises_broken"].sum(), np.nan),
        ("promises_pending", pending.sum(), state.loc[pending, "promised_eur_pending"].sum()),
    ]
    table = pd.DataFrame(rows, columns=["indicator", "count", "amount_eur"])
    return table.astype({"indicator": "str", "count": "int64", "amount_eur": "float64"})


def quarantine_summary(portfolio: Portfolio) -> pd.DataFrame:
    """What was quarantined, by table, column and reason, with an example.

    The reason is the quarantine's short ``check`` code when it has one (the
    ``reason`` sentences quote the offending value, so they are all
    different), else the ``reason`` itself.

    Returns
    -------
    pandas.DataFrame
        ``table, column, check, rows, example_reason`` (``column`` is ``""``
        for row-level problems; the example is the earliest line), most rows
        first; empty when nothing was rejected.

    Examples
    --------
    >>> import pandas as pd
    >>> from recovery_analytics.portfolio import Portfolio
    >>> q = pd.DataFrame({"table": ["claims", "claims"], "line": [3, 2],
    ...     "column": ["due_date", "due_date"], "reason": ["3 is bad", "2 is bad"],
    ...     "check": ["bad_date", "bad_date"]})
    >>> quarantine_summary(Portfolio(None, None, None, quarantine=q)).iloc[0].to_dict()
    ... # doctest: +NORMALIZE_WHITESPACE
    {'table': 'claims', 'column': 'due_date', 'check': 'bad_date', 'rows': 2,
     'example_reason': '2 is bad'}
    """
    q = portfolio.quarantine
    columns = ["table", "column", "check", "rows", "example_reason"]
    if q is None or q.empty:
        return pd.DataFrame(
            {c: pd.Series(dtype="int64" if c == "rows" else "str") for c in columns}
        )
    check = q["check"] if "check" in q else q["reason"]
    q = q.assign(
        column=q["column"].fillna(""), check=check.fillna("").where(check != "", q["reason"])
    )
    q = q.sort_values(["table", "line"], kind="stable")
    table = q.groupby(["table", "column", "check"], as_index=False, sort=True).agg(
        rows=("reason", "size"), example_reason=("reason", "first")
    )
    table = table.sort_values(
        ["rows", "table", "column", "check"], ascending=[False, True, True, True]
    )
    return table.astype({"rows": "int64"}).reset_index(drop=True)[columns]


# --------------------------------------------------------------------------- figures
