"""Reports: the weekly job and the notebooks that turn scores into reports.

Takes a portfolio source, a model and an as_of; gives the week's folder
(``reports/<as_of>/``): the executed notebooks, their HTML without code, the
call-queue files, the quarantine and ``summary.json``. Notebooks run with
papermill in this process after their ``parameters`` cell is checked
(``_parameters``, ``_notebooks``); HTML is exported in ``_html``; what a
notebook shows goes through the display helpers of ``_tables`` (French tables)
and ``_cards`` (headline cards, saved figures); the weekly job is ``_weekly``,
its summary ``_week_summary``, its lock and staging folder ``_staging``.
"""

from __future__ import annotations

from recovery_analytics.reports._cards import HtmlBlock, headline_cards, headline_table, save_figure
from recovery_analytics.reports._ensure_model import ensure_model
from recovery_analytics.reports._html import export_html, notebook_has_outputs, strip_outputs
from recovery_analytics.reports._notebooks import NotebookError, run_notebook
from recovery_analytics.reports._parameters import check_parameters, notebook_parameters
from recovery_analytics.reports._staging import WeeklyLockedError
from recovery_analytics.reports._tables import display_table, format_table
from recovery_analytics.reports._weekly import (
    WEEKLY_NOTEBOOKS,
    WeeklyResult,
    notebook_path,
    run_weekly,
)

__all__ = [
    "WEEKLY_NOTEBOOKS",
    "HtmlBlock",
    "NotebookError",
    "WeeklyLockedError",
    "WeeklyResult",
    "check_parameters",
    "display_table",
    "ensure_model",
    "export_html",
    "format_table",
    "headline_cards",
    "headline_table",
    "notebook_has_outputs",
    "notebook_parameters",
    "notebook_path",
    "run_notebook",
    "run_weekly",
    "save_figure",
    "strip_outputs",
]
