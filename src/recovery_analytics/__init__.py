"""recovery_analytics: amicable-recovery scoring, French judicial economics, call queues.

The package is one subpackage per stage of the data flow, imported one way
(``docs/architecture.md``)::

    portfolio -> state -> amicable -> judicial -> queue -> reports   (+ cli; demo uses portfolio)

each with a short ``__init__`` listing its public names and private ``_*.py``
modules; ``style`` (French number formats, names and colours) is shared by
all. The public names are re-exported here and listed in ``__all__``; they are
imported lazily (on first use), so that ``import recovery_analytics`` and the
command line start fast.

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

#: public name -> the stage (subpackage) or figure module that exports it
_EXPORTS: dict[str, str] = {
    # reading, validating, writing
    "read_portfolio": "portfolio",
    "read_fec": "portfolio",
    "load_mapping": "portfolio",
    "Mapping": "portfolio",
    "write_portfolio": "portfolio",
    "read_validated": "portfolio",
    "partition_portfolio": "portfolio",
    "read_partition": "portfolio",
    "write_validated": "portfolio",
    "write_quarantine": "portfolio",
    "write_sql_table": "portfolio",
    "summarize": "portfolio",
    "Portfolio": "portfolio",
    "InputError": "portfolio",
    "validate_portfolio": "portfolio",
    "EVENT_TYPES": "portfolio",
    "QUARANTINE_COLUMNS": "portfolio",
    "MAX_AMOUNT_EUR": "portfolio",
    "ExportGuard": "portfolio",
    # demo data
    "generate_demo": "demo",
    "debtors_for_claims": "demo",
    "DunningPolicy": "demo",
    "write_fec": "demo",
    # state at as_of, aged balance, analytics
    "portfolio_state": "state",
    "portfolio_states": "state",
    "debtor_history": "state",
    "open_claims": "state",
    "STAGES": "state",
    "HISTORY_DAYS": "state",
    "aged_balance": "state",
    "age_bucket": "state",
    "bucket_labels": "state",
    "DEFAULT_BUCKETS": "state",
    "dso_cei": "state",
    "recovery_curves": "state",
    "concentration": "state",
    "dispute_promise_summary": "state",
    "quarantine_summary": "state",
    # amicable model
    "AmicableModel": "amicable",
    "train_model": "amicable",
    "score_portfolio": "amicable",
    "training_snapshots": "amicable",
    "sample_debtors": "amicable",
    "evaluate": "amicable",
    "time_split": "amicable",
    "reliability_table": "amicable",
    "captured_curve": "amicable",
    "model_card": "amicable",
    "card_markdown": "amicable",
    "save_model": "amicable",
    "load_model": "amicable",
    "feature_table": "amicable",
    "top_reasons": "amicable",
    "wide_reasons": "amicable",
    # judicial economics
    "CostSchedule": "judicial",
    "load_schedule": "judicial",
    "late_interest": "judicial",
    "judicial_assessment": "judicial",
    "score_on_dask": "judicial",
    "validate_on_dask": "judicial",
    "DaskRun": "judicial",
    "break_even_amount": "judicial",
    "break_even_curves": "judicial",
    "sensitivity": "judicial",
    "ROUTES": "judicial",
    "COURT_ROUTES": "judicial",
    "legal_guards": "judicial",
    "prescription_dates": "judicial",
    # score table
    "score_claims": "judicial",
    "SCORE_TABLE_COLUMNS": "judicial",
    # plots
    "format_eur": "style",
    "format_pct": "style",
    "format_number": "style",
    "column_label": "style",
    "ROUTE_COLORS": "style",
    "ROUTE_LABELS_FR": "style",
    "plot_reliability": "amicable.plots",
    "plot_gains": "amicable.plots",
    "plot_captured_curve": "amicable.plots",
    "plot_aged_balance": "state.plots",
    "age_bucket_colors": "state.plots",
    "plot_break_even": "judicial.plots",
    "plot_tornado": "judicial.plots",
    "plot_pareto": "state.plots",
    "plot_recovery_curves": "state.plots",
    "plot_dso_cei": "state.plots",
    # notebooks and reports
    "run_notebook": "reports",
    "export_html": "reports",
    "notebook_parameters": "reports",
    "NotebookError": "reports",
    "check_parameters": "reports",
    "display_table": "reports",
    "headline_cards": "reports",
    "save_figure": "reports",
    "gains_table": "amicable.plots",
    "sensitivity_label": "judicial.plots",
    "run_weekly": "reports",
    "ensure_model": "reports",
    "WeeklyResult": "reports",
    "notebook_path": "reports",
    "scored_state": "judicial",
    "review_table": "judicial",
    "route_summary": "judicial",
    "judicial_headline": "judicial",
    "verdicts_by_segment": "judicial",
    "prediction_check": "judicial",
    "weekly_trend": "judicial",
    "headline_figures": "judicial",
    "verdicts_pivot": "judicial",
    "declarations_due": "judicial",
    "prescription_alerts": "judicial",
    "trend_table": "judicial",
    # call queue
    "build_call_queue": "queue",
    "CallQueue": "queue",
    "write_call_queue": "queue",
    "next_best_action": "queue",
    "EscalationPolicy": "queue",
    "check_french_phone": "queue",
    "format_french_phone": "queue",
    "estimate_call_uplift": "queue",
    "estimate_call_effects": "queue",
    "evaluate_call_policies": "queue",
    "learned_vs_largest_first": "queue",
    "qini_curve": "queue",
    "call_value_notes": "queue",
    "plot_qini": "queue.plots",
    "CallEffects": "queue",
    "demo_world": "demo",
    "simulate_calls": "demo",
    "true_call_effects": "demo",
    "DemoWorld": "demo",
    "call_value": "queue",
    "run_backtest": "queue",
    "backtest_model": "queue",
    "backtest_call_queue": "queue",
    "backtest_totals": "queue",
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
