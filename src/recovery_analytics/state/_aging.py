"""Aged balance (balance âgée): open outstanding by age bucket.

Claims are bucketed by ``days_past_due`` at the state's ``as_of``: not yet due
(0 days or fewer: due today is not late), then 1–30, 31–60, 61–90, 91–180,
181–365 and more than 365 days past due by default. The buckets are given as
their upper bounds in days, so ``(30, 90)`` means "non échu", "1–30 j",
"31–90 j", "> 90 j".
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np
import pandas as pd

__all__ = ["DEFAULT_BUCKETS", "TOTAL_LABEL", "age_bucket", "aged_balance", "bucket_labels"]

#: Upper bounds (days past due, inclusive) of the default buckets; the last
#: bucket is open-ended ("> 365 j"). 0 is the "non échu" bucket.
DEFAULT_BUCKETS: tuple[int, ...] = (0, 30, 60, 90, 180, 365)
#: Bucket label of the per-group total rows of :func:`aged_balance`.
TOTAL_LABEL = "Total"


def _bounds(buckets: Sequence[int]) -> list[int]:
    bounds = [int(b) for b in buckets]
    if not bounds or bounds[0] != 0:
        bounds = [0, *bounds]
    if any(b < 0 for b in bounds) or any(hi <= lo for lo, hi in pairwise(bounds)):
        raise ValueError(
            f"buckets must be increasing non-negative numbers of days, got {list(buckets)!r}"
        )
    return bounds


def bucket_labels(buckets: Sequence[int] = DEFAULT_BUCKETS) -> list[str]:
    """French labels of the buckets, in age order.

    Parameters
    ----------
    buckets : sequence of int
        Upper bounds in days past due; 0 (not yet due) is always added.

    Examples
    --------
    >>> bucket_labels((30, 90))
    ['non échu', '1–30 j', '31–90 j', '> 90 j']
    """
    bounds = _bounds(buckets)
    labels = ["non échu"]
    labels += [f"{lo + 1}–{hi} j" for lo, hi in pairwise(bounds)]
    return [*labels, f"> {bounds[-1]} j"]


def age_bucket(days_past_due, buckets: Sequence[int] = DEFAULT_BUCKETS) -> pd.Categorical:
    """Age bucket of each claim, as an ordered categorical with French labels.

    Parameters
    ----------
    days_past_due : array-like of int
        Days past due (negative or 0 = not yet due). Missing values give NaN.
    buckets : sequence of int, default :data:`DEFAULT_BUCKETS`
        Inclusive upper bounds of the buckets in days; the last bucket is
        everything above the largest bound.

    Returns
    -------
    pandas.Categorical
        Ordered, categories :func:`bucket_labels` (all of them, even unused).

    Examples
    --------
    >>> list(age_bucket([-5, 0, 1, 30, 31, 365, 366]))
    ['non échu', 'non échu', '1–30 j', '1–30 j', '31–60 j', '181–365 j', '> 365 j']
    """
    bounds = _bounds(buckets)
    edges = [-np.inf, *bounds, np.inf]
    days = pd.to_numeric(pd.Series(np.asarray(days_past_due, dtype=object)), errors="coerce")
    cut = pd.cut(days.astype("float64"), edges, right=True, labels=bucket_labels(bounds))
    return pd.Categorical(cut, categories=bucket_labels(bounds), ordered=True)


def aged_balance(
    state: pd.DataFrame,
    by: str | list[str] | None = "debtor_type",
    buckets: Sequence[int] = DEFAULT_BUCKETS,
    *,
    totals: bool = False,
) -> pd.DataFrame:
    """Open outstanding by age bucket, per group: the aged balance.

    Only open claims (``is_open``) count. Every group present among the open
    claims gets a row for every bucket, empty buckets included (zeros).

    Parameters
    ----------
    state : pandas.DataFrame
        A claim state (:func:`recovery_analytics.state.portfolio_state`),
        with at least ``is_open``, ``outstanding_eur``, ``days_past_due`` and
        the ``by`` columns. To group by a debtor column that the state does not
        carry, merge ``debtors`` in first.
    by : str, list of str or None, default "debtor_type"
        Grouping columns; ``None`` for one balance over the whole portfolio.
        Missing values form their own group.
    buckets : sequence of int, default :data:`DEFAULT_BUCKETS`
        Upper bounds of the age buckets (see :func:`age_bucket`).
    totals : bool, default False
        Add one row per group with bucket :data:`TOTAL_LABEL` (the last
        category) summing the group.

    Returns
    -------
    pandas.DataFrame
        Sorted by the ``by`` columns then bucket, columns:

        ``<by columns>``
            the group;
        ``bucket`` (ordered categorical)
            the age bucket;
        ``n_claims`` (int64)
            number of open claims;
        ``outstanding_eur`` (float64)
            their outstanding, euros;
        ``share_of_outstanding`` (float64)
            share of the group's outstanding (0 when the group owes nothing).

    Examples
    --------
    >>> import pandas as pd
    >>> state = pd.DataFrame({"debtor_type": ["B2B", "B2B", "B2C", "B2C"],
    ...     "is_open": [True, True, True, False],
    ...     "outstanding_eur": [300.0, 100.0, 50.0, 0.0],
    ...     "days_past_due": [45, -3, 400, 10]})
    >>> aged_balance(state, buckets=(30, 90)).head(4)
      debtor_type    bucket  n_claims  outstanding_eur  share_of_outstanding
    0         B2B  non échu         1            100.0                  0.25
    1         B2B    1–30 j         0              0.0                  0.00
    2         B2B   31–90 j         1            300.0                  0.75
    3         B2B    > 90 j         0              0.0                  0.00
    """
    keys = [] if by is None else [by] if isinstance(by, str) else list(by)
    needed = ["is_open", "outstanding_eur", "days_past_due", *keys]
    missing = [c for c in needed if c not in state.columns]
    if missing:
        raise KeyError(
            f"aged_balance: the state has no column {missing}; "
            "merge the debtors (or claims) table into the state to group by its columns"
        )
    is_open = state["is_open"].to_numpy(dtype=bool)
    opened = state.loc[is_open, [*keys, "outstanding_eur"]].assign(
        bucket=age_bucket(state.loc[is_open, "days_past_due"], buckets), n_claims=1
    )
    labels = bucket_labels(buckets)
    groups = opened[keys].drop_duplicates() if keys else pd.DataFrame(index=[0])
    every = pd.Categorical(labels, categories=labels, ordered=True)
    grid = groups.merge(pd.DataFrame({"bucket": every}), how="cross")
    sums = opened.groupby([*keys, "bucket"], dropna=False, observed=True, sort=False)[
        ["n_claims", "outstanding_eur"]
    ].sum()
    table = grid.merge(sums.reset_index(), on=[*keys, "bucket"], how="left")
    table["n_claims"] = table["n_claims"].fillna(0).astype(np.int64)
    table["outstanding_eur"] = table["outstanding_eur"].fillna(0.0).astype(np.float64)
    if keys:
        group_total = table.groupby(keys, dropna=False, sort=False)["outstanding_eur"].transform(
            "sum"
        )
    else:
        group_total = pd.Series(table["outstanding_eur"].sum(), index=table.index)
    table["share_of_outstanding"] = (
        table["outstanding_eur"] / group_total.where(group_total > 0)
    ).fillna(0.0)
    if totals:
        table = _with_totals(table, keys, labels)
    table = table.sort_values([*keys, "bucket"], kind="stable", na_position="last")
    return table[
        [*keys, "bucket", "n_claims", "outstanding_eur", "share_of_outstanding"]
    ].reset_index(drop=True)


def _with_totals(table: pd.DataFrame, keys: list[str], labels: list[str]) -> pd.DataFrame:
    categories = [*labels, TOTAL_LABEL]
    if keys:
        total = table.groupby(keys, dropna=False, sort=False)[["n_claims", "outstanding_eur"]].sum()
        total = total.reset_index()
    else:
        total = table[["n_claims", "outstanding_eur"]].sum().to_frame().T
        total = total.astype({"n_claims": np.int64, "outstanding_eur": np.float64})
    total["share_of_outstanding"] = np.where(total["outstanding_eur"] > 0, 1.0, 0.0)
    total["bucket"] = TOTAL_LABEL
    out = pd.concat([table.astype({"bucket": "object"}), total], ignore_index=True)
    out["bucket"] = pd.Categorical(out["bucket"], categories=categories, ordered=True)
    return out
