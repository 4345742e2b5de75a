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

from recovery_analytics.plots import column_label, ensure_axes, format_pct, pct_formatter
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


def _claim_events(portfolio: Portfolio, claims: pd.DataFrame, as_of: pd.Timestamp) -> dict:
    """Events dated <= as_of of the given claims, as arrays; ``code`` indexes ``claims`` rows."""
    ev = portfolio.events
    code = pd.Index(claims["claim_id"]).get_indexer(ev["claim_id"])
    keep = (code >= 0) & (ev["date"] <= as_of).to_numpy()
    kind = ev["type"].to_numpy()[keep]
    amount = ev["amount"].fillna(0.0).to_numpy()[keep]
    return {
        "code": code[keep],
        "date": ev["date"].to_numpy()[keep],
        "type": kind,
        "amount": np.where(np.isin(kind, _REDUCING), amount, 0.0),  # only these reduce a claim
    }


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

    def period(dates: np.ndarray) -> np.ndarray:
        return np.searchsorted(ends_np, dates, side="left")

    inv_idx = period(claims["invoice_date"].to_numpy())
    due_idx = np.searchsorted(ends_np, claims["due_date"].to_numpy(), side="right")
    amount = claims["amount"].to_numpy()
    ev = _claim_events(portfolio, claims, as_of)
    ev_idx = np.maximum(period(ev["date"]), inv_idx[ev["code"]])
    is_wo = ev["type"] == "write_off"
    wo_idx = np.full(len(claims), np.iinfo(np.int64).max)
    np.minimum.at(wo_idx, ev["code"][is_wo], ev_idx[is_wo])

    # change points of each claim's outstanding: its invoice, reductions, write-off
    keep = is_wo | (ev["amount"] != 0)
    key = np.concatenate([np.arange(len(claims)), ev["code"][keep]])
    idx = np.concatenate([inv_idx, ev_idx[keep]])
    reduction = np.concatenate([np.zeros(len(claims)), ev["amount"][keep]])
    order = np.lexsort((idx, key))
    key, idx, reduction = key[order], idx[order], reduction[order]
    reduced = pd.Series(reduction).groupby(key).cumsum().to_numpy()
    out = np.clip(amount[key] - reduced, 0.0, None)
    out = np.where((idx >= wo_idx[key]) | (out <= 0.01), 0.0, out)
    prev = np.concatenate([[0.0], out[:-1]])
    prev[np.concatenate([[True], key[1:] != key[:-1]])] = 0.0
    delta = out - prev  # deltas at one (claim, period) telescope to its last state

    def accumulate(at: np.ndarray, weights: np.ndarray) -> np.ndarray:
        keep = at < n
        return np.cumsum(np.bincount(at[keep], weights=weights[keep], minlength=n))

    ar_end = accumulate(idx, delta)
    ar_overdue = accumulate(np.maximum(idx, due_idx[key]), delta)
    ar_end = np.where(np.abs(ar_end) < 1e-6, 0.0, ar_end)
    ar_overdue = np.where(np.abs(ar_overdue) < 1e-6, 0.0, ar_overdue)
    ar_begin = np.concatenate([[0.0], ar_end[:-1]])
    invoiced = np.bincount(inv_idx[inv_idx < n], weights=amount[inv_idx < n], minlength=n)

    def flows(kind: str) -> np.ndarray:
        sel = (ev["type"] == kind) & (ev_idx < n)
        return np.bincount(ev_idx[sel], weights=ev["amount"][sel], minlength=n)

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
    claims = claims.loc[claims["invoice_date"] <= as_of].reset_index(drop=True)
    ev = _claim_events(portfolio, claims, as_of)
    code, n = ev["code"], len(claims)
    dpd = (ev["date"] - claims["due_date"].to_numpy()[code]) // np.timedelta64(1, "D")
    is_payment, is_wo = ev["type"] == "payment", ev["type"] == "write_off"
    amount, due = claims["amount"].to_numpy(), claims["due_date"]
    parts = []
    for a in sorted(set(from_days)):
        before = dpd <= a
        reduced = np.bincount(code[before], weights=ev["amount"][before], minlength=n)
        written_off = np.bincount(code[before & is_wo], minlength=n) > 0
        base = np.where(written_off, 0.0, np.clip(amount - reduced, 0.0, None))
        for h in sorted(x for x in set(horizons) if x > a):
            window = is_payment & (dpd > a) & (dpd <= h)
            paid = np.bincount(code[window], weights=ev["amount"][window], minlength=n)
            mask = (base > 0.01) & (due + pd.Timedelta(days=h) <= as_of).to_numpy()
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


def plot_pareto(table: pd.DataFrame, ax=None):
    """Pareto curve: share of outstanding held by the largest debtors.

    ``table`` is :func:`concentration` with ``top=None``. Returns the Axes.

    Examples
    --------
    >>> import pandas as pd
    >>> state = pd.DataFrame({"debtor_id": ["a", "b"], "debtor_type": ["B2B", "B2C"],
    ...     "outstanding_eur": [300.0, 100.0], "days_past_due": [10, 40], "is_open": [True, True]})
    >>> plot_pareto(concentration(state, top=None)).get_title()
    "Concentration de l'encours ouvert sur 2 débiteurs"
    """
    ax = ensure_axes(ax, (7.0, 4.0))
    x = np.concatenate([[0.0], table["debtor_share"].to_numpy()])
    y = np.concatenate([[0.0], table["cumulative_share"].to_numpy()])
    ax.plot(x, y, color="#1f4e79", lw=2)
    ax.plot([0, 1], [0, 1], color="grey", ls=":", lw=1, label="encours également réparti")
    if len(table):
        k = max(int(np.ceil(0.2 * len(table))), 1)
        held = table["cumulative_share"].iloc[k - 1]
        ax.axvline(k / len(table), color="#c55a11", ls="--", lw=1)
        ax.annotate(
            f"{k} débiteurs ({format_pct(k / len(table), 0)}) portent {format_pct(held, 0)}",
            xy=(k / len(table), held),
            xytext=(8, -16),
            textcoords="offset points",
        )
    ax.xaxis.set_major_formatter(pct_formatter())
    ax.yaxis.set_major_formatter(pct_formatter())
    ax.set(
        xlim=(0, 1),
        ylim=(0, 1.02),
        xlabel="part des débiteurs (les plus gros d'abord)",
        ylabel="part de l'encours ouvert",
        title=f"Concentration de l'encours ouvert sur {len(table)} débiteurs",
    )
    ax.legend(loc="lower right", frameon=False)
    return ax


def plot_recovery_curves(curves: pd.DataFrame, group: str = "from_days", ax=None):
    """Recovery rate by days past due, one line per value of ``group``.

    ``curves`` is :func:`recovery_curves`; ``group`` is ``"from_days"`` or a
    segment column. Returns the Axes.

    Examples
    --------
    >>> import pandas as pd
    >>> curves = pd.DataFrame({"from_days": [0, 0], "days_past_due": [30, 60],
    ...     "recovery_rate": [0.4, 0.6]})
    >>> len(plot_recovery_curves(curves).get_lines())
    1
    """
    ax = ensure_axes(ax, (7.0, 4.0))
    by = "" if group == "from_days" else f" par {column_label(group)}"
    for value, part in curves.groupby(group, sort=True, dropna=False):
        label = f"encours à {value} jours de retard" if group == "from_days" else str(value)
        part = part.sort_values("days_past_due")
        x = np.concatenate([[part["from_days"].iloc[0]], part["days_past_due"]])
        ax.plot(x, np.concatenate([[0.0], part["recovery_rate"]]), marker="o", label=label)
    ax.yaxis.set_major_formatter(pct_formatter())
    ax.set(
        xlabel="jours de retard",
        ylabel="part de l'encours payée",
        ylim=(0, None),
        title=f"Courbes de recouvrement{by} : part de l'encours payée selon le retard",
    )
    if ax.get_lines():
        ax.legend(frameon=False, fontsize="small")
    else:
        ax.text(
            0.5,
            0.5,
            "aucune créance observée assez longtemps",
            transform=ax.transAxes,
            ha="center",
            color="grey",
        )
    return ax


def plot_dso_cei(table: pd.DataFrame, axes=None):
    """DSO (days) and CEI (%) per period on two stacked Axes sharing the dates.

    ``table`` is :func:`dso_cei`. Returns the array of two Axes.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"period_start": pd.to_datetime(["2026-01-01", "2026-02-01"]),
    ...     "dso_days": [31.0, 46.1], "cei": [float("nan"), 0.38]})
    >>> len(plot_dso_cei(table))
    2
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    if axes is None:
        axes = plt.subplots(2, 1, figsize=(8, 5.5), sharex=True)[1]
    x = table["period_start"]  # a point per period, labelled by the period it closes
    axes[0].plot(x, table["dso_days"], marker="o", color="#1f4e79")
    axes[0].set(ylabel="jours", title="DSO (méthode par épuisement du CA) en fin de période")
    axes[1].plot(x, table["cei"], marker="o", color="#548235")
    axes[1].yaxis.set_major_formatter(pct_formatter())
    axes[1].set(ylabel="CEI", title="Efficacité du recouvrement (CEI) par période")
    locator = mdates.AutoDateLocator()
    axes[1].xaxis.set_major_locator(locator)
    axes[1].xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    for ax in axes:
        ax.grid(alpha=0.3)
    return axes
