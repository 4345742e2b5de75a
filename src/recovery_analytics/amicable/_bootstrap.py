"""Weighted metrics and the claim-level bootstrap behind the evaluation's intervals.

The held-out snapshots repeat a claim at several dates, so rows are not
independent: the bootstrap resamples **claims** (all of a claim's rows go in
or out together, as multinomial weights) and recomputes every metric on each
replicate. Every metric here takes a matrix of row weights ``W`` of shape
``(replicates, rows)`` and returns one value per replicate, vectorised over
the replicates; unit weights give the point estimate.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__: list[str] = []

#: Replicate blocks are sized so that a block's weight matrix holds at most this many cells.
_MAX_CELLS = 20_000_000


class _Orders:
    """Each strategy's order of work: rows sorted by (as_of, -score, claim_id)."""

    def __init__(self, scores: pd.DataFrame, strategies: Sequence[str]) -> None:
        codes, dates = pd.factorize(scores["as_of"], sort=True)
        self.codes = codes
        self.counts = np.bincount(codes, minlength=len(dates))
        self.starts = np.concatenate([[0], np.cumsum(self.counts)[:-1]]).astype(np.intp)
        self.euros = scores["recovered_eur"].to_numpy(dtype="float64")
        claim = scores["claim_id"].astype("string").to_numpy(dtype=object)
        self.order = {
            s: np.lexsort((claim, -scores[s].to_numpy(dtype="float64"), codes)) for s in strategies
        }

    def captured(
        self, strategy: str, capacity: float, weights: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rows worked, euros captured and euros available per date: arrays ``(B, dates)``."""
        o = self.order[strategy]
        w = np.ones((1, len(o))) if weights is None else weights[:, o]
        e = self.euros[o]
        date = self.codes[o]
        cum = np.cumsum(w, axis=1)
        start = np.concatenate([np.zeros((w.shape[0], 1)), cum], axis=1)[:, self.starts]
        before = cum - w - start[:, date]  # weight ranked before the row, in its date
        total_w = np.add.reduceat(w, self.starts, axis=1)
        worked = before < capacity * total_w[:, date]
        return (
            np.add.reduceat(w * worked, self.starts, axis=1),
            np.add.reduceat(w * e * worked, self.starts, axis=1),
            np.add.reduceat(w * e, self.starts, axis=1),
        )

    def share(self, strategy: str, capacity: float, weights: np.ndarray | None) -> np.ndarray:
        """Mean over dates of the captured share, one value per replicate."""
        _, captured, total = self.captured(strategy, capacity, weights)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(total > 0, captured / total, np.nan)
        valid = np.isfinite(share)
        return np.where(valid, share, 0.0).sum(axis=1) / np.maximum(valid.sum(axis=1), 1)


def weighted_auc(y: np.ndarray, s: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """ROC AUC of scores ``s`` for labels ``y`` under each row of ``weights`` (ties count 1/2).

    Examples
    --------
    >>> import numpy as np
    >>> weighted_auc(np.array([0, 0, 1, 1]), np.array([.1, .4, .35, .8]), np.ones((1, 4)))
    array([0.75])
    """
    order = np.argsort(s, kind="stable")
    s_sorted, y_sorted = s[order], y[order].astype(bool)
    w = weights[:, order]
    starts = np.flatnonzero(np.r_[True, s_sorted[1:] != s_sorted[:-1]])
    neg = np.add.reduceat(np.where(y_sorted, 0.0, w), starts, axis=1)
    pos = np.add.reduceat(np.where(y_sorted, w, 0.0), starts, axis=1)
    below = np.cumsum(neg, axis=1) - neg
    num = (pos * (below + 0.5 * neg)).sum(axis=1)
    den = pos.sum(axis=1) * neg.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den, np.nan)


def weighted_ece(y: np.ndarray, p: np.ndarray, weights: np.ndarray, n_bins: int = 10) -> np.ndarray:
    """Expected calibration error (equal-width bins) under each row of ``weights``."""
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    b = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, n_bins - 1)
    gap = np.zeros(weights.shape[0])
    for k in np.unique(b):
        m = b == k
        n = weights[:, m].sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            diff = (weights[:, m] @ (y[m] - p[m])) / n
        gap += np.where(n > 0, np.abs(diff) * n, 0.0)
    return gap / np.maximum(weights.sum(axis=1), 1e-12)


def weighted_brier(y: np.ndarray, p: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Brier score under each row of ``weights``."""
    return (weights @ (p - y) ** 2) / np.maximum(weights.sum(axis=1), 1e-12)


def claim_weight_blocks(claim_ids: pd.Series, n_boot: int, seed: int) -> list[np.ndarray]:
    """Bootstrap row weights, claims resampled with replacement, in memory-sized blocks."""
    codes, claims = pd.factorize(claim_ids.astype("string"))
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(len(claims), np.full(len(claims), 1.0 / len(claims)), size=n_boot)
    block = max(1, _MAX_CELLS // max(len(codes), 1))
    return [counts[i : i + block][:, codes].astype("float64") for i in range(0, n_boot, block)]


def interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """Percentile interval of bootstrap replicates (NaN replicates ignored)."""
    v = values[np.isfinite(values)]
    if not len(v):
        return float("nan"), float("nan")
    a = (1 - level) / 2
    return float(np.quantile(v, a)), float(np.quantile(v, 1 - a))
