"""Queue: whom the collectors call today, and what else to send this week.

Takes the claim state, the amicable model's scores and the judicial routes;
gives the call queue (one line per debtor, ranked by the net euros a call
brings per collector-minute, under capacity), every debtor who is not called
with the reason, the next best action of every open claim (letters, e-mails,
formal notices due), the collectors' files (``.xlsx``/``.csv``) and a backtest
of the policy. Where each rule lives: the value of a call (uplift of a reached
call, reach rate, net of its cost) in ``_value``; the incremental euros of a
call learned from the history in ``_uplift`` (cases in ``_uplift_data``); the
claim and debtor frames
and the exclusion rules in ``_debtors``; ranking under capacity in ``_queue``;
the escalation ladder in ``_escalation``; phones in ``_phones``; the output
tables and their wording in ``_tables``; the files in ``_exports`` and the team
lead's summaries in ``_summary``; the backtest in ``_backtest`` and
``_backtest_model``. Figures: :mod:`recovery_analytics.queue.plots`.
"""

from __future__ import annotations

from recovery_analytics.queue._backtest import (
    POLICIES,
    backtest_call_queue,
    backtest_totals,
    run_backtest,
)
from recovery_analytics.queue._backtest_model import backtest_dates, backtest_model, history_before
from recovery_analytics.queue._debtors import EXCLUSION_REASONS
from recovery_analytics.queue._escalation import (
    ACTIONS,
    LETTER_ACTIONS,
    EscalationPolicy,
    next_best_action,
)
from recovery_analytics.queue._exports import write_call_queue
from recovery_analytics.queue._phones import check_french_phone, format_french_phone
from recovery_analytics.queue._policy_eval import (
    POLICY_NAMES,
    evaluate_call_policies,
    learned_vs_largest_first,
    qini_curve,
)
from recovery_analytics.queue._queue import CallQueue, build_call_queue
from recovery_analytics.queue._summary import (
    QUEUE_HEADLINE_LABELS_FR,
    call_value_notes,
    excluded_by_reason,
    letters_by_action,
    queue_headline,
    queue_headline_figures,
)
from recovery_analytics.queue._tables import QUEUE_COLUMNS
from recovery_analytics.queue._uplift import CallEffects, estimate_call_effects
from recovery_analytics.queue._value import call_value, estimate_call_uplift

__all__ = [
    "ACTIONS",
    "EXCLUSION_REASONS",
    "LETTER_ACTIONS",
    "POLICIES",
    "POLICY_NAMES",
    "QUEUE_COLUMNS",
    "QUEUE_HEADLINE_LABELS_FR",
    "CallEffects",
    "CallQueue",
    "EscalationPolicy",
    "backtest_call_queue",
    "backtest_dates",
    "backtest_model",
    "backtest_totals",
    "build_call_queue",
    "call_value",
    "call_value_notes",
    "check_french_phone",
    "estimate_call_effects",
    "estimate_call_uplift",
    "evaluate_call_policies",
    "excluded_by_reason",
    "format_french_phone",
    "history_before",
    "learned_vs_largest_first",
    "letters_by_action",
    "next_best_action",
    "qini_curve",
    "queue_headline",
    "queue_headline_figures",
    "run_backtest",
    "write_call_queue",
]
