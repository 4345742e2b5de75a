"""recovery_analytics: amicable-recovery scoring, French judicial economics, call queues.

The public names are re-exported here and listed in ``__all__`` (except
``evaluate``, whose module has the same name: use ``from
recovery_analytics.evaluate import evaluate``); they are imported lazily (on
first use), so that ``import recovery_analytics`` and the command line start
fast.

Examples
--------
>>> import recovery_analytics as ra
>>> portfolio = ra.generate_demo(30, seed=0)
>>> state = ra.portfolio_state(portfolio, "2026-06-30")
>>> bool(state["claim_id"].is_unique)
True
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # reading, validating, writing
    "read_portfolio": "io",
    "load_mapping": "io",
    "Mapping": "io",
    "write_portfolio": "io",
    "write_quarantine": "io",
    "summarize": "io",
    "Portfolio": "schema",
    "InputError": "schema",
    "validate_portfolio": "schema",
    "EVENT_TYPES": "schema",
    "QUARANTINE_COLUMNS": "schema",
    # demo data
    "generate_demo": "demo",
    "debtors_for_claims": "demo",
    "DunningPolicy": "demo",
    # state at as_of, aged balance, analytics
    "portfolio_state": "features",
    "portfolio_states": "features",
    "debtor_history": "features",
    "open_claims": "features",
    "STAGES": "features",
    "HISTORY_DAYS": "features",
    "aged_balance": "aging",
    "age_bucket": "aging",
    "bucket_labels": "aging",
    "DEFAULT_BUCKETS": "aging",
    "dso_cei": "analytics",
    "recovery_curves": "analytics",
    "concentration": "analytics",
    "dispute_promise_summary": "analytics",
    "quarantine_summary": "analytics",
    # amicable model
    "AmicableModel": "amicable",
    "train_model": "amicable",
    "score_portfolio": "amicable",
    "training_snapshots": "snapshots",
    "time_split": "evaluate",
    "reliability_table": "evaluate",
    "captured_curve": "evaluate",
    "model_card": "evaluate",
    "card_markdown": "evaluate",
    "save_model": "model_io",
    "load_model": "model_io",
    "feature_table": "feature_catalog",
    "top_reasons": "reasons",
    "wide_reasons": "reasons",
    # judicial economics
    "CostSchedule": "costs",
    "load_schedule": "costs",
    "late_interest": "costs",
    "judicial_assessment": "judicial",
    "break_even_amount": "judicial",
    "break_even_curves": "judicial",
    "sensitivity": "judicial",
    "ROUTES": "judicial",
    "COURT_ROUTES": "judicial",
    "legal_guards": "legal",
    "prescription_dates": "legal",
    # score table
    "score_claims": "scoring",
    "SCORE_TABLE_COLUMNS": "scoring",
    # plots
    "format_eur": "plots",
    "format_pct": "plots",
    "format_number": "plots",
    "column_label": "plots",
    "ROUTE_COLORS": "plots",
    "ROUTE_LABELS_FR": "plots",
    "plot_reliability": "plots",
    "plot_gains": "plots",
    "plot_captured_curve": "plots",
    "plot_aged_balance": "plots",
    "age_bucket_colors": "plots",
    "plot_break_even": "judicial_plots",
    "plot_tornado": "judicial_plots",
    "plot_pareto": "analytics",
    "plot_recovery_curves": "analytics",
    "plot_dso_cei": "analytics",
    # notebooks and reports
    "run_notebook": "reports",
    "export_html": "reports",
    "notebook_parameters": "reports",
    "NotebookError": "reports",
    "check_parameters": "reports",
    "display_table": "reports",
    "headline_cards": "reports",
    "save_figure": "reports",
    "gains_table": "plots",
    "sensitivity_label": "judicial_plots",
    "run_weekly": "weekly",
    "ensure_model": "weekly",
    "WeeklyResult": "weekly",
    "notebook_path": "weekly",
    "scored_state": "review",
    "review_table": "review",
    "route_summary": "review",
    "judicial_headline": "review",
    "verdicts_by_segment": "review",
    "prediction_check": "review",
    "weekly_trend": "review",
    "headline_figures": "review",
    "verdicts_pivot": "review",
    "declarations_due": "review",
    "prescription_alerts": "review",
    "trend_table": "review",
    # call queue
    "build_call_queue": "prioritise",
    "CallQueue": "prioritise",
    "write_call_queue": "exports",
    "next_best_action": "escalation",
    "EscalationPolicy": "escalation",
    "check_french_phone": "phones",
    "format_french_phone": "phones",
    "estimate_call_uplift": "uplift",
    "call_value": "uplift",
    "run_backtest": "backtest",
    "backtest_model": "backtest",
    "backtest_call_queue": "backtest",
    "backtest_totals": "backtest",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'recovery_analytics' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"recovery_analytics.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
