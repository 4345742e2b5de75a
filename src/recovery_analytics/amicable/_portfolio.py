"""Portfolio-level entry points of the amicable model: train and score.

:func:`train_model` builds the training snapshots, evaluates on a later period
and fits the final :class:`~recovery_analytics.amicable.AmicableModel`;
:func:`score_portfolio` scores every open claim at an as_of date. Both are
re-exported from :mod:`recovery_analytics.amicable`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
from sklearn.utils.validation import check_is_fitted

from recovery_analytics.portfolio import Portfolio
from recovery_analytics.state import HISTORY_DAYS

if TYPE_CHECKING:
    from recovery_analytics.amicable._model import AmicableModel

__all__ = ["SCORE_COLUMNS", "score_portfolio", "train_model"]

#: Columns of :func:`score_portfolio` (the amicable part of DESIGN.md's score table).
SCORE_COLUMNS: tuple[str, ...] = (
    "claim_id",
    "debtor_id",
    "as_of",
    "outstanding_eur",
    "days_past_due",
    "stage",
    "p_amicable",
    "expected_recovery_eur",
    "reason_1",
    "reason_2",
    "reason_3",
)


def train_model(
    portfolio: Portfolio,
    *,
    horizon_days: int = 90,
    every_days: int = 14,
    test_fraction: float = 0.25,
    capacity: float = 0.10,
    refit: bool = True,
    progress: bool = False,
    history_days: int | None = HISTORY_DAYS,
    max_snapshot_rows: int | None = None,
    **params: Any,
) -> tuple[AmicableModel, dict]:
    """Build snapshots, evaluate on a later period, fit the final model.

    Steps: :func:`~recovery_analytics.amicable.training_snapshots`;
    :func:`~recovery_analytics.amicable.time_split` (the newest
    ``test_fraction`` of the dates held out, with an embargo of one horizon);
    fit on the older part and :func:`~recovery_analytics.amicable.evaluate`
    on the holdout; then (``refit=True``) refit the same settings on all
    snapshots, which is the model returned. The card's metrics are those of
    the holdout evaluation.

    Parameters
    ----------
    portfolio : Portfolio
    horizon_days, every_days : int
        Label horizon and snapshot spacing.
    test_fraction : float, default 0.25
    capacity : float, default 0.10
        Share of open claims worked per date, for the captured-euros figures.
    refit : bool, default True
    progress : bool, default False
        Show a progress bar on stderr.
    history_days : int or None, default 365
        Look-back of the debtor history features (claims settled in the
        ``history_days`` days before each as_of; None = all the history). The
        model remembers it (``history_days_``) and scores with the same.
    max_snapshot_rows : int, optional
        Memory budget of the snapshots: beyond it, a stable sample of whole debtors
        is trained on (:func:`training_snapshots`, ``max_rows``; the summary says so).
    **params
        :class:`AmicableModel` parameters (``num_threads``, ``n_estimators``...).
        ``portfolio.extra_features`` are added as ``extra_numeric`` /
        ``extra_categorical``.

    Returns
    -------
    (AmicableModel, dict)
        The fitted model (``horizon_days_`` set) and its model card, whose
        ``summary`` key holds a printable evaluation summary.

    Raises
    ------
    InputError
        Too little data to train (see ``training_snapshots``).
    """
    from tqdm.auto import tqdm

    from recovery_analytics.amicable._card import model_card, summary_text
    from recovery_analytics.amicable._evaluate import evaluate, time_split
    from recovery_analytics.amicable._feature_check import harmful_features
    from recovery_analytics.amicable._model import AmicableModel
    from recovery_analytics.amicable._snapshots import (
        static_attribute_warnings,
        training_snapshots,
    )

    extra = portfolio.extra_features or {}
    params.setdefault("extra_numeric", tuple(extra.get("numeric", ())))
    params.setdefault("extra_categorical", tuple(extra.get("categorical", ())))
    steps = ["snapshots", "evaluation model", "evaluation", "final model"]
    with tqdm(total=len(steps), disable=not progress, desc="train", unit="step") as bar:
        bar.set_postfix_str(steps[0])
        snaps = training_snapshots(
            portfolio,
            horizon_days=horizon_days,
            every_days=every_days,
            history_days=history_days,
            max_rows=max_snapshot_rows,
        )
        bar.update()
        train, test = time_split(snaps, test_fraction)
        bar.set_postfix_str(steps[1])
        # the evaluation model's feature check is not read (the card shows the final model's)
        model = AmicableModel(**{**params, "check_features": False}).fit(train)
        bar.update()
        evaluation = evaluate(model, test, capacity, train=train)
        bar.update()
        final = AmicableModel(**params).fit(snaps) if refit else model
        bar.update()
    final.horizon_days_ = horizon_days
    card = model_card(
        model,
        train,
        test,
        evaluation,
        horizon_days=horizon_days,
        every_days=every_days,
        final_window=final.window_,
    )
    card["summary"] = summary_text(evaluation)
    card["warnings"] = static_attribute_warnings(portfolio, snaps)
    card["feature_check"] = final.feature_check_
    card["warnings"] += [
        f"shuffling {name} lowers the log loss of the later slice ({rise:+.4f}): the model "
        "learnt noise from it; consider leaving it out of the portfolio's extra features "
        "or checking how it is filled"
        for name, rise in harmful_features(final.feature_check_).items()
    ]
    fraction = snaps.attrs.get("debtor_fraction", 1.0)
    if fraction < 1:
        card["summary"] += (
            f"\nnote: trained on a sample of {fraction:.1%} of the debtors (whole debtors, "
            f"stable hash of debtor_id): the snapshots were over {max_snapshot_rows:,} rows"
        )
    for text in card["warnings"]:
        card["summary"] += f"\nwarning: {text}"
    sel = final.selection_
    if sel.get("log_loss"):
        losses = ", ".join(f"{k} {v:.4f}" for k, v in sel["log_loss"].items())
        card["summary"] += f"\nmodel kept: {sel['chosen']} (log loss of the later slice: {losses})"
    for name, d in final.dropped_features_.items():
        card["summary"] += (
            f"\nleft out: {name} ({d['levels']} levels) makes the later slice worse "
            f"(log loss {d['log_loss_with']:.4f} with it, {d['log_loss_without']:.4f} without)"
        )
    return final, card


def score_portfolio(
    portfolio: Portfolio,
    model: AmicableModel,
    as_of: Any,
    *,
    with_reasons: bool | int = 0,
    lang: str = "fr",
    progress: bool = False,
    state: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Score every open claim of a portfolio at ``as_of``.

    Parameters
    ----------
    portfolio : Portfolio
    model : AmicableModel
        A fitted (or loaded) model.
    as_of : date-like
    with_reasons : bool or int, default 0
        Reasons cost ~60x a prediction: ``0``/``False`` none, an int ``n`` for
        the ``n`` claims with the highest expected euros, ``True`` for all.
    lang : {"fr", "en"}, default "fr"
    progress : bool, default False
    state : pandas.DataFrame, optional
        The portfolio's state at ``as_of``
        (:func:`~recovery_analytics.state.portfolio_state`, all claims or
        only the open ones), when the caller has computed it already: it is
        then not computed again. It must be at ``as_of``. A state that
        records another history look-back (``attrs["history_days"]``) than
        the model's ``history_days_`` is not used: the state is recomputed
        with the model's (compute it with
        ``portfolio_state(portfolio, as_of, history_days=model.history_days_)``
        to avoid that). Without it, only the open claims' state is computed.

    Returns
    -------
    pandas.DataFrame
        :data:`SCORE_COLUMNS`, one row per open claim, sorted by ``claim_id``;
        ``reason_*`` are NA where not computed. Categories unseen in training
        are scored as unknown and listed in ``attrs["unseen_categories"]``
        (list of ``{"feature", "value", "rows"}``).

    Raises
    ------
    InputError
        A column the model needs is missing (e.g. an extra feature such as
        ``bureau_score`` absent from ``debtors`` and ``claims``).
    ValueError
        ``state`` is not the state at ``as_of``.
    """
    from tqdm.auto import tqdm

    from recovery_analytics.amicable._persist import check_compatible
    from recovery_analytics.amicable._reasons import REASON_COLUMNS, wide_reasons
    from recovery_analytics.amicable._snapshots import attach_attributes
    from recovery_analytics.state import portfolio_state

    check_is_fitted(model)
    history_days = getattr(model, "history_days_", HISTORY_DAYS)
    with tqdm(total=3, disable=not progress, desc="score", unit="step") as bar:
        if state is not None and not _usable_state(state, as_of, history_days):
            state = None  # computed with another history look-back than the model's
        if state is None:
            state = portfolio_state(portfolio, as_of, history_days=history_days, only_open=True)
        else:
            state = state[state["is_open"].to_numpy(dtype=bool)].reset_index(drop=True)
        state = attach_attributes(state, portfolio, columns=model.required_columns())
        check_compatible(model, state)
        bar.update()
        frame = model._features(state)
        scored = model._score(state, frame)
        out = state[["claim_id", "debtor_id", "as_of", "outstanding_eur", "days_past_due"]].copy()
        out["stage"] = state["stage"]
        out["p_amicable"] = scored["p_amicable"]
        out["expected_recovery_eur"] = scored["expected_recovery_eur"]
        for col in REASON_COLUMNS:
            out[col] = pd.Series(pd.NA, index=out.index, dtype="str")
        bar.update()
        n = len(out) if with_reasons is True else int(with_reasons)
        ranking: list[tuple[str, float]] = []
        if n > 0 and len(out):
            pick = out.sort_values(
                ["expected_recovery_eur", "claim_id"], ascending=[False, True], kind="stable"
            ).index[:n]
            wide = wide_reasons(model.explain(state.loc[pick], top=3, lang=lang))
            rows = out.loc[pick, "claim_id"]
            ranking = list(zip(rows, out.loc[pick, "expected_recovery_eur"], strict=True))
            for col in REASON_COLUMNS:
                out.loc[pick, col] = wide[col].reindex(rows).to_numpy()
        bar.update()
    out = out.sort_values("claim_id", kind="stable", ignore_index=True)
    out.attrs = {
        "unseen_categories": model._unseen(frame).to_dict(orient="records"),
        "reason_ranking": ranking,  # (claim_id, expected euros) of the claims explained
    }
    return out[list(SCORE_COLUMNS)]


def _usable_state(state: pd.DataFrame, as_of: Any, history_days: int | None) -> bool:
    """Whether a state given to :func:`score_portfolio` can be used as is.

    Raises ValueError when it is not a state at ``as_of``; returns False when
    it records another history look-back than the model's (it is then
    recomputed).
    """
    day = pd.Timestamp(as_of).normalize()
    dates = pd.DatetimeIndex(state["as_of"].unique()) if "as_of" in state.columns else None
    if dates is None or (len(dates) and (len(dates) > 1 or dates[0] != day)):
        found = "no as_of column" if dates is None else f"as_of {sorted(map(str, dates.date))}"
        raise ValueError(f"state must be the portfolio state at {day.date()}; it has {found}")
    return state.attrs.get("history_days", history_days) == history_days
