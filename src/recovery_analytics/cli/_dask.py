"""``--engine dask`` of ``score``, ``judicial`` and ``validate``: partitions by debtor on Dask.

The options, and the runs that call :func:`recovery_analytics.judicial.score_on_dask`
/ :func:`~recovery_analytics.judicial.validate_on_dask` and print what they did.
See ``docs/scale.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from recovery_analytics.cli._options import _guard, _say_guard

__all__: list[str] = []


def _engine_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--engine``, ``--scheduler``, ``--workers``, ``--partitions``."""
    options = [
        click.option(
            "--engine",
            type=click.Choice(["memory", "dask"]),
            default="memory",
            show_default=True,
            help="memory: one process. dask: partitions by debtor on dask.distributed, for "
            "portfolios beyond one machine's memory (--out is then a folder of Parquet parts; "
            "see docs/scale.md).",
        ),
        click.option(
            "--scheduler",
            default=None,
            metavar="ADDRESS",
            help="With --engine dask: a running Dask scheduler (tcp://host:8786); default: a "
            "local cluster on this machine.",
        ),
        click.option(
            "--workers",
            type=click.IntRange(1),
            default=2,
            show_default=True,
            help="With --engine dask and no --scheduler: local worker processes (1 thread each).",
        ),
        click.option(
            "--partitions",
            type=click.IntRange(1),
            default=None,
            help="With --engine dask on a folder of files: partitions to cut it into (default: "
            "one per 64 MB, at least two per worker).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _check_dask(engine: str, scheduler: str | None, partitions: int | None) -> None:
    from recovery_analytics.portfolio import InputError

    if engine == "memory" and (scheduler or partitions):
        raise InputError("--scheduler and --partitions go with --engine dask")
    if engine == "dask":
        try:
            import dask.distributed  # noqa: F401
        except ImportError:
            raise InputError(
                "--engine dask needs Dask: pip install 'recovery_analytics[dask]'"
            ) from None


def _out_folder(out: Path | str) -> Path:
    from recovery_analytics.portfolio import InputError

    if isinstance(out, str) or out.suffix.lower() in (".csv", ".xlsx"):
        raise InputError(
            f"--out {out}: with --engine dask the output is a folder of Parquet parts "
            "(e.g. --out scores/ or scores.parquet)"
        )
    return out


def _report(run: Any, out: Path, what: str) -> None:
    from recovery_analytics.portfolio import write_quarantine

    for note in run.notes:
        click.echo(f"note: {note}", err=True)
    guard = _guard()
    path = write_quarantine(run.quarantine, out.parent / "quarantine.csv", guard=guard)
    if len(run.quarantine):
        click.echo(f"{len(run.quarantine)} input row(s) quarantined, with their reasons: {path}",
                   err=True)  # fmt: skip
    _say_guard(guard, path)
    write_quarantine(run.warnings, out.parent / "warnings.csv", guard=guard)
    for item in run.unseen_categories:
        click.echo(
            f"note: {item['rows']} claim(s) have {item['feature']} = {item['value']!r}, "
            "not seen in training (scored as unknown)",
            err=True,
        )
    click.echo(
        f"{run.rows:,d} {what} -> {out}/ ({run.partitions} partitions, "
        f"{run.seconds['total']:.1f} s)"
    )


def _score_dask(source, mapping, model_dir, as_of, costs, reasons, lang, all_routes, out,
                scheduler, workers, partitions, what) -> Any:  # fmt: skip
    from recovery_analytics.judicial import score_on_dask

    folder = _out_folder(out)
    run = score_on_dask(source, model_dir, as_of, folder, costs=costs, reasons=reasons, lang=lang,
                        all_routes=all_routes, mapping=mapping, partitions=partitions,
                        scheduler=scheduler, n_workers=workers)  # fmt: skip
    _report(run, folder, what)
    return run


def _validate_dask(source, mapping, out_dir, scheduler, workers, partitions) -> Any:
    from recovery_analytics.judicial import validate_on_dask
    from recovery_analytics.portfolio import InputError

    if out_dir is None:
        raise InputError("--engine dask writes the valid tables: give --out-dir")
    folder = out_dir / "valid"
    run = validate_on_dask(source, folder, mapping=mapping, partitions=partitions,
                           scheduler=scheduler, n_workers=workers)  # fmt: skip
    lines = [f"{'table':<8} {'rows read':>9} {'valid':>6} {'quarantined':>12}"]
    for row in run.counts.itertuples(index=False):
        lines.append(f"{row.table:<8} {row.rows_read:>9} {row.valid:>6} {row.quarantined:>12}")
    click.echo("\n".join(lines))
    _report(run, folder, "valid rows")
    return run
