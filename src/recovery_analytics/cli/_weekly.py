"""The weekly commands: the call queue and the weekly reports."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from recovery_analytics.cli._options import (
    _as_of_option,
    _calls_option,
    _check_out,
    _collectors_option,
    _costs_option,
    _date,
    _format_option,
    _guard,
    _handle_errors,
    _lang_option,
    _load,
    _mapping_option,
    _model_option,
    _out_dir,
    _out_path,
    _portfolio_option,
    _say_guard,
    _warn_tariffs,
    _write_table,
)

__all__ = [
    "call_queue",
    "weekly",
]


@click.command("call-queue")
@_portfolio_option
@_mapping_option
@_format_option
@_model_option(required=True)
@_as_of_option
@_collectors_option
@_calls_option
@click.option(
    "--minutes-per-day",
    type=click.FloatRange(min=1),
    default=None,
    help="Phone minutes per collector per day (instead of a number of calls).",
)
@click.option(
    "--cooloff-days",
    default=7,
    show_default=True,
    type=click.IntRange(0),
    help="No call within this many days of the last one.",
)
@click.option(
    "--max-attempts-30d",
    default=4,
    show_default=True,
    type=click.IntRange(1),
    help="At most this many call days per debtor in 30 days.",
)
@_costs_option
@click.option(
    "--out",
    required=True,
    callback=lambda ctx, param, value: _out_path(value),
    help="The export: .xlsx (a sheet per collector, letters, excluded...) or .csv (';', BOM); "
    "or a SQL table for the queue (postgresql+psycopg://user@host/db#call_queue), the rows "
    "of the same as_of replaced.",
)
@_lang_option
@_handle_errors
def call_queue(
    source,
    mapping,
    fmt,
    model_dir,
    as_of,
    collectors,
    calls_per_collector,
    minutes_per_day,
    cooloff_days,
    max_attempts_30d,
    costs,
    out,
    lang,
) -> None:
    """Build the day's call queue: one line per debtor, ranked, assigned to collectors.

    Debtors are ranked by the expected euros a call brings, net of its cost, per
    minute of collector time. Debtors who cannot or should not be called today
    (no valid phone, insolvency, court, open dispute, pending promise, recent
    call, too many attempts) are listed with their reason; letters and formal
    notices due this week go to their own list.
    """
    from recovery_analytics.amicable import load_model
    from recovery_analytics.queue import build_call_queue, call_value_notes, write_call_queue

    _check_out(out, (".xlsx", ".csv"))
    portfolio = _load(source, mapping, _out_dir(out), as_of=as_of, fmt=fmt)
    model = load_model(model_dir)
    schedule = None
    if costs is not None:
        from recovery_analytics.judicial import load_schedule

        schedule = load_schedule(costs)
    _warn_tariffs(schedule, as_of)
    cq = build_call_queue(
        portfolio,
        model,
        as_of,
        collectors=collectors,
        calls_per_collector=None if minutes_per_day else calls_per_collector,
        minutes_per_day=minutes_per_day,
        cooloff_days=cooloff_days,
        max_attempts_30d=max_attempts_30d,
        schedule=schedule,
        lang=lang,
    )
    if isinstance(out, str):
        _write_table(cq.queue, out, as_of)
    else:
        guard = _guard()
        write_call_queue(cq, out, lang=lang, guard=guard)
        _say_guard(guard, out)
    click.echo(
        f"{len(cq.queue):,d} debtors to call, {len(cq.excluded):,d} excluded "
        f"(with their reason), {len(cq.letters):,d} letters to send -> {out}"
    )
    click.echo(call_value_notes(cq, "en")["call"])


@click.command()
@_portfolio_option
@_mapping_option
@_model_option(required=True)
@click.option("--as-of", "as_of", required=True, callback=_date, help="Date of the week's run.")
@click.option(
    "--out-dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Root of the weekly outputs; this week goes to OUT_DIR/<as_of>/.",
)
@_collectors_option
@_calls_option
@_costs_option
@_handle_errors
def weekly(
    source, mapping, model_dir, as_of, out_dir, collectors, calls_per_collector, costs
) -> None:
    """Run the weekly reports: call queue for the team, judicial review for management.

    Validates the portfolio, then runs notebooks 10 (call queue) and 11
    (judicial review) through papermill and writes into OUT_DIR/<as_of>/ the
    executed notebooks, HTML reports without code, the queue exports, the
    quarantine and summary.json (with the trend against the previous week's).

    The week is built in OUT_DIR/<as_of>.incomplete/ and swapped in only when
    everything succeeded: a failed or interrupted run leaves the previous
    OUT_DIR/<as_of>/ as it was and its partial week in
    OUT_DIR/<as_of>.failed-<time>/. A second run into the same OUT_DIR while
    one is going stops at once (exit 2).
    """
    from recovery_analytics.reports import NotebookError, run_weekly

    _warn_tariffs(costs, as_of)
    try:
        result = run_weekly(
            source,
            model_dir,
            as_of,
            out_dir,
            mapping=mapping,
            collectors=collectors,
            calls_per_collector=calls_per_collector,
            costs=costs,
        )
    except NotebookError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(f"weekly reports written to {result.folder}")
    for name, path in result.html.items():
        click.echo(f"  {name}: {path}")
    if result.quarantined_rows:
        click.echo(f"  {result.quarantined_rows} input row(s) quarantined: {result.quarantine}")
