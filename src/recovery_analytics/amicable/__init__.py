"""Amicable: the calibrated chance and expected euros of amicable recovery.

Takes a validated portfolio (and the claim state of
:mod:`recovery_analytics.state`); gives, for every open claim at an as_of,
``p_amicable`` (calibrated probability of being paid in full within the
horizon without a court filing), ``expected_recovery_eur`` and plain-language
reasons. Training snapshots and labels live in ``_snapshots``; the feature
catalog (French and English names, reason phrasing) in ``_catalog`` and
``_feature_table``; the estimator in ``_model``; calibration in
``_calibration``; the time-split evaluation in ``_evaluate``, the orders of
work it compares in ``_strategies``, the fitted baselines in ``_baselines``,
the claim-level bootstrap in ``_bootstrap`` and the model card in ``_card``; reasons from SHAP
contributions in ``_reasons``; saving and loading without pickle in
``_persist``; portfolio-level training and scoring in ``_portfolio``. Figures
of the evaluation are in :mod:`recovery_analytics.amicable.plots`.
"""

from __future__ import annotations

from recovery_analytics.amicable._baselines import Baselines
from recovery_analytics.amicable._budget import MAX_SNAPSHOT_ROWS, sample_debtors
from recovery_analytics.amicable._calibration import apply_calibration, fit_calibration
from recovery_analytics.amicable._card import card_markdown, model_card, summary_text, verdict_text
from recovery_analytics.amicable._catalog import (
    available_features,
    feature_frame,
    feature_table,
    phrase,
    source_columns,
)
from recovery_analytics.amicable._evaluate import (
    evaluate,
    expected_calibration_error,
    reliability_table,
    time_split,
)
from recovery_analytics.amicable._feature_check import harmful_features
from recovery_analytics.amicable._feature_table import FEATURES
from recovery_analytics.amicable._model import AmicableModel
from recovery_analytics.amicable._persist import (
    MODEL_SCHEMA_VERSION,
    check_compatible,
    load_model,
    save_model,
)
from recovery_analytics.amicable._portfolio import SCORE_COLUMNS, score_portfolio, train_model
from recovery_analytics.amicable._reasons import REASON_COLUMNS, top_reasons, wide_reasons
from recovery_analytics.amicable._snapshots import (
    LABEL_COLUMNS,
    attach_attributes,
    label_snapshots,
    snapshot_dates,
    static_attribute_warnings,
    training_snapshots,
)
from recovery_analytics.amicable._strategies import (
    PROBABILITIES,
    STRATEGIES,
    captured_at_capacity,
    captured_curve,
    strategy_scores,
)

__all__ = [
    "FEATURES",
    "LABEL_COLUMNS",
    "MAX_SNAPSHOT_ROWS",
    "MODEL_SCHEMA_VERSION",
    "PROBABILITIES",
    "REASON_COLUMNS",
    "SCORE_COLUMNS",
    "STRATEGIES",
    "AmicableModel",
    "Baselines",
    "apply_calibration",
    "attach_attributes",
    "available_features",
    "captured_at_capacity",
    "captured_curve",
    "card_markdown",
    "check_compatible",
    "evaluate",
    "expected_calibration_error",
    "feature_frame",
    "feature_table",
    "fit_calibration",
    "harmful_features",
    "label_snapshots",
    "load_model",
    "model_card",
    "phrase",
    "reliability_table",
    "sample_debtors",
    "save_model",
    "score_portfolio",
    "snapshot_dates",
    "source_columns",
    "static_attribute_warnings",
    "strategy_scores",
    "summary_text",
    "time_split",
    "top_reasons",
    "train_model",
    "training_snapshots",
    "verdict_text",
    "wide_reasons",
]
