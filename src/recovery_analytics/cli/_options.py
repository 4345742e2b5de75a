"""Options and helpers shared by the commands: dates, the portfolio source, errors as one line."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

__all__ = []


def _debug() -> bool:
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx is not None else None
    return bool(root is not None and (root.obj or {}).get("debug"))


#: OS errors that mean a bad path given by the user (exit 2); others (a full disk...) exit 1.
_BAD_PATH_ERRORS = (PermissionError, NotADirectoryError, IsADirectoryError, FileExistsError,
                    FileNotFoundError)  # fmt: skip


def _os_error(exc: OSError) -> str:
    where = f": {exc.filename}" if exc.filename else ""
    return f"{exc.strerror or type(exc).__name__}{where}"


def _notes(exc: BaseException) -> str:
    """Notes added to an exception (where a failed weekly run left its files), on the same line."""
    return "".join(f"; {note}" for note in getattr(exc, "__notes__", ()))


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
    """One line on stderr and an exit status for every failure; a traceback only with --debug.

    InputError and bad paths (permission denied, a file where a folder is
    expected...) exit 2; other OS errors (a full disk) and unexpected errors
    exit 1; Ctrl-C exits 130.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from recovery_analytics.portfolio import InputError

        try:
            return func(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt as exc:
            if _debug():
                raise
            detail = str(exc) or "files already complete are kept, none is half-written"
            click.echo(f"interrupted (Ctrl-C): {detail}", err=True)
            sys.exit(130)
        except InputError as exc:
            if _debug():
                raise
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        except OSError as exc:
            if _debug():
                raise
            code = 2 if isinstance(exc, _BAD_PATH_ERRORS) else 1
            click.echo(f"error: cannot read or write a file: {_os_error(exc)}{_notes(exc)}",
                       err=True)  # fmt: skip
            sys.exit(code)
        except Exception as exc:
            if _debug():
                raise
            message = str(exc).splitlines()[0] if str(exc) else ""
            click.echo(
                f"error: {type(exc).__name__}: {message}{_notes(exc)} (run with --debug for the "
                "traceback)",
                err=True,
            )
            sys.exit(1)

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
    """Read and validate a portfolio; write the quarantine next to the outputs, say how many.

    The portfolio's notes (a folder's own ``mapping.toml`` applied, no events...)
    and its warnings are printed on stderr.
    """
    from recovery_analytics.portfolio import read_portfolio, write_quarantine

    portfolio = read_portfolio(source, mapping, as_of=as_of, format=fmt)
    for note in portfolio.notes:
        click.echo(f"note: {note}", err=True)
    n_bad = len(portfolio.quarantine)
    if quarantine_dir is not None:
        guard = _guard()
        path = quarantine_dir / "quarantine.csv"
        write_quarantine(portfolio.quarantine, path, guard=guard)
        if n_bad:
            click.echo(f"{n_bad} input row(s) quarantined, with their reasons: {path}", err=True)
        _say_guard(guard, path)
        _write_warnings(portfolio, quarantine_dir)
    elif n_bad:
        click.echo(f"{n_bad} input row(s) quarantined (`validate` lists them).", err=True)
    if len(portfolio.warnings) and quarantine_dir is None:
        click.echo(f"{len(portfolio.warnings)} warning(s) on rows kept (`validate` lists them).",
                   err=True)  # fmt: skip
    return portfolio


def _out_path(value: str) -> Path | str:
    """``--out``: a file name (a Path) or a SQL table (the URL#table string, kept as is)."""
    return value if "://" in value else Path(value)


def _out_dir(out: Path | str) -> Path | None:
    """Where the quarantine goes beside an output file (None for a SQL table)."""
    return None if isinstance(out, str) else out.parent


def _write_warnings(portfolio: Any, folder: Path) -> Path:
    """``warnings.csv`` beside the quarantine: valid rows worth a look (same format)."""
    from recovery_analytics.portfolio import write_quarantine

    guard = _guard()
    path = write_quarantine(portfolio.warnings, folder / "warnings.csv", guard=guard)
    if len(portfolio.warnings):
        checks = portfolio.warnings["check"].value_counts()
        detail = ", ".join(f"{k} {v}" for k, v in checks.items())
        click.echo(f"{len(portfolio.warnings)} warning(s) on rows kept ({detail}): {path}",
                   err=True)  # fmt: skip
    _say_guard(guard, path)
    return path


def _guard():
    from recovery_analytics.portfolio import ExportGuard

    return ExportGuard()


def _say_guard(guard: Any, path: Path) -> None:
    if guard.message():
        click.echo(f"note: {path.name}: {guard.message()}", err=True)


_TABLE_SUFFIXES = (".parquet", ".csv", ".xlsx")


def _check_out(out: Path | str, suffixes: tuple[str, ...] = _TABLE_SUFFIXES) -> None:
    """Fail early (before any computing) on an output name that cannot be written."""
    from recovery_analytics.portfolio import InputError

    if isinstance(out, str):  # a SQL table (URL#table): checked when it is written
        return

    if out.suffix.lower() not in suffixes:
        names = ", ".join(suffixes[:-1]) + " or " + suffixes[-1]
        raise InputError(f"--out {out}: use a {names} file name")
    parent = out.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise InputError(f"--out {out}: {parent} is a file, not a folder")
    if out.is_dir():
        raise InputError(f"--out {out} is a folder; give a file name")


def _write_table(table: Any, out: Path | str, as_of: Any = None) -> None:
    """Write a result table as Parquet (.parquet), CSV (.csv), Excel (.xlsx) or a SQL table.

    CSV and Excel go through the export guard (text from the input never
    becomes a formula); every file is written to a temporary name, then renamed.
    A SQL table (``URL#table``) replaces the rows of the same ``as_of``.
    """
    from recovery_analytics.portfolio import atomic_path, write_csv, write_sql_table, write_xlsx

    if isinstance(out, str):
        written = write_sql_table(table, out, as_of=as_of)
        click.echo(f"table {written} written", err=True)
        return
    _check_out(out)
    suffix = out.suffix.lower()
    guard = _guard()
    if suffix == ".parquet":
        with atomic_path(out) as tmp:
            table.to_parquet(tmp, index=False)
    elif suffix == ".csv":
        write_csv(table, out, guard=guard, date_format="%Y-%m-%d")
    else:
        write_xlsx(table, out, guard=guard)
    _say_guard(guard, out)


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
