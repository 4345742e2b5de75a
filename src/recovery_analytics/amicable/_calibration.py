"""Calibration of the amicable classifier's raw probabilities.

:func:`fit_calibration` chooses and fits an isotonic or a Platt mapping on a
later time slice than the one the trees were grown on;
:func:`apply_calibration` applies stored parameters. The parameters are plain
lists and floats, so they persist as JSON (:mod:`recovery_analytics.amicable`).
Both are re-exported from :mod:`recovery_analytics.amicable`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.isotonic import IsotonicRegression

__all__ = ["apply_calibration", "fit_calibration"]

_EPS = 1e-6
#: Minimum rows and rows of each class in the calibration slice for isotonic.
_ISOTONIC_MIN_ROWS, _ISOTONIC_MIN_CLASS = 1000, 50


_SEGMENT_MIN_ROWS = 300


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, _EPS, 1 - _EPS)
    return np.log(p / (1 - p))


def _platt(raw: np.ndarray, y: np.ndarray, ridge: float = 1e-3) -> tuple[float, float]:
    """Fit ``p = sigmoid(a * logit(raw) + b)`` by Newton's method (log loss)."""
    x = _logit(raw)
    a, b = 1.0, 0.0
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(a * x + b)))
        w = p * (1 - p)
        grad = np.array([np.sum((p - y) * x) + ridge * (a - 1), np.sum(p - y) + ridge * b])
        hess = np.array(
            [[np.sum(w * x * x) + ridge, np.sum(w * x)], [np.sum(w * x), np.sum(w) + ridge]]
        )
        step = np.linalg.solve(hess, grad)
        a, b = a - step[0], b - step[1]
        if np.max(np.abs(step)) < 1e-9:
            break
    return float(a), float(b)


def apply_calibration(
    raw: np.ndarray, calibration: dict[str, Any], not_yet_due: np.ndarray | None = None
) -> np.ndarray:
    """Map raw classifier probabilities through stored calibration parameters.

    When the parameters carry ``segments`` (``"overdue"`` and ``"not_yet_due"``,
    fitted apart by :func:`fit_calibration` with ``segment``) and
    ``not_yet_due`` is given, each row goes through its segment's mapping.

    Parameters
    ----------
    raw : numpy.ndarray
        Uncalibrated probabilities.
    calibration : dict
        ``{"method": "isotonic", "x": [...], "y": [...]}`` (piecewise linear
        through the thresholds, clipped at the ends), ``{"method": "platt",
        "a": a, "b": b}`` or ``{"method": "none"}``.

    Examples
    --------
    >>> import numpy as np
    >>> apply_calibration(np.array([0.1, 0.5, 0.9]), {"method": "isotonic",
    ...                   "x": [0.0, 1.0], "y": [0.2, 0.6]}).round(2).tolist()
    [0.24, 0.4, 0.56]
    """
    raw = np.asarray(raw, dtype="float64")
    segments = calibration.get("segments") or {}
    if segments and not_yet_due is not None and len(raw):
        not_yet_due = np.asarray(not_yet_due, dtype=bool)
        out = apply_calibration(raw, {k: v for k, v in calibration.items() if k != "segments"})
        for name, mask in (("not_yet_due", not_yet_due), ("overdue", ~not_yet_due)):
            if name in segments and mask.any():
                out[mask] = apply_calibration(raw[mask], segments[name])
        return out
    method = calibration["method"]
    if method == "isotonic":
        out = np.interp(raw, np.asarray(calibration["x"]), np.asarray(calibration["y"]))
    elif method == "platt":
        out = 1.0 / (1.0 + np.exp(-(calibration["a"] * _logit(raw) + calibration["b"])))
    else:
        out = raw
    return np.clip(out, 0.0, 1.0)


def _fit_one(method: str, raw: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    if method == "isotonic":
        iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(raw, y)
        return {
            "method": "isotonic",
            "x": iso.X_thresholds_.tolist(),
            "y": iso.y_thresholds_.tolist(),
        }
    a, b = _platt(raw, y)
    return {"method": "platt", "a": a, "b": b}


def _brier(p: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean((p - y) ** 2))


def fit_calibration(
    raw: np.ndarray,
    y: np.ndarray,
    order: np.ndarray,
    method: str = "auto",
    segment: np.ndarray | None = None,
) -> dict[str, Any]:
    """Choose and fit the calibration of raw probabilities on a later time slice.

    ``method="auto"`` compares isotonic and Platt when the slice is large
    enough (>= 1000 rows, >= 50 of each class): both are fitted on the older
    half of the slice (by ``order``, e.g. the as_of date) and the one with the
    lower Brier score on the newer half wins; smaller slices use Platt. The
    winner is refitted on the whole slice. If it does not lower the Brier
    score of the raw probabilities on the slice, no calibration is applied
    (``method="none"``), so calibration never makes the slice's Brier worse.

    ``segment`` (a boolean mask of the claims not yet due) fits, besides the
    pooled mapping, one mapping per segment that holds at least
    ``300`` rows and ``30`` of each class (``segments`` key): claims not yet due
    are mostly paid and overdue ones mostly not, and one mapping for both
    leaves each segment off by a few points.

    Returns
    -------
    dict
        Calibration parameters (see :func:`apply_calibration`) plus
        ``brier_raw`` and ``brier_calibrated`` on the slice.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> raw = rng.uniform(size=500)
    >>> y = (rng.uniform(size=500) < raw**2).astype(float)
    >>> cal = fit_calibration(raw, y, np.arange(500))
    >>> cal["method"], cal["brier_calibrated"] <= cal["brier_raw"]
    ('platt', True)
    """
    raw = np.asarray(raw, dtype="float64")
    y = np.asarray(y, dtype="float64")
    if segment is not None:
        pooled = fit_calibration(raw, y, order, method)
        segment = np.asarray(segment, dtype=bool)
        fitted = {}
        for name, mask in (("not_yet_due", segment), ("overdue", ~segment)):
            n_pos = y[mask].sum()
            if mask.sum() >= _SEGMENT_MIN_ROWS and min(n_pos, mask.sum() - n_pos) >= 30:
                fitted[name] = fit_calibration(raw[mask], y[mask], order[mask], method)
        if fitted:
            pooled["segments"] = fitted
            p = apply_calibration(raw, pooled, segment)
            pooled["brier_calibrated"] = _brier(p, y)
        return pooled
    n_min = min(y.sum(), len(y) - y.sum())
    if n_min == 0:
        chosen = {"method": "none"}
    elif method == "auto":
        if len(y) >= _ISOTONIC_MIN_ROWS and n_min >= _ISOTONIC_MIN_CLASS:
            cut = np.quantile(order, 0.5, method="lower")
            old, new = order <= cut, order > cut
            if new.sum() == 0 or old.sum() == 0:
                old = new = np.ones(len(y), dtype=bool)
            scores = {
                m: _brier(apply_calibration(raw[new], _fit_one(m, raw[old], y[old])), y[new])
                for m in ("isotonic", "platt")
            }
            method = min(scores, key=lambda m: (scores[m], m))
        else:
            method = "platt"
        chosen = _fit_one(method, raw, y)
    elif method in ("isotonic", "platt"):
        chosen = _fit_one(method, raw, y)
    else:
        chosen = {"method": "none"}
    brier_raw = _brier(raw, y) if len(y) else float("nan")
    brier_cal = _brier(apply_calibration(raw, chosen), y) if len(y) else float("nan")
    if brier_cal > brier_raw:
        chosen, brier_cal = {"method": "none"}, brier_raw
    return {**chosen, "brier_raw": brier_raw, "brier_calibrated": brier_cal}
