"""The weekly job: validate the portfolio, run the report notebooks, keep a summary.

:func:`run_weekly` reads and validates a portfolio, writes its quarantine, then
runs ``10_weekly_call_queue`` (when that notebook exists) and
``11_judicial_review`` with papermill in this process
(:func:`recovery_analytics.reports.run_notebook`), and writes into
``OUT_DIR/<as_of ISO>/``::

    quarantine.csv                  rows rejected by validation
    10_weekly_call_queue.ipynb/.html
    call_queue/                     the queue exports written by notebook 10
    11_judicial_review.ipynb/.html
    judicial/                       tables, figures, scores.parquet, summary.json of notebook 11
    summary.json                    headline figures of the week (and the trend)
    warnings.csv                    valid rows worth a look (overpayments, mojibake...)

The week appears whole or not at all: it is built in ``<as_of>.incomplete/``
under the lock of ``OUT_DIR`` (:mod:`recovery_analytics.reports._staging`).

The numbers and figures of notebook 11 are in :mod:`recovery_analytics.judicial`.
See ``docs/weekly.md``.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from recovery_analytics.portfolio import InputError
from recovery_analytics.reports._staging import staged_week, weekly_lock
from recovery_analytics.reports._week_summary import _SUBFOLDERS, _previous_summary, _summary

__all__ = [
    "WEEKLY_NOTEBOOKS",
    "WeeklyResult",
    "notebook_path",
    "run_weekly",
]

#: Notebooks run by :func:`run_weekly`, in order (a missing 10 is skipped).
WEEKLY_NOTEBOOKS: tuple[str, ...] = ("10_weekly_call_queue", "11_judicial_review")
_OPTIONAL_NOTEBOOKS = frozenset({"10_weekly_call_queue"})
#: Subfolder of the staging folder holding the validated portfolio while the notebooks run.
VALIDATED_DIR = "_validated"

# --------------------------------------------------------------------------- locating


def notebook_path(name: str) -> Path:
    """The packaged notebook ``name`` (``"11_judicial_review"`` or with ``.ipynb``).

    Looks first in the installed package (``recovery_analytics/notebooks/``,
    package data), then in the ``notebooks/`` folder of a source checkout
    (next to ``src/``).

    Raises
    ------
    FileNotFoundError
        Neither place holds it.

    Examples
    --------
    >>> notebook_path("11_judicial_review").name
    '11_judicial_review.ipynb'
    """
    file = name if name.endswith(".ipynb") else f"{name}.ipynb"
    package = Path(__file__).resolve().parents[1]  # recovery_analytics/
    candidates = [package / "notebooks" / file, package.parents[1] / "notebooks" / file]
    for path in candidates:
        if path.is_file():
            return path
    raise FileNotFoundError(
        f"notebook {file} not found (looked in {', '.join(str(c.parent) for c in candidates)})"
    )


# --------------------------------------------------------------------------- the job


@dataclass
class WeeklyResult:
    """What :func:`run_weekly` wrote.

    Attributes
    ----------
    folder : Path
        ``OUT_DIR/<as_of>``.
    summary : dict
        The content of ``summary.json``.
    notebooks, html : dict
        Notebook name -> executed notebook / HTML report.
    quarantine : Path
    quarantined_rows : int
    trend : DataFrame
        :func:`~recovery_analytics.judicial.weekly_trend` against the previous week (empty if none).
    previous : Path or None
        The previous week's ``summary.json``.
    seconds : dict
        Wall-clock seconds per step.
    notes : list of str
        What a person should know: the folder's own ``mapping.toml`` applied,
        an unreadable earlier summary skipped, cells escaped by the export
        guard, warnings on rows kept, a partial week left by a killed run.
    """

    folder: Path
    summary: dict
    notebooks: dict[str, Path] = field(default_factory=dict)
    html: dict[str, Path] = field(default_factory=dict)
    quarantine: Path | None = None
    quarantined_rows: int = 0
    trend: pd.DataFrame | None = None
    previous: Path | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _as_of(value: Any) -> pd.Timestamp:
    if isinstance(value, str):
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return pd.Timestamp(pd.to_datetime(value, format=fmt))
            except (ValueError, TypeError):
                continue
        raise InputError(f"as_of {value!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)")
    try:
        return pd.Timestamp(value).normalize()
    except (ValueError, TypeError) as exc:
        raise InputError(f"as_of {value!r} is not a date") from exc


def _positive_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise InputError(f"{name} must be a whole number of at least 1, got {value!r}")
    return int(value)


def _plan(
    source: str | os.PathLike[str],
    model_dir: Path,
    day: pd.Timestamp,
    out_root: Path,
    folder: Path,
    mapping: Any,
    collectors: int,
    calls: int,
    costs: Any,
    previous: Path | None,
) -> list[tuple[str, Path, dict[str, Any]]]:
    """The notebooks to run and their parameters, checked against each parameters cell.

    Names and value types are checked with
    :func:`~recovery_analytics.reports.check_parameters` before anything runs.
    """
    from recovery_analytics.reports._parameters import check_parameters, notebook_parameters

    common = {
        "portfolio": str(source) if "://" in str(source) else Path(source),
        "mapping": None if mapping is None else Path(mapping),
        "model_dir": model_dir,
        "as_of": day.date().isoformat(),
        "costs": None if costs is None else Path(costs),
        "validated": folder / VALIDATED_DIR,  # the portfolio validated once by the job
    }
    given = {
        "10_weekly_call_queue": {
            **common,
            "out_dir": folder / _SUBFOLDERS["10_weekly_call_queue"],
            "collectors": collectors,
            "calls_per_collector": calls,
        },
        "11_judicial_review": {
            **common,
            "out_dir": folder / _SUBFOLDERS["11_judicial_review"],
            "history_dir": out_root,
            "previous_summary": previous,
        },
    }
    plan = []
    for name in WEEKLY_NOTEBOOKS:
        try:
            path = notebook_path(name)
        except FileNotFoundError:
            if name in _OPTIONAL_NOTEBOOKS:
                continue
            raise
        declared = notebook_parameters(path)
        # Notebook 10 is written separately: pass what it declares, but never drop a
        # value the job must control (where it writes, which date).
        params = {
            k: v
            for k, v in given.get(name, common).items()
            if k in declared or k in ("as_of", "out_dir")
        }
        try:
            plan.append((name, path, check_parameters(path, params)))
        except InputError as exc:
            raise InputError(f"the weekly job cannot run {exc}") from exc
    return plan


def run_weekly(
    portfolio: str | os.PathLike[str],
    model_dir: str | os.PathLike[str],
    as_of: Any,
    out_dir: str | os.PathLike[str],
    *,
    mapping: str | os.PathLike[str] | None = None,
    collectors: int = 3,
    calls_per_collector: int = 40,
    costs: str | os.PathLike[str] | None = None,
    progress: bool = True,
) -> WeeklyResult:
    """Run the weekly reports into ``OUT_DIR/<as_of>/`` (see the module docstring).

    The week is built in ``OUT_DIR/<as_of>.incomplete/`` under the lock of
    ``OUT_DIR`` and swapped in only when everything succeeded (see
    ``docs/weekly.md``, "Guarantees").

    Parameters
    ----------
    portfolio : str or path-like
        Portfolio source (folder, .xlsx, SQLAlchemy URL).
    model_dir : path-like
        A saved model (:func:`recovery_analytics.amicable.save_model`; see
        :func:`ensure_model`).
    as_of : date-like
        ISO or ``dd/mm/yyyy`` string, or a timestamp.
    out_dir : path-like
        Root of the weekly outputs; this week goes to ``out_dir/<as_of ISO>``,
        and the previous week's ``summary.json`` is looked for in its siblings.
    mapping : path-like, optional
        TOML mapping file of a foreign export.
    collectors, calls_per_collector : int
        Call-queue capacity (notebook 10).
    costs : path-like, optional
        TOML cost schedule merged over the shipped one.
    progress : bool, default True
        A progress bar on stderr.

    Returns
    -------
    WeeklyResult

    Raises
    ------
    InputError
        Bad arguments, an unreadable model or cost file, parameters that do
        not match a notebook, a structural problem of the portfolio, an
        ``as_of`` before its first invoice: raised before any notebook runs.
    WeeklyLockedError
        (an InputError) another run is writing into ``out_dir``.
    NotebookError
        A notebook failed: the message names the notebook and the cell, and
        says where the partial week is kept (``<as_of>.failed-<time>/``); the
        previous ``<as_of>/`` is left as it was. Any other failure, and
        ``KeyboardInterrupt``, leave the folders the same way.
    """
    from tqdm.auto import tqdm

    from recovery_analytics.amicable import load_model
    from recovery_analytics.judicial import load_schedule
    from recovery_analytics.portfolio import read_portfolio

    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    day = _as_of(as_of)
    collectors = _positive_int("collectors", collectors)
    calls_per_collector = _positive_int("calls_per_collector", calls_per_collector)
    model_dir = Path(model_dir).resolve()
    load_model(model_dir)  # InputError if missing or corrupt
    if costs is not None:
        load_schedule(costs)  # InputError naming the key
    if mapping is not None and not Path(mapping).is_file():
        raise InputError(f"mapping file {mapping} not found")
    out_root = Path(out_dir).resolve()
    if out_root.exists() and not out_root.is_dir():
        raise InputError(f"--out-dir {out_root} is a file, not a folder")
    final = out_root / day.date().isoformat()
    previous, notes = _previous_summary(out_root, day)
    staging = final.with_name(f"{final.name}.incomplete")
    plan = _plan(
        portfolio,
        model_dir,
        day,
        out_root,
        staging,
        mapping,
        collectors,
        calls_per_collector,
        costs,
        previous,
    )
    with weekly_lock(out_root):
        steps = ["validation", *[name for name, _, _ in plan], "summary"]
        bar = tqdm(total=len(steps), disable=not progress, desc="weekly", unit="step")
        try:
            bar.set_postfix_str("validation")
            p = read_portfolio(portfolio, mapping, as_of=day)
            notes.extend(p.notes)
            _check_has_claims(p, day)
            seconds["validation"] = time.perf_counter() - t0
            bar.update()
            stage = None
            try:
                with staged_week(final) as stage:
                    notes.extend(stage.notes)
                    summary, notebooks, html = _execute(
                        stage.path, p, plan, portfolio, model_dir, day, previous, bar, seconds
                    )
                    notes.extend(summary.pop("_notes"))
            except BaseException as exc:
                if stage is None or stage.failed is None:
                    raise
                raise _failed(exc, day, stage.path, stage.failed, final) from exc
        finally:
            bar.close()
    seconds["total"] = time.perf_counter() - t0
    return WeeklyResult(
        folder=final,
        summary=summary,
        notebooks={k: final / v.name for k, v in notebooks.items()},
        html={k: final / v.name for k, v in html.items()},
        quarantine=final / "quarantine.csv",
        quarantined_rows=len(p.quarantine),
        trend=pd.DataFrame(summary["trend"], columns=["figure", "previous", "current", "change"]),
        previous=previous,
        seconds=seconds,
        notes=notes,
    )


def _check_has_claims(p, day: pd.Timestamp) -> None:
    """A week before the first invoice has nothing to report: say so (InputError)."""
    first = p.claims["invoice_date"].min()
    if pd.isna(first) or first > day:
        raise InputError(
            f"as_of {day:%d/%m/%Y} is before the first invoice of the portfolio"
            + ("" if pd.isna(first) else f" ({first:%d/%m/%Y})")
            + ": there is no claim to report on"
        )


def _execute(folder, p, plan, source, model_dir, day, previous, bar, seconds):
    """Write the week into ``folder`` (the staging folder): files, notebooks, summary."""
    from recovery_analytics.portfolio import (
        ExportGuard,
        write_quarantine,
        write_text_atomic,
        write_validated,
    )
    from recovery_analytics.reports._notebooks import NotebookError, run_notebook

    guard = ExportGuard()
    write_quarantine(p.quarantine, folder / "quarantine.csv", guard=guard)
    write_quarantine(p.warnings, folder / "warnings.csv", guard=guard)
    if any("validated" in params for _, _, params in plan):
        t = time.perf_counter()
        write_validated(p, folder / VALIDATED_DIR)  # read by the notebooks, not validated again
        seconds["validated_copy"] = time.perf_counter() - t
    notebooks, html = {}, {}
    for name, path, params in plan:
        bar.set_postfix_str(name)
        t = time.perf_counter()
        title = f"{name.split('_', 1)[1].replace('_', ' ').capitalize()} — {day:%d/%m/%Y}"
        try:
            notebooks[name] = run_notebook(
                path, folder / f"{name}.ipynb", params, html_path=folder / f"{name}.html",
                title=title,
            )  # fmt: skip
        except NotebookError as exc:
            raise NotebookError(
                f"weekly run of {day.date()} stopped: {exc}",
                notebook=exc.notebook,
                output_path=exc.output_path,
                cell=exc.cell,
            ) from exc
        html[name] = folder / f"{name}.html"
        seconds[name] = time.perf_counter() - t
        bar.update()
    shutil.rmtree(folder / VALIDATED_DIR, ignore_errors=True)  # a copy of the input: not kept
    bar.set_postfix_str("summary")
    summary = _summary(p, source, model_dir, day, folder, previous, notebooks, html)
    text = json.dumps(summary, indent=2, ensure_ascii=False, allow_nan=False)
    write_text_atomic(folder / "summary.json", text)
    bar.update()
    notes = []
    if guard.message():
        notes.append(f"quarantine.csv / warnings.csv: {guard.message()}")
    if len(p.warnings):
        week = folder.name.removesuffix(".incomplete")
        notes.append(f"{len(p.warnings)} warning(s) on rows kept: {week}/warnings.csv")
    return {**summary, "_notes": notes}, notebooks, html


def _failed(exc: BaseException, day, staging: Path, failed: Path, final: Path) -> BaseException:
    """The same failure, saying where the partial week is and that ``final`` is intact."""
    from recovery_analytics.reports._notebooks import NotebookError

    where = f"the partial week is kept in {failed}; {final.name}/ was left as it was"
    if isinstance(exc, NotebookError):
        return NotebookError(
            f"{str(exc).replace(str(staging), str(failed))}; {where}",
            notebook=exc.notebook,
            output_path=None if exc.output_path is None else failed / Path(exc.output_path).name,
            cell=exc.cell,
        )
    if isinstance(exc, KeyboardInterrupt):
        return KeyboardInterrupt(f"weekly run of {day.date()} interrupted: {where}")
    exc.add_note(where)
    return exc
