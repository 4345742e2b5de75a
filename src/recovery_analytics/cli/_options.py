"""Options and helpers shared by the commands: dates, the portfolio source, errors as one line."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

__all__ = []


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
    "a SQLAlchemy URL (e.g. sqlite:///portfolio.db), or a FEC file / a folder of FEC files.",
)


_format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "fec", "tables"]),
    default="auto",
    show_default=True,
    help="How to read --portfolio: auto recognises a FEC (the accounting export) by its "
    "header line; fec forces it; tables reads debtors/claims/events.",
)


_mapping_option = click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="TOML file renaming and recoding the columns of a foreign export.",
)


def _load(
    source: str,
    mapping: Path | None,
    quarantine_dir: Path | None = None,
    *,
    as_of: Any = None,
    fmt: str = "auto",
):
    """Read and validate a portfolio; write the quarantine next to the outputs, say how many."""
    from recovery_analytics.portfolio import read_portfolio, write_quarantine

    portfolio = read_portfolio(source, mapping, as_of=as_of, format=fmt)
    for note in portfolio.notes:
        if note.startswith("FEC"):
            click.echo(note, err=True)
    n_bad = len(portfolio.quarantine)
    if quarantine_dir is not None:
        path = write_quarantine(portfolio.quarantine, quarantine_dir / "quarantine.csv")
        if n_bad:
            click.echo(f"{n_bad} input row(s) quarantined, with their reasons: {path}", err=True)
    elif n_bad:
        click.echo(f"{n_bad} input row(s) quarantined (`validate` lists them).", err=True)
    return portfolio


def _out_path(value: str) -> Path | str:
    """``--out``: a file name (a Path) or a SQL table (the URL#table string, kept as is)."""
    return value if "://" in value else Path(value)


def _out_dir(out: Path | str) -> Path | None:
    """Where the quarantine goes beside an output file (None for a SQL table)."""
    return None if isinstance(out, str) else out.parent


def _write_table(table: Any, out: Path | str, as_of: Any = None) -> None:
    """Write a result table as Parquet (.parquet), CSV (.csv), Excel (.xlsx) or a SQL table."""
    if isinstance(out, str):
        from recovery_analytics.portfolio import write_sql_table

        written = write_sql_table(table, out, as_of=as_of)
        click.echo(f"table {written} written", err=True)
        return
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
    callback=lambda ctx, param, value: _out_path(value),
    help="Output .parquet, .csv or .xlsx, or a SQL table: a SQLAlchemy URL with the table "
    "after '#' (postgresql+psycopg://user@host/db#schema.scores): the rows of the same "
    "as_of are replaced, other dates kept (#scores?replace drops the table, ?append adds).",
)


_lang_option = click.option(
    "--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True
)
