"""The score table: amicable model and judicial economics, one row per open claim.

This is the table of the ``score`` and ``judicial`` commands (DESIGN.md,
"Outputs"): the amicable model's calibrated probability and expected euros,
with plain-language reasons, joined with the judicial assessment (route costs,
expected nets, recommended route, legal flags).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from recovery_analytics.amicable import REASON_COLUMNS, SCORE_COLUMNS
from recovery_analytics.portfolio import Portfolio

__all__ = ["SCORE_TABLE_COLUMNS", "score_claims"]

#: The judicial columns of the score table (DESIGN.md), from the assessment.
_JUDICIAL_COLUMNS: tuple[str, ...] = (
    "recommended_route",
    "judicial_route",
    "judicial_cost_eur",
    "judicial_expected_net_eur",
    "amicable_expected_net_eur",
    "legal_flags",
)

#: Columns of the score table, in DESIGN.md's order: the amicable model's
#: columns (:data:`recovery_analytics.amicable.SCORE_COLUMNS`) with the
#: judicial ones before the reasons.
SCORE_TABLE_COLUMNS: tuple[str, ...] = (
    *SCORE_COLUMNS[: SCORE_COLUMNS.index("reason_1")],
    *_JUDICIAL_COLUMNS,
    *REASON_COLUMNS,
)

#: Judicial columns appended after the DESIGN.md columns (plain words and deadlines).
_JUDICIAL_EXTRA: tuple[str, ...] = (
    "legal_notes",
    "prescription_date",
    "days_to_prescription",
    "declaration_deadline",
    "p_amicable_used",
    "plan",
    "next_step_date",
    "plan_p_title",
    "plan_expected_net_eur",
    "relief_deadline",
    "title_date",
    "court",
)


def score_claims(
    portfolio: Portfolio,
    as_of: Any,
    model: Any = None,
    *,
    schedule: Any = None,
    with_reasons: bool | int = 200,
    lang: str = "fr",
    all_routes: bool = False,
    progress: bool = False,
) -> pd.DataFrame:
    """Score every open claim: amicable recovery and judicial economics.

    Parameters
    ----------
    portfolio : Portfolio
        A validated portfolio (:func:`recovery_analytics.portfolio.read_portfolio`).
    as_of : date-like
        Only what is known on that date is used.
    model : AmicableModel, optional
        A fitted or loaded model. Without one, ``p_amicable`` and
        ``expected_recovery_eur`` are empty and the judicial assessment uses
        its documented prior by days past due (``docs/judicial.md``).
    schedule : CostSchedule, optional
        The cost schedule (:func:`recovery_analytics.judicial.load_schedule`);
        the shipped French default when None.
    with_reasons : bool or int, default 200
        Reasons for the ``n`` claims with the highest expected euros (``True``:
        all; they cost ~60x a prediction).
    lang : {"fr", "en"}
        Language of the reasons.
    all_routes : bool, default False
        Also keep the expected net and cost of every route
        (``net_<route>_eur``, ``cost_<route>_eur``).
    progress : bool
        Progress bars on stderr.

    Returns
    -------
    pandas.DataFrame
        :data:`SCORE_TABLE_COLUMNS` then ``legal_notes, prescription_date,
        days_to_prescription, declaration_deadline``, then the inputs of the
        decision: ``p_amicable_used`` (the model's or the prior by days past
        due), ``plan`` (the steps, the first one is ``recommended_route``),
        ``next_step_date``, ``plan_p_title`` (chance of a title over the plan),
        ``plan_expected_net_eur``, ``relief_deadline``, ``title_date``, ``court``
        (tribunal_de_commerce / tribunal_judiciaire); one row per open claim,
        sorted by ``claim_id``; euros rounded to the cent, probabilities to
        4 decimals. ``attrs["unseen_categories"]`` lists the
        categories the model did not see in training.

    Examples
    --------
    >>> from recovery_analytics.demo import generate_demo
    >>> p = generate_demo(40, seed=1)
    >>> table = score_claims(p, "2026-06-30")
    >>> table.columns[:3].tolist()
    ['claim_id', 'debtor_id', 'as_of']
    >>> bool(table["p_amicable"].isna().all())  # no model given
    True
    """
    from recovery_analytics.judicial._assessment import judicial_assessment
    from recovery_analytics.state import HISTORY_DAYS, portfolio_state

    as_of = pd.Timestamp(as_of)
    history_days = getattr(model, "history_days_", HISTORY_DAYS) if model else HISTORY_DAYS
    state = portfolio_state(portfolio, as_of, only_open=True, history_days=history_days)
    state = state[state["is_open"]].reset_index(drop=True)
    unseen: list = []
    ranking: list = []
    if model is not None:
        from recovery_analytics.amicable import score_portfolio

        amicable = score_portfolio(
            portfolio,
            model,
            as_of,
            with_reasons=with_reasons,
            lang=lang,
            progress=progress,
            state=state,
        )
        unseen = amicable.attrs.get("unseen_categories", [])
        ranking = amicable.attrs.get("reason_ranking", [])
        keep = ["claim_id", "p_amicable", "expected_recovery_eur", *REASON_COLUMNS]
        state = state.merge(amicable[keep], on="claim_id", how="left", validate="one_to_one")
    judicial = judicial_assessment(state, schedule, as_of=as_of)
    base = ["claim_id", "debtor_id", "as_of", "outstanding_eur", "days_past_due", "stage"]
    extra = [c for c in judicial.columns if c.startswith(("net_", "cost_"))] if all_routes else []
    out = state[base].merge(
        judicial[["claim_id", *_JUDICIAL_COLUMNS, *_JUDICIAL_EXTRA, *extra]],
        on="claim_id",
        how="left",
        validate="one_to_one",
    )
    for col in ("p_amicable", "expected_recovery_eur"):
        out[col] = state[col].to_numpy(dtype="float64") if col in state else float("nan")
    for col in REASON_COLUMNS:
        out[col] = state[col] if col in state else pd.Series(pd.NA, index=out.index, dtype="str")
    out = out[[*SCORE_TABLE_COLUMNS, *_JUDICIAL_EXTRA, *extra]]
    out = out.sort_values("claim_id", kind="stable").reset_index(drop=True)
    money = [c for c in out.columns if c.endswith("_eur")]
    out[money] = out[money].round(2)
    out["p_amicable"] = out["p_amicable"].round(4)
    for col in ("p_amicable_used", "plan_p_title"):
        out[col] = out[col].round(4)
    out.attrs["unseen_categories"] = unseen
    out.attrs["reason_ranking"] = ranking  # (claim_id, expected euros) of the claims explained
    return out
