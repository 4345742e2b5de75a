"""Command line: ``recovery-analytics COMMAND``.

Every command exits 0 on success, 2 on bad input (one clear message, no
traceback) and 1 on other failures. Rows sent to the quarantine do not fail a
run: the command completes, says how many rows went there and writes them.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

__all__ = ["main"]


def _handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn InputError into one line on stderr and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from recovery_analytics.schema import InputError

        try:
            return func(*args, **kwargs)
        except InputError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)

    return wrapper


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """Parse an ISO or French date given on the command line."""
    if value is None:
        return None
    import pandas as pd

    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return pd.Timestamp(pd.to_datetime(value, format=fmt))
        except (ValueError, TypeError):
            continue
    raise click.BadParameter(f"{value!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)")


_portfolio_option = click.option(
    "--portfolio",
    "source",
    required=True,
    help="Portfolio source: a folder of CSV/Parquet files, an .xlsx workbook, "
    "or a SQLAlchemy URL (e.g. sqlite:///portfolio.db).",
)
_mapping_option = click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="TOML file renaming and recoding the columns of a foreign export.",
)


def _load(source: str, mapping: Path | None, quarantine_dir: Path | None = None):
    """Read and validate a portfolio; write the quarantine next to the outputs, say how many."""
    from recovery_analytics.io import read_portfolio, write_quarantine

    portfolio = read_portfolio(source, mapping)
    n_bad = len(portfolio.quarantine)
    if quarantine_dir is not None:
        path = write_quarantine(portfolio.quarantine, quarantine_dir / "quarantine.csv")
        if n_bad:
            click.echo(f"{n_bad} input row(s) quarantined, with their reasons: {path}", err=True)
    elif n_bad:
        click.echo(f"{n_bad} input row(s) quarantined (`validate` lists them).", err=True)
    return portfolio


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="recovery_analytics")
def main() -> None:
    """Score overdue claims, weigh French court routes, and build call queues.

    A typical week: `validate` the export, `train` the amicable model (when the
    history has grown), then `weekly` for the call queue and the management
    report; `score`, `judicial` and `call-queue` give each table on its own.
    `demo-data` writes a realistic portfolio to try it on. See the README.
    """


@main.command("demo-data")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="Output folder.")
@click.option(
    "--debtors", default=2000, show_default=True, type=click.IntRange(1), help="Number of debtors."
)
@click.option(
    "--seed", default=0, show_default=True, type=int, help="Random seed: same seed, same files."
)
@click.option(
    "--as-of", "as_of", default="2026-06-30", show_default=True, help="Last date of the history."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "parquet"]),
    default="csv",
    show_default=True,
    help="csv for small samples and exchange, parquet for large portfolios.",
)
@_handle_errors
def demo_data(out: Path, debtors: int, seed: int, as_of: str, fmt: str) -> None:
    """Generate a realistic French demo portfolio (debtors, claims, events)."""
    from recovery_analytics.demo import generate_demo
    from recovery_analytics.io import write_portfolio
    from recovery_analytics.schema import TABLES

    as_of_ts = _date(click.get_current_context(), None, as_of)  # type: ignore[arg-type]
    portfolio = generate_demo(debtors, seed=seed, as_of=as_of_ts)
    paths = write_portfolio(portfolio, out, fmt=fmt)
    for table in TABLES:
        n = len(getattr(portfolio, table))
        click.echo(f"{table:8s} {n:>10,d} rows -> {paths[table]}")
    if "mapping" in paths:
        click.echo(f"extra feature columns declared in {paths['mapping']}")


@main.command()
@_portfolio_option
@_mapping_option
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder where quarantine.csv is written.",
)
@click.option("--strict", is_flag=True, help="Exit with status 1 when any row was quarantined.")
@_handle_errors
def validate(source: str, mapping: Path | None, out_dir: Path | None, strict: bool) -> None:
    """Read and validate a portfolio; print a summary and write the quarantine."""
    from recovery_analytics.io import read_portfolio, summarize, write_quarantine

    portfolio = read_portfolio(source, mapping)
    click.echo(summarize(portfolio))
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / "quarantine.csv"
        write_quarantine(portfolio.quarantine, path)
        click.echo(f"quarantine written to {path}")
    if strict and len(portfolio.quarantine):
        sys.exit(1)


@main.command("aged-balance")
@_portfolio_option
@_mapping_option
@click.option("--as-of", "as_of", required=True, callback=_date, help="Date of the balance.")
@click.option(
    "--by",
    default="debtor_type",
    show_default=True,
    help="Column to split by (any column of the claim state or of debtors), or 'none'.",
)
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for aged_balance.csv and aged_balance.png.",
)
@_handle_errors
def aged_balance_cmd(
    source: str, mapping: Path | None, as_of: Any, by: str, out_dir: Path | None
) -> None:
    """Print the aged balance (balance âgée) of the open claims at a date."""
    from recovery_analytics.aging import aged_balance
    from recovery_analytics.features import portfolio_state

    portfolio = _load(source, mapping, out_dir)
    state = portfolio_state(portfolio, as_of)
    group = None if by.lower() == "none" else by
    if group is not None and group not in state.columns:
        extra = portfolio.debtors.drop(
            columns=[
                c for c in portfolio.debtors.columns if c in state.columns and c != "debtor_id"
            ]
        )
        if group not in extra.columns:
            from recovery_analytics.schema import InputError

            raise InputError(f"--by {group!r} is not a column of the claims or the debtors")
        state = state.merge(extra[["debtor_id", group]], on="debtor_id", how="left")
    table = aged_balance(state, by=group)
    from recovery_analytics.plots import format_eur

    shown = table.copy()
    shown["outstanding_eur"] = shown["outstanding_eur"].map(format_eur)
    shown["share_of_outstanding"] = shown["share_of_outstanding"].map(lambda x: f"{x:.1%}")
    click.echo(shown.to_string(index=False))
    if out_dir is not None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        from recovery_analytics.plots import plot_aged_balance

        out_dir.mkdir(parents=True, exist_ok=True)
        table.to_csv(out_dir / "aged_balance.csv", index=False)
        ax = plot_aged_balance(table)
        ax.figure.savefig(out_dir / "aged_balance.png", dpi=120, bbox_inches="tight")
        plt.close(ax.figure)
        click.echo(f"written to {out_dir / 'aged_balance.csv'} and aged_balance.png")


def _write_table(table: Any, out: Path) -> None:
    """Write a result table as Parquet (.parquet), CSV (.csv) or Excel (.xlsx)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    suffix = out.suffix.lower()
    if suffix == ".parquet":
        table.to_parquet(out, index=False)
    elif suffix == ".csv":
        table.to_csv(out, index=False, date_format="%Y-%m-%d")
    elif suffix == ".xlsx":
        table.to_excel(out, index=False)
    else:
        from recovery_analytics.schema import InputError

        raise InputError(f"--out {out}: use a .parquet, .csv or .xlsx file name")


def _threads_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--threads",
        type=click.IntRange(1),
        default=None,
        help="LightGBM threads (default: all cores).",
    )(func)


@main.command()
@_portfolio_option
@_mapping_option
@click.option(
    "--model-out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the model files, its metadata and its model card.",
)
@click.option(
    "--horizon-days",
    default=90,
    show_default=True,
    type=click.IntRange(7),
    help="Recovery horizon.",
)
@click.option(
    "--every-days",
    default=14,
    show_default=True,
    type=click.IntRange(1),
    help="Spacing of training snapshots.",
)
@click.option(
    "--history-days",
    default=365,
    show_default=True,
    type=click.IntRange(1),
    help="Look-back of the debtor's payment-history features.",
)
@_threads_option
@_handle_errors
def train(
    source: str,
    mapping: Path | None,
    model_out: Path,
    horizon_days: int,
    every_days: int,
    history_days: int,
    threads: int | None,
) -> None:
    """Train the amicable model on historical snapshots and print its evaluation.

    The evaluation is on a time-based holdout (the newest snapshots), against
    three baselines: oldest first, largest first, the customer's usual delay.
    The model and its card (model_card.json / .md) are written to --model-out.
    """
    from recovery_analytics.amicable import train_model
    from recovery_analytics.model_io import save_model

    portfolio = _load(source, mapping, model_out)
    model, card = train_model(
        portfolio,
        horizon_days=horizon_days,
        every_days=every_days,
        history_days=history_days,
        progress=True,
        num_threads=threads,
    )
    save_model(model, model_out, card=card)
    click.echo(card["summary"])
    click.echo(f"model written to {model_out} (model card: {model_out / 'model_card.md'})")


def _score(source, mapping, model_dir, as_of, costs, reasons, lang, all_routes, out):
    from recovery_analytics.scoring import score_claims

    portfolio = _load(source, mapping, out.parent)
    model = None
    if model_dir is not None:
        from recovery_analytics.model_io import load_model

        model = load_model(model_dir)
    schedule = None
    if costs is not None:
        from recovery_analytics.costs import load_schedule

        schedule = load_schedule(costs)
    table = score_claims(
        portfolio,
        as_of,
        model,
        schedule=schedule,
        with_reasons=reasons,
        lang=lang,
        all_routes=all_routes,
        progress=True,
    )
    for item in table.attrs.get("unseen_categories", []):
        click.echo(
            f"note: {item['rows']} claim(s) have {item['feature']} = {item['value']!r}, "
            "not seen in training (scored as unknown)",
            err=True,
        )
    return table


def _model_option(required: bool) -> Callable[..., Any]:
    return click.option(
        "--model",
        "model_dir",
        required=required,
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="Model folder written by `train`.",
    )


_collectors_option = click.option(
    "--collectors",
    default=3,
    show_default=True,
    type=click.IntRange(1),
    help="Collectors on the phones.",
)
_calls_option = click.option(
    "--calls-per-collector",
    default=40,
    show_default=True,
    type=click.IntRange(1),
    help="Calls each collector can make in the day.",
)
_costs_option = click.option(
    "--costs",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="TOML file overriding figures of the shipped French cost schedule.",
)
_as_of_option = click.option(
    "--as-of",
    "as_of",
    required=True,
    callback=_date,
    help="Date of the scoring (YYYY-MM-DD or DD/MM/YYYY).",
)
_out_option = click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output .parquet, .csv or .xlsx.",
)
_lang_option = click.option(
    "--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True
)


@main.command()
@_portfolio_option
@_mapping_option
@_model_option(required=True)
@_as_of_option
@_out_option
@_costs_option
@click.option(
    "--reasons",
    default=500,
    show_default=True,
    type=click.IntRange(0),
    help="Plain-language reasons for this many claims (highest expected euros first).",
)
@_lang_option
@_handle_errors
def score(source, mapping, model_dir, as_of, out, costs, reasons, lang) -> None:
    """Score every open claim: probability of amicable recovery, expected euros, route.

    One row per open claim with the columns of DESIGN.md: p_amicable,
    expected_recovery_eur, the recommended route and its judicial economics,
    legal flags and the top three reasons.
    """
    table = _score(source, mapping, model_dir, as_of, costs, reasons, lang, False, out)
    _write_table(table, out)
    click.echo(f"{len(table):,d} open claims scored -> {out}")


@main.command()
@_portfolio_option
@_mapping_option
@_model_option(required=False)
@_as_of_option
@_costs_option
@_out_option
@_handle_errors
def judicial(source, mapping, model_dir, as_of, costs, out) -> None:
    """Weigh the French court routes against continuing amicably, claim by claim.

    For each open claim: cost and expected net value of every route
    (injonction de payer, procédure simplifiée, référé-provision, action au
    fond, agency, formal notice, declaration of the claim, write-off), the
    recommended route, legal flags and deadlines (prescription, insolvency,
    disputes) in plain words. Without --model, the chance of amicable recovery
    is the documented prior by age (docs/judicial.md).
    """
    table = _score(source, mapping, model_dir, as_of, costs, 0, "fr", True, out)
    _write_table(table, out)
    counts = table["recommended_route"].value_counts()
    click.echo(f"{len(table):,d} open claims assessed -> {out}")
    click.echo("recommended routes: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@main.command("call-queue")
@_portfolio_option
@_mapping_option
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
    type=click.Path(dir_okay=False, path_type=Path),
    help="The export: .xlsx (a sheet per collector, letters, excluded...) or .csv (';', BOM).",
)
@_lang_option
@_handle_errors
def call_queue(
    source,
    mapping,
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
    from recovery_analytics.exports import write_call_queue
    from recovery_analytics.model_io import load_model
    from recovery_analytics.prioritise import build_call_queue

    if out.suffix.lower() not in (".xlsx", ".csv"):
        from recovery_analytics.schema import InputError

        raise InputError(f"--out {out}: use a .xlsx or .csv file name")
    portfolio = _load(source, mapping, out.parent)
    model = load_model(model_dir)
    schedule = None
    if costs is not None:
        from recovery_analytics.costs import load_schedule

        schedule = load_schedule(costs)
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
    out.parent.mkdir(parents=True, exist_ok=True)
    write_call_queue(cq, out, lang=lang)
    click.echo(
        f"{len(cq.queue):,d} debtors to call, {len(cq.excluded):,d} excluded "
        f"(with their reason), {len(cq.letters):,d} letters to send -> {out}"
    )


@main.command()
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
    """
    from recovery_analytics.reports import NotebookError
    from recovery_analytics.weekly import run_weekly

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
    click.echo(f"weekly reports written to {result.folder}")
    for name, path in result.html.items():
        click.echo(f"  {name}: {path}")
    if result.quarantined_rows:
        click.echo(f"  {result.quarantined_rows} input row(s) quarantined: {result.quarantine}")


if __name__ == "__main__":  # pragma: no cover
    main()
