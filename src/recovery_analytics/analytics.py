"""Portfolio analytics for analysts: DSO and CEI over time, recovery curves,
concentration, disputes and promises, data quality.

All functions take a validated :class:`~recovery_analytics.schema.Portfolio`
(or the claim state of ``docs/state-contract.md``) and return tidy
DataFrames with the documented columns; plot functions take ``ax=None`` and
return the Axes (saving is the caller's job). Computations are vectorised
over claims and events; loops run only over periods or horizons.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from recovery_analytics.reports import _format_eur, _format_pct
from recovery_analytics.schema import Portfolio

__all__ = [
    "concentration",
    "dispute_promise_summary",
    "dso_cei",
    "plot_dso_cei",
    "plot_pareto",
    "plot_recovery_curves",
    "quarantine_summary",
    "recovery_curves",
]

_REDUCING = ("payment", "credit_note")


def _resolve_as_of(portfolio: Portfolio, as_of) -> pd.Timestamp:
    if as_of is not None:
        return pd.Timestamp(as_of).normalize()
    dates = [portfolio.claims["invoice_date"].max()]
    if len(portfolio.events):
        dates.append(portfolio.events["date"].max())
    return pd.Timestamp(max(d for d in dates if pd.notna(d)))


def _events_upto(portfolio: Portfolio, as_of: pd.Timestamp, claim_ids: pd.Series) -> pd.DataFrame:
    ev = portfolio.events
    ev = ev.loc[
        (ev["date"] <= as_of) & ev["claim_id"].isin(claim_ids), ["claim_id", "date", "type"]
    ]
    amount = portfolio.events.loc[ev.index, "amount"].fillna(0.0)
    return ev.assign(amount=amount.where(ev["type"].isin(_REDUCING), 0.0))


# --------------------------------------------------------------------------- DSO / CEI


def dso_cei(portfolio: Portfolio, freq: str = "MS", *, as_of=None) -> pd.DataFrame:
    """Days sales outstanding and collection effectiveness index per period.

    Receivables at a date follow the state contract: per claim
    ``max(amount - payments - credit notes, 0)`` counting events dated on or
    before that date, 0 once written off, claims invoiced on or before it.
    Only complete periods (ending on or before ``as_of``) are returned.

    * ``dso_days`` (countback method): the number of days of the most recent
      invoicing needed to account for the receivables at period end, walking
      back period by period (a partial period counts pro rata).
    * ``cei`` = (begin + invoiced - end) / (begin + invoiced - end current),
      where *current* receivables are not yet due at period end; NaN when
      the denominator is not positive. Credit notes and write-offs lower the
      ending receivables like payments do (the usual formula).

    Parameters
    ----------
    portfolio : Portfolio
    freq : str, default "MS"
        A pandas period-start frequency: ``"MS"`` (months), ``"QS"``, ``"YS"``.
    as_of : date-like, optional
        Last date of the history; default the latest invoice or event date.

    Returns
    -------
    pandas.DataFrame
        One row per period: ``period_start, period_end, days, invoiced_eur,
        collected_eur`` (payments), ``credited_eur, ar_begin_eur, ar_end_eur,
        ar_overdue_end_eur, dso_days, cei``.

    Examples
    --------
    >>> import pandas as pd
    >>> from recovery_analytics.schema import Portfolio
    >>> claims = pd.DataFrame({"claim_id": ["c1"], "debtor_id": ["d1"],
    ...     "invoice_date": pd.to_datetime(["2026-01-01"]),
    ...     "due_date": pd.to_datetime(["2026-01-31"]), "amount": [310.0]})
    >>> events = pd.DataFrame({"claim_id": ["c1"], "date": pd.to_datetime(["2026-02-10"]),
    ...     "type": ["payment"], "amount": [310.0]})
    >>> p = Portfolio(pd.DataFrame({"debtor_id": ["d1"]}), claims, events)
    >>> dso_cei(p, as_of="2026-02-28")[["ar_end_eur", "dso_days", "cei"]]
       ar_end_eur  dso_days  cei
    0       310.0      31.0  NaN
    1         0.0       0.0  1.0
    """
    as_of = _resolve_as_of(portfolio, as_of)
    claims = portfolio.claims.loc[
        portfolio.claims["invoice_date"] <= as_of,
        ["claim_id", "invoice_date", "due_date", "amount"],
    ]
    columns = ["period_start", "period_end", "days", "invoiced_eur", "collected_eur"]
    columns += ["credited_eur", "ar_begin_eur", "ar_end_eur", "ar_overdue_end_eur"]
    columns += ["dso_days", "cei"]
    if claims.empty:
        return pd.DataFrame(columns=columns)
    first = pd.date_range(end=claims["invoice_date"].min(), periods=1, freq=freq)[0]
    starts = pd.date_range(first, as_of + pd.Timedelta(days=1), freq=freq)
    ends = starts[1:] - pd.Timedelta(days=1)
    starts = starts[:-1]
    n = len(ends)
    if n == 0:
        return pd.DataFrame(columns=columns)
    ends_np = ends.to_numpy()

    def period(dates: pd.Series) -> np.ndarray:
        return np.searchsorted(ends_np, dates.to_numpy(), side="left")

    inv_idx = pd.Series(period(claims["invoice_date"]), index=claims["claim_id"].to_numpy())
    due_idx = pd.Series(
        np.searchsorted(ends_np, claims["due_date"].to_numpy(), side="right"),
        index=inv_idx.index,
    )
    amount = pd.Series(claims["amount"].to_numpy(), index=inv_idx.index)
    ev = _events_upto(portfolio, as_of, claims["claim_id"])
    ev_idx = np.maximum(period(ev["date"]), inv_idx.loc[ev["claim_id"]].to_numpy())
    ev = ev.assign(idx=ev_idx)
    wo = ev.loc[ev["type"] == "write_off"].groupby("claim_id")["idx"].min()
    wo_idx = pd.Series(np.iinfo(np.int64).max, index=inv_idx.index)
    wo_idx.loc[wo.index] = wo.to_numpy()

    # change points of each claim's outstanding: invoice, reductions, write-off
    points = pd.concat(
        [
            pd.DataFrame({"claim_id": inv_idx.index, "idx": inv_idx.to_numpy(), "amount": 0.0}),
            ev[["claim_id", "idx", "amount"]],
            pd.DataFrame({"claim_id": wo.index, "idx": wo.to_numpy(), "amount": 0.0}),
        ],
        ignore_index=True,
    )
    points = points.groupby(["claim_id", "idx"], as_index=False)["amount"].sum()
    points = points.sort_values(["claim_id", "idx"], kind="stable")
    reduced = points.groupby("claim_id")["amount"].cumsum().to_numpy()
    key = points["claim_id"].to_numpy()
    out = np.clip(amount.loc[key].to_numpy() - reduced, 0.0, None)
    out = np.where((points["idx"].to_numpy() >= wo_idx.loc[key].to_numpy()) | (out <= 0.01), 0, out)
    prev = pd.Series(out).groupby(key).shift(1, fill_value=0.0).to_numpy()
    delta, idx = out - prev, points["idx"].to_numpy()

    def accumulate(at: np.ndarray, weights: np.ndarray) -> np.ndarray:
        keep = at < n
        return np.cumsum(np.bincount(at[keep], weights=weights[keep], minlength=n))

    ar_end = accumulate(idx, delta)
    ar_overdue = accumulate(np.maximum(idx, due_idx.loc[key].to_numpy()), delta)
    ar_end = np.where(np.abs(ar_end) < 1e-6, 0.0, ar_end)
    ar_begin = np.concatenate([[0.0], ar_end[:-1]])
    inv_i = inv_idx.to_numpy()
    invoiced = np.bincount(inv_i[inv_i < n], weights=amount.to_numpy()[inv_i < n], minlength=n)

    def flows(kind: str) -> np.ndarray:
        e = ev.loc[(ev["type"] == kind) & (ev["idx"] < n)]
        return np.bincount(e["idx"].to_numpy(), weights=e["amount"].to_numpy(), minlength=n)

    days = ((ends - starts).days + 1).to_numpy()
    ar_current = ar_end - ar_overdue
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = ar_begin + invoiced - ar_current
        cei = np.where(denom > 0.005, (ar_begin + invoiced - ar_end) / denom, np.nan)
    result = pd.DataFrame(
        {
            "period_start": starts,
            "period_end": ends,
            "days": days.astype("int64"),
            "invoiced_eur": invoiced,
            "collected_eur": flows("payment"),
            "credited_eur": flows("credit_note"),
            "ar_begin_eur": ar_begin,
            "ar_end_eur": ar_end,
            "ar_overdue_end_eur": ar_overdue,
            "dso_days": _countback_dso(ar_end, invoiced, days),
            "cei": cei,
        }
    )
    return result.round({c: 2 for c in columns if c.endswith("_eur")} | {"dso_days": 1, "cei": 4})


def _countback_dso(ar_end: np.ndarray, invoiced: np.ndarray, days: np.ndarray) -> np.ndarray:
    dso = np.zeros(len(ar_end))
    for k in range(len(ar_end)):  # one pass per period, vectorised over the past ones
        back_inv, back_days = invoiced[k::-1], days[k::-1]
        covered = np.cumsum(back_inv)
        full = covered < ar_end[k] - 1e-9
        n_full = int(full.sum())  # covered is non-decreasing: full is True...False
        dso[k] = back_days[:n_full].sum()
        if n_full < len(back_inv) and back_inv[n_full] > 0:
            rest = ar_end[k] - (covered[n_full - 1] if n_full else 0.0)
            dso[k] += max(rest, 0.0) / back_inv[n_full] * back_days[n_full]
    return dso


# --------------------------------------------------------------------------- recovery curves


def recovery_curves(
    portfolio: Portfolio,
    by: str | Sequence[str] | None = None,
    horizons: Sequence[int] = (30, 60, 90, 180, 365),
    *,
    from_days: Sequence[int] = (0,),
    as_of=None,
) -> pd.DataFrame:
    """Share of the amount outstanding at an age that is paid by later ages.

    For a starting age ``a`` (days past due, from ``from_days``) and a horizon
    ``N > a``: among the claims whose due date is at least ``N`` days before
    ``as_of`` (so the whole window is observed) and that were still
    outstanding ``a`` days past due, ``recovery_rate`` is the payments dated
    in ``(due + a, due + N]`` divided by the amount outstanding at ``due + a``
    (payments beyond that amount are ignored). With ``from_days=(0,)`` this
    is the classic curve from the due date; several starting ages give one
    curve per age bucket (recovery slows as claims age).

    Parameters
    ----------
    portfolio : Portfolio
    by : str or list of str, optional
        Segment columns of ``claims`` or ``debtors`` (e.g. ``"debtor_type"``).
    horizons : sequence of int
        Ages in days past due at which the curve is read.
    from_days : sequence of int, default (0,)
        Starting ages.
    as_of : date-like, optional
        Only events dated on or before it are used; default the latest date.

    Returns
    -------
    pandas.DataFrame
        ``*by, from_days, days_past_due, n_claims, base_eur, paid_eur,
        recovery_rate``; one row per segment, starting age and horizon with
        at least one claim.

    Examples
    --------
    >>> import pandas as pd
    >>> from recovery_analytics.schema import Portfolio
    >>> claims = pd.DataFrame({"claim_id": ["c1", "c2"], "debtor_id": ["d1", "d1"],
    ...     "invoice_date": pd.to_datetime(["2026-01-01"] * 2),
    ...     "due_date": pd.to_datetime(["2026-01-31"] * 2), "amount": [100.0, 300.0]})
    >>> events = pd.DataFrame({"claim_id": ["c1"], "date": pd.to_datetime(["2026-02-10"]),
    ...     "type": ["payment"], "amount": [100.0]})
    >>> p = Portfolio(pd.DataFrame({"debtor_id": ["d1"]}), claims, events)
    >>> recovery_curves(p, horizons=(30,), as_of="2026-06-30")[["n_claims", "recovery_rate"]]
       n_claims  recovery_rate
    0         2           0.25
    """
    as_of = _resolve_as_of(portfolio, as_of)
    by = [by] if isinstance(by, str) else list(by or [])
    claims = _with_debtor_columns(portfolio, by)
    claims = claims.loc[claims["invoice_date"] <= as_of]
    ev = _events_upto(portfolio, as_of, claims["claim_id"])
    due = claims.set_index("claim_id")["due_date"]
    ev = ev.assign(dpd=(ev["date"] - due.loc[ev["claim_id"]].to_numpy()).dt.days)
    parts = []
    for a in sorted(set(from_days)):
        before = ev.loc[ev["dpd"] <= a]
        reduced = before.groupby("claim_id")["amount"].sum()
        written_off = set(before.loc[before["type"] == "write_off", "claim_id"])
        base = (claims["amount"] - claims["claim_id"].map(reduced).fillna(0.0)).clip(lower=0.0)
        base = base.where(~claims["claim_id"].isin(written_off), 0.0)
        for h in sorted(x for x in set(horizons) if x > a):
            window = ev.loc[(ev["type"] == "payment") & (ev["dpd"] > a) & (ev["dpd"] <= h)]
            paid = claims["claim_id"].map(window.groupby("claim_id")["amount"].sum()).fillna(0.0)
            mask = (base > 0.01) & (claims["due_date"] + pd.Timedelta(days=h) <= as_of)
            part = claims.loc[mask, by].assign(
                from_days=a, days_past_due=h, base=base[mask], paid=np.minimum(paid, base)[mask]
            )
            parts.append(part)
    keys = [*by, "from_days", "days_past_due"]
    columns = [*keys, "n_claims", "base_eur", "paid_eur", "recovery_rate"]
    if not parts or all(p.empty for p in parts):
        return pd.DataFrame(columns=columns)
    table = (
        pd.concat(parts, ignore_index=True)
        .groupby(keys, as_index=False, observed=True, dropna=False)
        .agg(n_claims=("base", "size"), base_eur=("base", "sum"), paid_eur=("paid", "sum"))
    )
    table["recovery_rate"] = (table["paid_eur"] / table["base_eur"]).round(4)
    table = table.round({"base_eur": 2, "paid_eur": 2}).astype({"n_claims": "int64"})
    return table.sort_values(keys, kind="stable", ignore_index=True)[columns]


def _with_debtor_columns(portfolio: Portfolio, by: list[str]) -> pd.DataFrame:
    cols = ["claim_id", "debtor_id", "invoice_date", "due_date", "amount"]
    claims = portfolio.claims[cols + [c for c in by if c in portfolio.claims and c not in cols]]
    need = [c for c in by if c not in claims.columns]
    if need:
        missing = [c for c in need if c not in portfolio.debtors.columns]
        if missing:
            raise KeyError(f"{missing} are not columns of the claims or the debtors")
        claims = claims.merge(portfolio.debtors[["debtor_id", *need]], on="debtor_id", how="left")
    return claims.reset_index(drop=True)


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
    >>> from recovery_analytics.schema import Portfolio
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


def _euro_axis(axis) -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, _: _format_eur(v)))


def _pct_axis(axis) -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, _: _format_pct(v, 0)))


def plot_pareto(table: pd.DataFrame, ax=None):
    """Pareto curve: share of outstanding held by the largest debtors.

    ``table`` is :func:`concentration` with ``top=None``. Returns the Axes.
    """
    import matplotlib.pyplot as plt

    ax = ax or plt.subplots(figsize=(7, 4))[1]
    x = np.concatenate([[0.0], table["debtor_share"].to_numpy()])
    y = np.concatenate([[0.0], table["cumulative_share"].to_numpy()])
    ax.plot(x, y, color="#1f4e79", lw=2)
    ax.plot([0, 1], [0, 1], color="grey", ls=":", lw=1, label="equal exposure")
    if len(table):
        k = max(int(np.ceil(0.2 * len(table))), 1)
        held = table["cumulative_share"].iloc[k - 1]
        ax.axvline(k / len(table), color="#c55a11", ls="--", lw=1)
        ax.annotate(
            f"top {_format_pct(k / len(table), 0)} of debtors hold {_format_pct(held, 0)}",
            xy=(k / len(table), held),
            xytext=(8, -16),
            textcoords="offset points",
        )
    _pct_axis(ax.xaxis)
    _pct_axis(ax.yaxis)
    ax.set(
        xlim=(0, 1),
        ylim=(0, 1.02),
        xlabel="share of debtors (largest first)",
        ylabel="share of open outstanding",
        title=f"Concentration of open outstanding over {len(table)} debtors",
    )
    ax.legend(loc="lower right", frameon=False)
    return ax


def plot_recovery_curves(curves: pd.DataFrame, group: str = "from_days", ax=None):
    """Recovery rate by days past due, one line per value of ``group``.

    ``curves`` is :func:`recovery_curves`; ``group`` is ``"from_days"`` or a
    segment column. Returns the Axes.
    """
    import matplotlib.pyplot as plt

    ax = ax or plt.subplots(figsize=(7, 4))[1]
    for value, part in curves.groupby(group, sort=True, dropna=False):
        label = f"outstanding at {value} days past due" if group == "from_days" else str(value)
        part = part.sort_values("days_past_due")
        x = np.concatenate([[part["from_days"].iloc[0]], part["days_past_due"]])
        ax.plot(x, np.concatenate([[0.0], part["recovery_rate"]]), marker="o", label=label)
    _pct_axis(ax.yaxis)
    ax.set(
        xlabel="days past due",
        ylabel="share of the outstanding amount paid",
        ylim=(0, None),
        title="Recovery curves: share paid by days past due",
    )
    if ax.get_lines():
        ax.legend(frameon=False, fontsize="small")
    else:
        ax.text(
            0.5,
            0.5,
            "no claim with a complete window yet",
            transform=ax.transAxes,
            ha="center",
            color="grey",
        )
    return ax


def plot_dso_cei(table: pd.DataFrame, axes=None):
    """DSO (days) and CEI (%) per period on two stacked Axes sharing the dates.

    ``table`` is :func:`dso_cei`. Returns the array of two Axes.
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    if axes is None:
        axes = plt.subplots(2, 1, figsize=(8, 5.5), sharex=True)[1]
    x = table["period_start"]  # a point per period, labelled by the period it closes
    axes[0].plot(x, table["dso_days"], marker="o", color="#1f4e79")
    axes[0].set(ylabel="days", title="Days sales outstanding (countback) at the end of each period")
    axes[1].plot(x, table["cei"], marker="o", color="#548235")
    _pct_axis(axes[1].yaxis)
    axes[1].set(ylabel="CEI", title="Collection effectiveness index per period")
    locator = mdates.AutoDateLocator()
    axes[1].xaxis.set_major_locator(locator)
    axes[1].xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    for ax in axes:
        ax.grid(alpha=0.3)
    return axes
