"""Options and helpers shared by the commands: dates, the portfolio source, errors as one line."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

__all__ = []


def _warn_tariffs(schedule: Any, as_of: Any) -> None:
    """Print on stderr the tariffs whose validity ended before as_of (still used).

    ``schedule`` is a loaded schedule, a ``--costs`` file or None (the default).
    """
    from recovery_analytics.judicial import CostSchedule, load_schedule, tariff_warning

    if not isinstance(schedule, CostSchedule):
        schedule = load_schedule(schedule)
    text = tariff_warning(schedule, as_of)
    if text:
        click.echo(text, err=True)


def _handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn InputError into one line on stderr and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from recovery_analytics.portfolio import InputError

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
    from recovery_analytics.portfolio import read_portfolio, write_quarantine

    portfolio = read_portfolio(source, mapping)
    n_bad = len(portfolio.quarantine)
    if quarantine_dir is not None:
        path = write_quarantine(portfolio.quarantine, quarantine_dir / "quarantine.csv")
        if n_bad:
            click.echo(f"{n_bad} input row(s) quarantined, with their reasons: {path}", err=True)
    elif n_bad:
        click.echo(f"{n_bad} input row(s) quarantined (`validate` lists them).", err=True)
    return portfolio


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
        from recovery_analytics.portfolio import InputError

        raise InputError(f"--out {out}: use a .parquet, .csv or .xlsx file name")


def _threads_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--threads",
        type=click.IntRange(1),
        default=None,
        help="LightGBM threads (default: all cores).",
    )(func)


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
