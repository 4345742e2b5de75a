"""The commands on a portfolio: demo-data, validate, aged-balance, train, score, judicial."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from recovery_analytics.cli._dask import _check_dask, _engine_options, _score_dask, _validate_dask
from recovery_analytics.cli._options import (
    _as_of_option,
    _check_out,
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
    _out_option,
    _portfolio_option,
    _say_guard,
    _threads_option,
    _warn_tariffs,
    _write_table,
    _write_warnings,
)

__all__ = ["aged_balance_cmd", "demo_data", "judicial", "score", "train", "validate"]


@click.command("demo-data")
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
    type=click.Choice(["csv", "parquet", "fec"]),
    default="csv",
    show_default=True,
    help="csv for small samples and exchange, parquet for large portfolios, fec for the "
    "creditor's accounting export (one FEC per fiscal year, a customer file, mapping.toml).",
)
@_handle_errors
def demo_data(out: Path, debtors: int, seed: int, as_of: str, fmt: str) -> None:
    """Generate a realistic French demo portfolio (debtors, claims, events)."""
    from recovery_analytics.demo import generate_demo
    from recovery_analytics.portfolio import TABLES, write_portfolio

    as_of_ts = _date(click.get_current_context(), None, as_of)  # type: ignore[arg-type]
    portfolio = generate_demo(debtors, seed=seed, as_of=as_of_ts)
    if fmt == "fec":
        from recovery_analytics.demo import write_fec

        for path in write_fec(portfolio, out, as_of=as_of_ts):
            click.echo(f"FEC -> {path}")
        click.echo(f"customers -> {out / 'clients.csv'} (read through {out / 'mapping.toml'})")
        return
    paths = write_portfolio(portfolio, out, fmt=fmt)
    for table in TABLES:
        n = len(getattr(portfolio, table))
        click.echo(f"{table:8s} {n:>10,d} rows -> {paths[table]}")
    if "mapping" in paths:
        click.echo(f"extra feature columns declared in {paths['mapping']}")


@click.command()
@_portfolio_option
@_mapping_option
@_format_option
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder where quarantine.csv (rows rejected) and warnings.csv (rows kept, worth a look) "
    "are written.",
)
@click.option("--strict", is_flag=True, help="Exit with status 1 when any row was quarantined.")
@_engine_options
@_handle_errors
def validate(
    source: str,
    mapping: Path | None,
    fmt: str,
    out_dir: Path | None,
    strict: bool,
    engine: str = "memory",
    scheduler: str | None = None,
    workers: int = 2,
    partitions: int | None = None,
) -> None:
    """Read and validate a portfolio; print a summary and write the quarantine."""
    from recovery_analytics.portfolio import read_portfolio, summarize, write_quarantine

    _check_dask(engine, scheduler, partitions)
    if engine == "dask":
        run = _validate_dask(source, mapping, out_dir, scheduler, workers, partitions)
        if strict and len(run.quarantine):
            sys.exit(1)
        return

    portfolio = read_portfolio(source, mapping, format=fmt)
    for note in portfolio.notes:
        if note.startswith("mapping read from"):  # also in the summary; said on stderr too
            click.echo(f"note: {note}", err=True)
    click.echo(summarize(portfolio))
    if out_dir is not None:
        guard = _guard()
        path = write_quarantine(portfolio.quarantine, out_dir / "quarantine.csv", guard=guard)
        click.echo(f"quarantine written to {path}")
        _say_guard(guard, path)
        _write_warnings(portfolio, out_dir)
    if strict and len(portfolio.quarantine):
        sys.exit(1)


@click.command("aged-balance")
@_portfolio_option
@_mapping_option
@_format_option
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
    source: str, mapping: Path | None, fmt: str, as_of: Any, by: str, out_dir: Path | None
) -> None:
    """Print the aged balance (balance âgée) of the open claims at a date."""
    from recovery_analytics.state import aged_balance, portfolio_state

    portfolio = _load(source, mapping, out_dir, as_of=as_of, fmt=fmt)
    state = portfolio_state(portfolio, as_of)
    group = None if by.lower() == "none" else by
    if group is not None and group not in state.columns:
        extra = portfolio.debtors.drop(
            columns=[
                c for c in portfolio.debtors.columns if c in state.columns and c != "debtor_id"
            ]
        )
        if group not in extra.columns:
            from recovery_analytics.portfolio import InputError

            raise InputError(f"--by {group!r} is not a column of the claims or the debtors")
        state = state.merge(extra[["debtor_id", group]], on="debtor_id", how="left")
    table = aged_balance(state, by=group)
    from recovery_analytics.style import format_eur

    shown = table.copy()
    shown["outstanding_eur"] = shown["outstanding_eur"].map(format_eur)
    shown["share_of_outstanding"] = shown["share_of_outstanding"].map(lambda x: f"{x:.1%}")
    click.echo(shown.to_string(index=False))
    if out_dir is not None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        from recovery_analytics.portfolio import atomic_path, write_csv
        from recovery_analytics.state.plots import plot_aged_balance

        write_csv(table, out_dir / "aged_balance.csv")
        ax = plot_aged_balance(table)
        with atomic_path(out_dir / "aged_balance.png") as tmp:
            ax.figure.savefig(tmp, dpi=120, bbox_inches="tight", format="png")
        plt.close(ax.figure)
        click.echo(f"written to {out_dir / 'aged_balance.csv'} and aged_balance.png")


@click.command()
@_portfolio_option
@_mapping_option
@_format_option
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
@click.option(
    "--max-snapshot-rows",
    default=2_000_000,
    show_default=True,
    type=click.IntRange(1000),
    help="Memory budget of training (~2.4 KB per row): beyond it, a stable sample of whole "
    "debtors is trained on (docs/scale.md).",
)
@_threads_option
@_handle_errors
def train(
    source: str,
    mapping: Path | None,
    fmt: str,
    model_out: Path,
    horizon_days: int,
    every_days: int,
    history_days: int,
    threads: int | None,
    max_snapshot_rows: int = 2_000_000,
) -> None:
    """Train the amicable model on historical snapshots and print its evaluation.

    The evaluation is on a time-based holdout (the newest snapshots), against
    three baselines: oldest first, largest first, the customer's usual delay.
    The model and its card (model_card.json / .md) are written to --model-out.
    """
    from recovery_analytics.amicable import save_model, train_model

    portfolio = _load(source, mapping, model_out, fmt=fmt)
    model, card = train_model(
        portfolio,
        horizon_days=horizon_days,
        every_days=every_days,
        history_days=history_days,
        max_snapshot_rows=max_snapshot_rows,
        progress=True,
        num_threads=threads,
    )
    save_model(model, model_out, card=card)
    click.echo(card["summary"])
    click.echo(f"model written to {model_out} (model card: {model_out / 'model_card.md'})")


def _score(source, mapping, model_dir, as_of, costs, reasons, lang, all_routes, out, fmt):
    from recovery_analytics.judicial import score_claims

    portfolio = _load(source, mapping, _out_dir(out), as_of=as_of, fmt=fmt)
    model = None
    if model_dir is not None:
        from recovery_analytics.amicable import load_model

        model = load_model(model_dir)
    schedule = None
    if costs is not None:
        from recovery_analytics.judicial import load_schedule

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
    _warn_tariffs(schedule, as_of)
    for item in table.attrs.get("unseen_categories", []):
        click.echo(
            f"note: {item['rows']} claim(s) have {item['feature']} = {item['value']!r}, "
            "not seen in training (scored as unknown)",
            err=True,
        )
    return table


@click.command()
@_portfolio_option
@_mapping_option
@_format_option
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
@_engine_options
@_handle_errors
def score(source, mapping, fmt, model_dir, as_of, out, costs, reasons, lang, engine="memory",
          scheduler=None, workers=2, partitions=None) -> None:  # fmt: skip
    """Score every open claim: probability of amicable recovery, expected euros, route.

    One row per open claim with the columns of DESIGN.md: p_amicable,
    expected_recovery_eur, the recommended route and its judicial economics,
    legal flags and the top three reasons.
    """
    _check_dask(engine, scheduler, partitions)
    if engine == "dask":
        _score_dask(source, mapping, model_dir, as_of, costs, reasons, lang, False, out,
                    scheduler, workers, partitions, "open claims scored")  # fmt: skip
        _warn_tariffs(costs, as_of)
        return
    _check_out(out)
    table = _score(source, mapping, model_dir, as_of, costs, reasons, lang, False, out, fmt)
    _write_table(table, out, as_of)
    click.echo(f"{len(table):,d} open claims scored -> {out}")


@click.command()
@_portfolio_option
@_mapping_option
@_format_option
@_model_option(required=False)
@_as_of_option
@_costs_option
@_out_option
@_engine_options
@_handle_errors
def judicial(source, mapping, fmt, model_dir, as_of, costs, out, engine="memory", scheduler=None,
             workers=2, partitions=None) -> None:  # fmt: skip
    """Weigh the French court routes against continuing amicably, claim by claim.

    For each open claim: cost and expected net value of every route
    (injonction de payer, procédure simplifiée, référé-provision, action au
    fond, agency, formal notice, declaration of the claim, write-off), the
    recommended route, legal flags and deadlines (prescription, insolvency,
    disputes) in plain words. Without --model, the chance of amicable recovery
    is the documented prior by age (docs/judicial.md).
    """
    _check_dask(engine, scheduler, partitions)
    if engine == "dask":
        _score_dask(source, mapping, model_dir, as_of, costs, 0, "fr", True, out,
                    scheduler, workers, partitions, "open claims assessed")  # fmt: skip
        return
    _check_out(out)
    table = _score(source, mapping, model_dir, as_of, costs, 0, "fr", True, out, fmt)
    _write_table(table, out, as_of)
    counts = table["recommended_route"].value_counts()
    click.echo(f"{len(table):,d} open claims assessed -> {out}")
    click.echo("recommended routes: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
