"""Features that earn their place: the held-out checks of ``AmicableModel.fit``.

Two checks, both on the later time slice the trees were not grown on:

* :func:`drop_wide_categoricals` grows the classifier with and without every
  categorical feature of more than :data:`HIGH_CARDINALITY` levels (a
  département, a NAF code, an extra column) and leaves out the ones whose
  removal lowers the slice's log loss (``model.dropped_features_``);
* :func:`permutation_check` shuffles each feature of the kept classifier in
  turn on the slice and measures how much the log loss rises
  (``model.feature_check_``). A feature whose shuffling *lowers* the log
  loss by more than its noise is noise to the model: ``train`` warns about
  it and the model card lists it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["HIGH_CARDINALITY", "harmful_features"]

#: Categorical features with more levels than this go through the drop check.
HIGH_CARDINALITY = 20
#: Rows of the later slice used by the permutation check (a sample beyond).
PERMUTATION_ROWS = 20_000
PERMUTATION_REPEATS = 3


def drop_wide_categoricals(model: Any, x: np.ndarray, y, tr, va, weight) -> np.ndarray:
    """Drop the high-cardinality categoricals whose removal helps the later slice."""
    wide = [c for c in model.categorical_features_ if len(model.categories_[c]) > HIGH_CARDINALITY]
    if not wide:
        return x
    full = model._train("binary", x[tr], y[tr], x[va], y[va], weight)
    loss = full.best_score["valid_0"]["binary_logloss"]
    for c in wide:
        keep = [i for i, n in enumerate(model.feature_names_) if n != c]
        names = [model.feature_names_[i] for i in keep]
        xs = x[:, keep]
        without = model._train("binary", xs[tr], y[tr], xs[va], y[va], weight, names=names)
        loss_without = without.best_score["valid_0"]["binary_logloss"]
        if loss_without < loss:
            model.dropped_features_[c] = {
                "log_loss_with": float(loss),
                "log_loss_without": float(loss_without),
                "levels": len(model.categories_[c]),
            }
            x, loss = xs, loss_without
            model.feature_names_ = names
            model.categorical_features_.remove(c)
            del model.categories_[c]
    model.n_features_in_ = len(model.feature_names_)
    return x


def _row_loss(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def permutation_check(
    booster: Any,
    x: np.ndarray,
    y: np.ndarray,
    names: list[str],
    seed: int = 0,
    groups: np.ndarray | None = None,
) -> dict[str, Any]:
    """Rise of the log loss on the later slice when each feature is shuffled.

    Parameters
    ----------
    booster : lightgbm.Booster
        The kept classifier (raw probabilities).
    x, y : numpy.ndarray
        The later slice's feature matrix (columns in ``names`` order) and labels.
    names : list of str
    seed : int, default 0
        Seed of the shuffles and of the row sample: same inputs, same result.
    groups : numpy.ndarray, optional
        The claim of each row: a claim is seen at several dates, so the
        standard error of a rise is computed over claims, not rows.

    Returns
    -------
    dict
        ``rows``, ``repeats``, ``log_loss`` (unshuffled) and ``features``:
        one entry per feature, ``{"increase": mean rise, "se": its standard
        error over claims}``, sorted by decreasing rise.
        :func:`harmful_features` reads it.

    Examples
    --------
    >>> import lightgbm as lgb
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(2000, 2))
    >>> y = (rng.uniform(size=2000) < 1 / (1 + np.exp(-2 * x[:, 0]))).astype(float)
    >>> b = lgb.train({"objective": "binary", "verbose": -1, "num_threads": 1},
    ...               lgb.Dataset(x, y), 30)
    >>> out = permutation_check(b, x, y, ["signal", "noise"])
    >>> list(out["features"])[0], out["features"]["signal"]["increase"] > 0.1
    ('signal', True)
    """
    rng = np.random.default_rng(seed)
    groups = np.arange(len(y)) if groups is None else np.asarray(groups)
    if len(y) > PERMUTATION_ROWS:
        rows = np.sort(rng.choice(len(y), PERMUTATION_ROWS, replace=False))
        x, y, groups = x[rows], y[rows], groups[rows]
    codes = np.unique(groups, return_inverse=True)[1]
    n_groups = int(codes.max()) + 1 if len(codes) else 0
    base_rows = _row_loss(y, booster.predict(x))
    features: dict[str, dict[str, float]] = {}
    for j, name in enumerate(names):
        diff = np.zeros(len(y))
        for _ in range(PERMUTATION_REPEATS):
            shuffled = x.copy()
            shuffled[:, j] = x[rng.permutation(len(y)), j]
            diff += _row_loss(y, booster.predict(shuffled)) - base_rows
        diff /= PERMUTATION_REPEATS
        mean = float(diff.mean()) if len(diff) else float("nan")
        # standard error of the mean over claims (the rows of a claim move together)
        sums = np.bincount(codes, weights=diff - mean, minlength=n_groups)
        se = float(np.sqrt(np.sum(sums**2)) / len(diff)) if len(diff) else float("nan")
        features[name] = {"increase": mean, "se": se}
    order = sorted(features, key=lambda n: (-features[n]["increase"], n))
    return {
        "rows": len(y),
        "repeats": PERMUTATION_REPEATS,
        "log_loss": float(base_rows.mean()) if len(y) else float("nan"),
        "features": {n: features[n] for n in order},
    }


def harmful_features(check: dict[str, Any], tolerance: float = 1e-4) -> dict[str, float]:
    """The features whose shuffling lowers the later slice's log loss beyond noise.

    A feature is harmful when the mean rise of its log loss is below
    ``-max(tolerance, 2 se)``: shuffling it helps the model on data it was not
    grown on, beyond the noise of the slice, so what it learnt from it does not
    hold later.

    Examples
    --------
    >>> harmful_features({"features": {"a": {"increase": 0.02, "se": 0.001},
    ...                                "b": {"increase": -0.002, "se": 0.0003},
    ...                                "c": {"increase": -0.00005, "se": 0.0},
    ...                                "d": {"increase": -0.001, "se": 0.0008}}})
    {'b': -0.002}
    """
    out = {}
    for name, f in (check.get("features") or {}).items():
        if f["increase"] < -max(tolerance, 2 * f["se"]):
            out[name] = f["increase"]
    return out
