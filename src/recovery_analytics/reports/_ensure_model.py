"""Train a model for the weekly job when the model folder has none."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from recovery_analytics.portfolio import Portfolio

__all__ = ["ensure_model"]


def ensure_model(
    portfolio: str | os.PathLike[str] | Portfolio,
    model_dir: str | os.PathLike[str],
    *,
    mapping: str | os.PathLike[str] | None = None,
    horizon_days: int = 90,
    progress: bool = True,
    **params: Any,
) -> Path:
    """Train and save a model in ``model_dir`` unless it already holds one.

    Parameters
    ----------
    portfolio : source or Portfolio
    model_dir : path-like
        Kept as is when it has a ``model.json`` (it is loaded to check it).
    mapping : path-like, optional
    horizon_days : int, default 90
    progress : bool, default True
    **params
        :class:`~recovery_analytics.amicable.AmicableModel` parameters
        (``num_threads``, ``n_estimators``...).

    Returns
    -------
    Path
        ``model_dir``.
    """
    from recovery_analytics.amicable import load_model, save_model, train_model
    from recovery_analytics.portfolio import read_portfolio

    model_dir = Path(model_dir)
    if (model_dir / "model.json").is_file():
        load_model(model_dir)
        return model_dir
    p = portfolio if isinstance(portfolio, Portfolio) else read_portfolio(portfolio, mapping)
    model, card = train_model(p, horizon_days=horizon_days, progress=progress, **params)
    save_model(model, model_dir, card=card)
    return model_dir
