"""Score, assess and validate a portfolio beyond one machine: partitions by debtor on Dask.

The portfolio is cut by a hash of ``debtor_id``
(:func:`~recovery_analytics.portfolio.partition_portfolio`): a debtor, its
claims and their events are in one partition, so validation, the claim state,
the features and the judicial rules all stay inside it. Each partition is one
task on ``dask.distributed`` (a ``LocalCluster`` by default, any scheduler
address for a real cluster); a worker holds one partition at a time, so its
memory is bounded by the partition size. Every task writes its rows to
``OUT/part-NNNNN.parquet``; the client gathers the small things (quarantine,
warnings, counts) and writes them beside the output.

The result is the in-memory result cut in pieces: the same rows and values
(read the folder and sort by ``claim_id``), the same quarantine (sorted by
table and line). Reasons go to the ``reasons`` claims with the highest
expected euros of the whole portfolio, as in memory: each partition explains
its own best ones, then the client keeps the overall best and the others'
reasons are removed. See ``docs/scale.md``.
"""

from __future__ import annotations

import functools
import math
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from recovery_analytics.portfolio import (
    TABLES,
    InputError,
    partition_count,
    partition_portfolio,
    read_partition,
)

__all__ = ["DaskRun", "score_on_dask", "validate_on_dask"]

#: Source bytes per partition when a folder is cut for Dask (a worker holds one at a time).
PARTITION_BYTES = 64 << 20
_PARTITIONS_DIR = "_partitions"


@dataclass
class DaskRun:
    """What a Dask run wrote and how it went.

    Attributes
    ----------
    out : Path
        The output folder (``part-NNNNN.parquet`` files).
    quarantine, warnings : DataFrame
        Rows rejected / kept with a warning, over all partitions, sorted by table and line.
    counts : DataFrame
        ``table, rows_read, valid, quarantined`` summed over the partitions.
    rows : int
        Rows written (open claims scored, or valid rows for ``validate``).
    partitions : int
    seconds : dict
        Wall-clock seconds of the steps (``partition``, ``compute``, ``total``).
    worker_peak_rss_mb : dict
        Peak resident memory of each worker process (empty for thread workers).
    notes : list of str
    unseen_categories : list of dict
    """

    out: Path
    quarantine: pd.DataFrame
    warnings: pd.DataFrame
    counts: pd.DataFrame
    rows: int = 0
    partitions: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    worker_peak_rss_mb: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    unseen_categories: list[dict] = field(default_factory=list)


def _partitioned(source, out: Path, mapping, partitions: int | None, n_workers: int) -> tuple:
    """A partitioned folder: ``source`` itself, or ``source`` cut once into ``out/_partitions``."""
    path = Path(source)
    if (path / "partitions.json").is_file():
        return path, []
    if not path.is_dir():
        raise InputError(
            f"{source}: --engine dask reads a folder of CSV/Parquet files or of partitions"
        )
    if partitions is None:
        size = sum(f.stat().st_size for f in path.iterdir() if f.is_file())
        partitions = max(2 * n_workers, math.ceil(size / PARTITION_BYTES))
    where = out.parent / f"{out.name}{_PARTITIONS_DIR}"
    partition_portfolio(path, where, partitions, mapping)
    return where, [f"{source} cut into {partitions} partitions by debtor in {where}"]


@functools.lru_cache(maxsize=4)
def _model(model_dir: str):
    from recovery_analytics.amicable import load_model

    return load_model(model_dir)


@functools.lru_cache(maxsize=4)
def _schedule(costs: str | None):
    from recovery_analytics.judicial._schedule import load_schedule

    return load_schedule(costs)


def _score_part(root: str, index: int, out: str, options: dict) -> dict:
    """One task: validate a partition, score its open claims, write them."""
    from recovery_analytics.judicial._score_table import score_claims

    p = read_partition(root, index)
    model = _model(options["model_dir"]) if options["model_dir"] else None
    table = score_claims(
        p,
        options["as_of"],
        model,
        schedule=_schedule(options["costs"]),
        with_reasons=options["reasons"],
        lang=options["lang"],
        all_routes=options["all_routes"],
    )
    table.to_parquet(Path(out) / f"part-{index:05d}.parquet", index=False)
    return {
        "index": index,
        "rows": len(table),
        "quarantine": p.quarantine,
        "warnings": p.warnings,
        "counts": p.counts,
        "notes": p.notes,
        "ranked": table.attrs.get("reason_ranking", []),
        "unseen": table.attrs.get("unseen_categories", []),
    }


def _keep_reasons(out: str, index: int, keep: list[str]) -> None:
    """Remove the reasons of the claims of a partition that are not among the overall best."""
    from recovery_analytics.amicable import REASON_COLUMNS

    path = Path(out) / f"part-{index:05d}.parquet"
    table = pd.read_parquet(path)
    drop = ~table["claim_id"].isin(keep)
    for col in REASON_COLUMNS:
        table[col] = table[col].mask(drop)
    table.to_parquet(path, index=False)


def _validate_part(root: str, index: int, out: str, options: dict) -> dict:
    """One task: validate a partition, write its valid tables."""
    p = read_partition(root, index)
    folder = Path(out) / f"part-{index:05d}"
    folder.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        getattr(p, table).to_parquet(folder / f"{table}.parquet", index=False)
    return {
        "index": index,
        "rows": sum(len(getattr(p, t)) for t in TABLES),
        "quarantine": p.quarantine,
        "warnings": p.warnings,
        "counts": p.counts,
        "notes": p.notes,
        "ranked": [],
        "unseen": [],
    }


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cluster(scheduler: str | None, n_workers: int, memory_limit: str, processes: bool):
    from dask.distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler), None
    cluster = LocalCluster(
        n_workers=n_workers,
        threads_per_worker=1,
        processes=processes,
        memory_limit=memory_limit,
        dashboard_address=None,
    )
    return Client(cluster), cluster


def _run(task, source, out, *, mapping, partitions, scheduler, n_workers, memory_limit,
         processes, options) -> DaskRun:  # fmt: skip
    t0 = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("part-*"):  # a run replaces the previous one
        if old.is_dir():
            import shutil

            shutil.rmtree(old)
        else:
            old.unlink()
    root, notes = _partitioned(source, out, mapping, partitions, n_workers)
    seconds = {"partition": time.perf_counter() - t0}
    n = partition_count(root)
    client, cluster = _cluster(scheduler, n_workers, memory_limit, processes)
    try:
        t1 = time.perf_counter()
        futures = client.map(task, [str(root)] * n, range(n), [str(out)] * n, [options] * n,
                             pure=False)  # fmt: skip
        parts = sorted(client.gather(futures), key=lambda r: r["index"])
        reasons = options.get("reasons", 0)
        if reasons:
            ranked = pd.DataFrame(
                [(r["index"], *item) for r in parts for item in r["ranked"]],
                columns=["index", "claim_id", "expected_recovery_eur"],
            )
            best = ranked.sort_values(
                ["expected_recovery_eur", "claim_id"], ascending=[False, True], kind="stable"
            ).iloc[:reasons]
            trims = [
                client.submit(_keep_reasons, str(out), int(i),
                              best.loc[best["index"] == i, "claim_id"].tolist(), pure=False)
                for i in ranked["index"].unique()
                if (ranked["index"] == i).sum() > (best["index"] == i).sum()
            ]  # fmt: skip
            client.gather(trims)
        seconds["compute"] = time.perf_counter() - t1
        peaks = {}
        if processes or scheduler:
            peaks = {str(k): round(v, 1) for k, v in client.run(_peak_rss_mb).items()}
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    quarantine = _sorted(pd.concat([r["quarantine"] for r in parts], ignore_index=True))
    warnings = _sorted(pd.concat([r["warnings"] for r in parts], ignore_index=True))
    counts = pd.concat([r["counts"] for r in parts]).groupby("table", sort=False).sum()
    counts = counts.reindex(list(TABLES)).reset_index()
    for r in parts:
        notes.extend(x for x in r["notes"] if x not in notes)
    unseen = pd.DataFrame([u for r in parts for u in r["unseen"]])
    if len(unseen):
        unseen = unseen.groupby(["feature", "value"], sort=True, as_index=False)["rows"].sum()
    seconds["total"] = time.perf_counter() - t0
    return DaskRun(
        out=out,
        quarantine=quarantine,
        warnings=warnings,
        counts=counts,
        rows=sum(r["rows"] for r in parts),
        partitions=n,
        seconds=seconds,
        worker_peak_rss_mb=peaks,
        notes=notes,
        unseen_categories=unseen.to_dict(orient="records") if len(unseen) else [],
    )


_ORDER = {t: i for i, t in enumerate(TABLES)}


def _sorted(q: pd.DataFrame) -> pd.DataFrame:
    """Quarantine or warnings of all partitions in the in-memory order: table, then line."""
    if not len(q):
        return q.reset_index(drop=True)
    key = q["table"].map(_ORDER)
    order = pd.DataFrame({"t": key, "line": q["line"]}).sort_values(["t", "line"], kind="stable")
    return q.loc[order.index].reset_index(drop=True)


def score_on_dask(
    source: str | os.PathLike[str],
    model_dir: str | os.PathLike[str] | None,
    as_of: Any,
    out: str | os.PathLike[str],
    *,
    costs: str | os.PathLike[str] | None = None,
    reasons: int = 500,
    lang: str = "fr",
    all_routes: bool = False,
    mapping: str | os.PathLike[str] | None = None,
    partitions: int | None = None,
    scheduler: str | None = None,
    n_workers: int = 2,
    memory_limit: str = "4GB",
    processes: bool = True,
) -> DaskRun:
    """Score every open claim on Dask, partition by partition (the ``score`` command's table).

    Parameters
    ----------
    source : path-like
        A folder of partitions (:func:`~recovery_analytics.portfolio.partition_portfolio`),
        or a folder of CSV / Parquet files, cut once into ``<out>_partitions/``.
    model_dir : path-like or None
        A saved model (None: the judicial prior, as ``judicial`` without ``--model``).
    as_of : date-like
    out : path-like
        Output folder: one ``part-NNNNN.parquet`` per partition (sorted by ``claim_id``).
    costs, reasons, lang, all_routes
        As for :func:`score_claims` (``reasons``: for this many claims of the whole portfolio).
    mapping : path-like, optional
        Mapping of a foreign export (used when cutting a folder of files).
    partitions : int, optional
        Number of partitions when cutting a folder (default: one per 64 MB of files,
        at least two per worker).
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://host:8786``); default: a
        ``LocalCluster`` on this machine. The paths must be readable and writable
        by every worker (a shared file system).
    n_workers, memory_limit, processes
        The ``LocalCluster``: workers (one thread each), memory per worker, and
        whether workers are processes (``False``: threads of this process).

    Returns
    -------
    DaskRun
    """
    options = {
        "model_dir": None if model_dir is None else str(model_dir),
        "as_of": pd.Timestamp(as_of).normalize(),
        "costs": None if costs is None else str(costs),
        "reasons": int(reasons),
        "lang": lang,
        "all_routes": bool(all_routes),
    }
    if model_dir is not None:
        _model.cache_clear()
        _model(str(model_dir))  # InputError here, before any cluster starts
    _schedule(options["costs"])
    return _run(_score_part, source, out, mapping=mapping, partitions=partitions,
                scheduler=scheduler, n_workers=n_workers, memory_limit=memory_limit,
                processes=processes, options=options)  # fmt: skip


def validate_on_dask(
    source: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    mapping: str | os.PathLike[str] | None = None,
    partitions: int | None = None,
    scheduler: str | None = None,
    n_workers: int = 2,
    memory_limit: str = "4GB",
    processes: bool = True,
) -> DaskRun:
    """Validate a portfolio on Dask: valid tables in ``out/part-NNNNN/``, quarantine returned.

    Same parameters as :func:`score_on_dask`. The valid rows of all partitions
    are the valid rows of :func:`~recovery_analytics.portfolio.read_portfolio`,
    and the quarantine is the same (sorted by table and line).
    """
    return _run(_validate_part, source, out, mapping=mapping, partitions=partitions,
                scheduler=scheduler, n_workers=n_workers, memory_limit=memory_limit,
                processes=processes, options={})  # fmt: skip
