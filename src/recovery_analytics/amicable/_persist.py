"""Save and load an :class:`~recovery_analytics.amicable.AmicableModel` without pickle.

A model directory holds plain, inspectable files:

``classifier.txt``, ``regressor.txt``
    LightGBM's text model format.
``model.json``
    schema version, parameters, feature names and dtypes, training
    categories, calibration parameters (isotonic thresholds or Platt a, b),
    horizon, training window, package versions and the sha256 checksum of
    each model file (verified on load).
``model_card.json``, ``model_card.md``
    the model card, when given.

Nothing is executed on load: a tampered or truncated file fails the checksum
with a clear :class:`~recovery_analytics.portfolio.InputError`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd

from recovery_analytics.amicable._catalog import source_columns
from recovery_analytics.amicable._feature_table import FEATURES
from recovery_analytics.amicable._model import AmicableModel
from recovery_analytics.portfolio import InputError, atomic_path, write_text_atomic
from recovery_analytics.state import HISTORY_DAYS

__all__ = ["MODEL_SCHEMA_VERSION", "check_compatible", "load_model", "save_model"]

#: Version of the model directory layout and of the state columns it expects.
MODEL_SCHEMA_VERSION = 1
_FILES = {"classifier_": "classifier.txt", "regressor_": "regressor.txt"}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    return value


def save_model(model: AmicableModel, directory: str | Path, card: dict | None = None) -> Path:
    """Write a fitted model (and its card) to ``directory``.

    Parameters
    ----------
    model : AmicableModel
        A fitted model.
    directory : str or Path
        Created if needed; existing model files are overwritten.
    card : dict, optional
        Model card (:func:`recovery_analytics.amicable.model_card`), written as
        ``model_card.json`` and ``model_card.md``.

    Returns
    -------
    Path
        The directory.
    """
    from sklearn.utils.validation import check_is_fitted

    from recovery_analytics.amicable._card import _versions, card_markdown

    check_is_fitted(model)
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    checksums = {}
    for attr, name in _FILES.items():
        data = getattr(model, attr).model_to_string().encode("utf-8")
        with atomic_path(out / name) as tmp:
            tmp.write_bytes(data)
        checksums[name] = _sha256(data)
    meta = {
        "schema_version": MODEL_SCHEMA_VERSION,
        "model": "AmicableModel",
        "params": {k: _jsonable(v) for k, v in model.get_params().items()},
        "numeric_features": list(model.numeric_features_),
        "categorical_features": list(model.categorical_features_),
        "dtypes": {
            **dict.fromkeys(model.numeric_features_, "float64"),
            **dict.fromkeys(model.categorical_features_, "category"),
        },
        "categories": model.categories_,
        "dropped_features": getattr(model, "dropped_features_", {}),
        "feature_check": getattr(model, "feature_check_", {}),
        "selection": getattr(model, "selection_", {"chosen": "full"}),
        "calibration": model.calibration_,
        "window": model.window_,
        "horizon_days": getattr(model, "horizon_days_", None),
        "history_days": getattr(model, "history_days_", HISTORY_DAYS),
        "versions": _versions(),
        "checksums": checksums,
    }
    # each file appears whole (temporary name, then renamed); model.json, with the
    # checksums, comes last: a model folder is complete when model.json matches its files
    write_text_atomic(out / "model.json", json.dumps(meta, indent=2, ensure_ascii=False))
    if card is not None:
        text = json.dumps(card, indent=2, ensure_ascii=False, default=str)
        write_text_atomic(out / "model_card.json", text)
        write_text_atomic(out / "model_card.md", card_markdown(card))
    return out


def load_model(directory: str | Path) -> AmicableModel:
    """Load a model saved by :func:`save_model`, verifying checksums and schema.

    Raises
    ------
    InputError
        Missing directory or file, a different schema version, or a model
        file whose checksum does not match (modified or truncated).
    """
    src = Path(directory)
    meta_path = src / "model.json"
    if not meta_path.is_file():
        raise InputError(f"{src}: not a model directory (model.json is missing)")
    try:
        meta = json.loads(meta_path.read_text("utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"{meta_path}: unreadable model metadata ({exc.msg})") from None
    version = meta.get("schema_version")
    if version != MODEL_SCHEMA_VERSION:
        raise InputError(
            f"{src}: model schema version {version} is not supported by this version of "
            f"recovery_analytics (expects {MODEL_SCHEMA_VERSION}); retrain the model"
        )
    params = dict(meta["params"])
    for key in ("extra_numeric", "extra_categorical"):
        params[key] = tuple(params.get(key, ()))
    model = AmicableModel(**params)
    for attr, name in _FILES.items():
        path = src / name
        if not path.is_file():
            raise InputError(f"{src}: model file {name} is missing")
        data = path.read_bytes()
        if _sha256(data) != meta["checksums"].get(name):
            raise InputError(
                f"{path}: checksum mismatch, the model file was modified or is incomplete"
            )
        setattr(model, attr, lgb.Booster(model_str=data.decode("utf-8")))
    model.numeric_features_ = list(meta["numeric_features"])
    model.categorical_features_ = list(meta["categorical_features"])
    model.feature_names_ = [*model.numeric_features_, *model.categorical_features_]
    model.n_features_in_ = len(model.feature_names_)
    model.categories_ = {k: list(v) for k, v in meta["categories"].items()}
    model.calibration_ = meta["calibration"]
    model.dropped_features_ = dict(meta.get("dropped_features", {}))
    model.feature_check_ = dict(meta.get("feature_check", {}))
    model.selection_ = dict(meta.get("selection", {"chosen": "full"}))
    model.window_ = meta["window"]
    model.classes_ = np.array([0, 1])
    if meta.get("horizon_days") is not None:
        model.horizon_days_ = int(meta["horizon_days"])
    # models saved before the look-back existed were trained on all the history
    model.history_days_ = meta.get("history_days")
    if model.classifier_.feature_name() != model.feature_names_:
        raise InputError(f"{src}: model.json and classifier.txt disagree on the features")
    return model


def check_compatible(model: AmicableModel, state: pd.DataFrame) -> None:
    """Raise a clear :class:`InputError` if ``state`` cannot be scored by ``model``.

    Every column the model's features are computed from
    (:meth:`AmicableModel.required_columns`) must be in ``state``. The message
    names all the missing columns; an extra feature of the training portfolio
    (``bureau_score``, ``segment``...) must be a column of ``debtors`` or
    ``claims`` (:func:`~recovery_analytics.amicable.attach_attributes` copies
    it into the state), whatever the mapping of the portfolio being scored.

    Examples
    --------
    >>> import pandas as pd
    >>> m = AmicableModel()
    >>> m.numeric_features_, m.categorical_features_ = ["days_past_due", "bureau_score"], []
    >>> m.feature_names_ = m.numeric_features_
    >>> check_compatible(m, pd.DataFrame({"days_past_due": [3], "bureau_score": [7]}))
    >>> try:
    ...     check_compatible(m, pd.DataFrame({"days_past_due": [3]}))
    ... except InputError as exc:
    ...     print(str(exc)[:44])
    the model needs column 'bureau_score' (extra
    """
    catalog = {f.name for f in FEATURES}
    names = getattr(model, "feature_names_", None)
    names = list(names or [*model.numeric_features_, *model.categorical_features_])
    missing = [c for c in source_columns(names) if c not in state.columns]
    if not missing:
        return
    extra = [c for c in missing if c not in catalog and c in names]
    other = [c for c in missing if c not in extra]
    parts = []
    if extra:
        cols = ", ".join(map(repr, extra))
        parts.append(
            f"the model needs column{'s' if len(extra) > 1 else ''} {cols} (extra feature "
            "of the training portfolio: a column of debtors or claims), which the portfolio "
            "does not have; add it (or map it with --mapping) or retrain the model without it"
        )
    if other:
        cols = ", ".join(map(repr, other))
        parts.append(f"the claim state lacks column(s) {cols} that the model's features need")
    raise InputError("; ".join(parts))
