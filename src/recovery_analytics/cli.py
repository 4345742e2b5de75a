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
    """Read and validate a portfolio, report the quarantine, write it if asked."""
    from recovery_analytics.io import read_portfolio, write_quarantine

    portfolio = read_portfolio(source, mapping)
    n_bad = len(portfolio.quarantine)
    if n_bad:
        click.echo(f"{n_bad} input row(s) quarantined (see quarantine.csv).", err=True)
    if quarantine_dir is not None:
        quarantine_dir.mkdir(parents=True, exist_ok=True)
        write_quarantine(portfolio.quarantine, quarantine_dir / "quarantine.csv")
    return portfolio


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="recovery_analytics")
def main() -> None:
    """Score overdue claims, weigh French court routes, and build call queues.

    Start with `demo-data` to get a portfolio, `validate` to check one, then
    `aged-balance`. See the README for the input format and the weekly job.
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

    as_of_ts = _date(click.get_current_context(), None, as_of)  # type: ignore[arg-type]
    portfolio = generate_demo(debtors, seed=seed, as_of=as_of_ts)
    paths = write_portfolio(portfolio, out, fmt=fmt)
    for table, path in paths.items():
        n = len(getattr(portfolio, table))
        click.echo(f"{table:8s} {n:>10,d} rows -> {path}")


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
    click.echo(table.to_string(index=False))
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


if __name__ == "__main__":  # pragma: no cover
    main()
