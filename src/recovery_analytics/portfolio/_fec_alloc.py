"""Match the credits of a customer account to its invoices: lettering, then imputation.

Private helper of :func:`recovery_analytics.portfolio.read_fec`. Amounts are integer
cents so that balances are exact to the cent.

:func:`allocate` is first-in first-out *within groups*: the credits of a group,
oldest first, pay its claims in their order, each up to its remaining capacity.
It is vectorised: in each group the claims fill the interval ``[0, total
claims)`` and the credits the interval ``[0, total credits)``; every stretch
between two consecutive ends belongs to exactly one claim and one credit,
and its length is the amount that credit pays on that claim.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__: list[str] = []


def allocate(
    claim_group: np.ndarray,
    claim_order: np.ndarray,
    claim_cap: np.ndarray,
    credit_group: np.ndarray,
    credit_order: np.ndarray,
    credit_amount: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First-in first-out allocation of credits to claims of the same group.

    Parameters
    ----------
    claim_group, credit_group : array
        Group keys (any hashable values; claims pay only credits of their group).
    claim_order, credit_order : array of int
        Order inside a group (claims: due date then line; credits: date then line).
    claim_cap, credit_amount : array of int
        What each claim can still receive and what each credit still has, in cents.

    Returns
    -------
    (claim_index, credit_index, cents)
        Indices into the inputs and the amounts allocated (all > 0).

    Examples
    --------
    Two invoices of 100.00 and 50.00, two payments of 120.00 and 40.00:

    >>> c, p, amt = allocate(np.array(["A", "A"]), np.array([1, 2]), np.array([10000, 5000]),
    ...                      np.array(["A", "A"]), np.array([1, 2]), np.array([12000, 4000]))
    >>> c.tolist(), p.tolist(), amt.tolist()
    ([0, 1, 1], [0, 0, 1], [10000, 2000, 3000])
    """
    empty = np.array([], np.int64)
    if not len(claim_cap) or not len(credit_amount):
        return empty, empty, empty
    codes, _ = pd.factorize(np.concatenate([claim_group, credit_group]).astype(object))
    cg, pg = codes[: len(claim_group)], codes[len(claim_group) :]
    n_groups = int(codes.max()) + 1
    cs = np.lexsort((np.arange(len(cg)), claim_order, cg))
    ps = np.lexsort((np.arange(len(pg)), credit_order, pg))
    ccap = np.maximum(np.asarray(claim_cap, np.int64)[cs], 0)
    pamt = np.maximum(np.asarray(credit_amount, np.int64)[ps], 0)
    tot_c = np.bincount(cg[cs], weights=ccap, minlength=n_groups).astype(np.int64)
    tot_p = np.bincount(pg[ps], weights=pamt, minlength=n_groups).astype(np.int64)
    width = np.maximum(tot_c, tot_p) + 1
    offset = np.concatenate([[0], np.cumsum(width)[:-1]])
    limit = offset + np.minimum(tot_c, tot_p)
    c_end = np.cumsum(ccap)  # groups are contiguous after the sort: rebase on the offset
    c_end = c_end - _group_base(c_end, ccap, cg[cs]) + offset[cg[cs]]
    p_end = np.cumsum(pamt)
    p_end = p_end - _group_base(p_end, pamt, pg[ps]) + offset[pg[ps]]
    groups = np.concatenate([cg[cs], pg[ps], np.arange(n_groups)])
    points = np.concatenate([c_end, p_end, limit])
    keep = points <= limit[groups]
    points, groups = points[keep], groups[keep]
    order = np.lexsort((points, groups))
    points, groups = points[order], groups[order]
    first = np.r_[True, groups[1:] != groups[:-1]]
    starts = np.where(first, offset[groups], np.r_[0, points[:-1]])
    seg = points > starts
    starts, ends = starts[seg], points[seg]
    ci = np.searchsorted(c_end, starts, side="right")
    pi = np.searchsorted(p_end, starts, side="right")
    return cs[ci], ps[pi], (ends - starts).astype(np.int64)


def _group_base(ends: np.ndarray, amounts: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """For sorted, contiguous groups: the running total before each group's first row."""
    first = np.r_[True, groups[1:] != groups[:-1]]
    base = np.where(first, ends - amounts, 0)
    return np.maximum.accumulate(np.where(first, base, -1))
