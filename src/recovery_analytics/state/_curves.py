"""DSO and CEI over time, and recovery curves by age and segment (for analysts)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from recovery_analytics.portfolio import Portfolio

__all__ = [
    "dso_cei",
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
    >>> from recovery_analytics.portfolio import Portfolio
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
    >>> from recovery_analytics.portfolio import Portfolio
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
