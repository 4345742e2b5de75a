"""Judicial: is court worth it? Costs, legal guards and routes per claim.

Takes the claim state (with ``p_amicable`` from :mod:`recovery_analytics.amicable`)
and the French cost schedule; gives, for every open claim, each route's costs,
what can be added (B2B indemnity, late interest, recoverable dépens), its
probabilities, months to cash and discounted expected net value, the
recommended route and the legal flags (prescription, insolvency, disputes); the
score table that joins both; break-even amounts, sensitivity; and the tables of
the management's judicial review (report 11).

Where each rule lives: the cost schedule (``schedule_fr.toml``, every figure
with its source and validity) is loaded and checked in ``_schedule``; the money
rules that read it (A444 fees, acts, the 40 € indemnity, late interest) are in
``_money``; the legal guards (prescription, titles, insolvency, disputes,
pending cases, the court) in ``_legal`` and their French notes in ``_notes``;
one step's pricing in ``_routes`` and the plans and decision in ``_plans``; the public
assessment in ``_assessment``; break-even and sensitivity in ``_sensitivity``;
the score table in ``_score_table``; the review for managers in ``_review``,
``_review_tables`` and ``_review_history``. Figures:
:mod:`recovery_analytics.judicial.plots`.
"""

from __future__ import annotations

from recovery_analytics.judicial._assessment import judicial_assessment
from recovery_analytics.judicial._dask import DaskRun, score_on_dask, validate_on_dask
from recovery_analytics.judicial._legal import court_of, legal_guards, prescription_dates
from recovery_analytics.judicial._money import (
    a444_31_fee,
    a444_32_fee,
    act_cost,
    droit_engagement_fee,
    indemnity_b2b,
    interest_rate_table,
    late_interest,
    signification_cost,
)
from recovery_analytics.judicial._notes import describe_flags
from recovery_analytics.judicial._review import (
    judicial_headline,
    review_table,
    route_summary,
    scored_state,
    verdicts_by_segment,
    weekly_trend,
)
from recovery_analytics.judicial._review_history import (
    SCORES_FILE,
    history_files,
    prediction_check,
    read_summary,
)
from recovery_analytics.judicial._review_tables import (
    HEADLINE_LABELS_FR,
    declarations_due,
    describe_plan,
    headline_figures,
    prescription_alerts,
    trend_table,
    verdicts_pivot,
)
from recovery_analytics.judicial._routes import COURT_ROUTES, ROUTES, SIGNALS
from recovery_analytics.judicial._schedule import CostSchedule, load_schedule, tariff_warning
from recovery_analytics.judicial._score_table import SCORE_TABLE_COLUMNS, score_claims
from recovery_analytics.judicial._sensitivity import (
    SENSITIVITY_PARAMETERS,
    break_even_amount,
    break_even_curves,
    sensitivity,
)

__all__ = [
    "COURT_ROUTES",
    "HEADLINE_LABELS_FR",
    "ROUTES",
    "SCORES_FILE",
    "SCORE_TABLE_COLUMNS",
    "SENSITIVITY_PARAMETERS",
    "SIGNALS",
    "CostSchedule",
    "DaskRun",
    "a444_31_fee",
    "a444_32_fee",
    "act_cost",
    "break_even_amount",
    "break_even_curves",
    "court_of",
    "declarations_due",
    "describe_flags",
    "describe_plan",
    "droit_engagement_fee",
    "headline_figures",
    "history_files",
    "indemnity_b2b",
    "interest_rate_table",
    "judicial_assessment",
    "judicial_headline",
    "late_interest",
    "legal_guards",
    "load_schedule",
    "prediction_check",
    "prescription_alerts",
    "prescription_dates",
    "read_summary",
    "review_table",
    "route_summary",
    "score_claims",
    "score_on_dask",
    "scored_state",
    "sensitivity",
    "signification_cost",
    "tariff_warning",
    "trend_table",
    "validate_on_dask",
    "verdicts_by_segment",
    "verdicts_pivot",
    "weekly_trend",
]
