"""Model selection that can say no: the full model only where the data support it.

:class:`~recovery_analytics.amicable.AmicableModel` grows three candidates on
the same older snapshots and compares them on the later, embargoed slice (the
one early stopping and calibration use, never the evaluation holdout):

``full``
    every feature, the default LightGBM settings;
``small``
    a regularised shallow model on the core features (age, amount, terms,
    debtor type and the customer's payment history), at most 7 leaves and
    3 levels, 1 % of the rows per leaf, the probability constrained to fall
    as the claim ages;
``aging``
    an aging curve learnt from the days past due alone (8 leaves, falling
    with age): what a spreadsheet of recovery rates by age does.

The candidate with the lowest log loss on the later slice is kept, but a more
complex one must beat a simpler one by more than :data:`MIN_GAIN` (relative):
a small ledger gets the best of what its data supports, a rich portfolio the
full model. The choice and the three log losses are in ``model.selection_``
and the model card.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["CANDIDATES", "CORE_FEATURES", "MIN_GAIN"]

#: Candidates from the simplest to the richest.
CANDIDATES: tuple[str, ...] = ("aging", "small", "full")
#: Features of the small model (those present).
CORE_FEATURES: tuple[str, ...] = (
    "days_past_due",
    "outstanding_eur",
    "payment_terms_days",
    "debtor_type",
    "n_payments",
    "days_since_last_payment",
    "debtor_hist_claims",
    "debtor_hist_share_late",
    "debtor_hist_mean_days_late",
)
#: Relative log-loss gain a richer candidate needs over a simpler one.
MIN_GAIN = 0.002


def _spec(kind: str, names: list[str], n_train: int) -> tuple[list[str], dict[str, Any]]:
    """The features and the LightGBM settings of a candidate."""
    if kind == "full":
        return names, {}
    if kind == "aging":
        keep = [n for n in names if n == "days_past_due"]
        params = {"num_leaves": 8, "min_child_samples": max(20, n_train // 50)}
    else:
        keep = [n for n in names if n in CORE_FEATURES]
        params = {
            "num_leaves": 7,
            "max_depth": 3,
            "min_child_samples": max(20, n_train // 100),
            "lambda_l2": 5.0,
        }
    params["monotone_constraints"] = [-1 if n == "days_past_due" else 0 for n in keep]
    return keep, params


def select_candidate(model, x, y, tr, va, weight) -> tuple[str, list[str], dict, dict, Any]:
    """Grow the candidates on ``tr``, compare them on ``va``; return the winner.

    Returns ``(kind, feature names, LightGBM settings, summary, booster)``; the
    summary holds every candidate's log loss on the later slice, the booster is
    the winner's classifier (grown on the same rows: not grown again).
    """
    names = list(model.feature_names_)
    fitted: dict[str, tuple[list[str], dict, float, Any]] = {}
    for kind in CANDIDATES:
        keep, params = _spec(kind, names, int(tr.sum()))
        if not keep:
            continue
        cols = [names.index(n) for n in keep]
        xs = x[:, cols]
        booster = model._train(
            "binary", xs[tr], y[tr], xs[va], y[va], weight, names=keep, extra=params
        )
        loss = float(booster.best_score["valid_0"]["binary_logloss"])
        fitted[kind] = (keep, params, loss, booster)
    chosen = next(iter(fitted))
    for kind in list(fitted)[1:]:
        if fitted[kind][2] < fitted[chosen][2] * (1 - MIN_GAIN):
            chosen = kind
    keep, params, _, booster = fitted[chosen]
    summary = {
        "chosen": chosen,
        "log_loss": {k: v[2] for k, v in fitted.items()},
        "features": len(keep),
        "rule": f"lowest log loss on the later slice; a richer model must gain > {MIN_GAIN:.1%}",
    }
    return chosen, keep, params, summary, booster


def restrict(model, x: np.ndarray, keep: list[str]) -> np.ndarray:
    """Keep only the chosen candidate's features in the model and the matrix."""
    cols = [model.feature_names_.index(n) for n in keep]
    model.numeric_features_ = [n for n in model.numeric_features_ if n in keep]
    model.categorical_features_ = [n for n in model.categorical_features_ if n in keep]
    model.categories_ = {c: v for c, v in model.categories_.items() if c in keep}
    model.feature_names_ = [*model.numeric_features_, *model.categorical_features_]
    model.n_features_in_ = len(model.feature_names_)
    order = [keep.index(n) for n in model.feature_names_]
    return x[:, cols][:, order]
