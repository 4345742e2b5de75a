"""A portfolio cut into partitions by debtor, for work beyond one machine's memory.

:func:`partition_portfolio` reads a folder source once (CSV or Parquet, with
its mapping) and writes its rows, as read and not yet validated, into
``part-NNNNN/`` folders chosen by a hash of the debtor: a debtor, all its
claims and all the events of those claims land in one partition, so every
check and every feature stays inside it. :func:`read_partition` validates one
partition with the very code of :func:`~recovery_analytics.portfolio.read_portfolio`
(row checks by chunk, then duplicates, references and the cascade); the
partitions together give the same valid rows, quarantine (same lines and
reasons) and warnings as reading the whole source in memory.

Rows that must meet although their debtors differ follow the first one: a
``claim_id`` written twice goes where its first row goes (so the second is a
duplicate there), and the events of a claim go where the claim goes; events
of an unknown claim, and claims of an unknown debtor, go where their own ids
hash to, and are quarantined there as in memory.

Layout::

    partitions.json                  number, sources, notes, reading options
    mapping.toml                     the mapping used (when there is one)
    part-00000/claims/chunk-000000.parquet ...   rows with their source ``_line``
    part-00000/claims/skipped.parquet            lines the CSV reader could not split
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from recovery_analytics.portfolio import _parse
from recovery_analytics.portfolio._csv_arrow import _Fallback
from recovery_analytics.portfolio._io import (
    MAPPING_FILE,
    _apply_mapping,
    _check_features,
    _empty,
    _renames,
    _skipped_rows,
)
from recovery_analytics.portfolio._mapping import Mapping, load_mapping
from recovery_analytics.portfolio._rows import _coerce
from recovery_analytics.portfolio._schema import TABLES, InputError, Portfolio, check_columns
from recovery_analytics.portfolio._sources import _folder_tables
from recovery_analytics.portfolio._validate import _finalize

__all__ = ["debtor_partition", "partition_count", "partition_portfolio", "read_partition"]

PARTITIONS_FILE = "partitions.json"
_FORMAT = 1


def debtor_partition(ids: pd.Series, n_partitions: int) -> np.ndarray:
    """The partition (0 .. n-1) of each id: a stable hash of its text, the same on every machine.

    >>> debtor_partition(pd.Series(["D000001", "D000002", "D000001", None]), 4).tolist()
    [1, 3, 1, 2]
    """
    text = _parse.clean_text(pd.Series(ids)).fillna("").to_numpy(dtype=object)
    return (pd.util.hash_array(text, categorize=True) % np.uint64(n_partitions)).astype(np.int64)


def _part_dir(root: Path, index: int) -> Path:
    return root / f"part-{index:05d}"


def _raw_chunks(table: str, src, mapping: Mapping, renames: dict[str, str]):
    """Renamed, recoded rows of one source table with their real ``_line`` (as ``_read_table``)."""
    for chunk in src.chunks:
        chunk = _apply_mapping(chunk.rename(columns=renames), table, mapping)
        if src.relines is not None:  # skips before a chunk's rows are known when it comes
            chunk["_line"] = src.relines(chunk["_line"].to_numpy(dtype=np.int64))
        yield chunk


def _claim_partitions(tables, mapping: Mapping, n: int) -> pd.Series:
    """claim_id -> partition of its first row's debtor (first pass over the claims)."""
    src = tables["claims"]
    renames = _renames("claims", src.columns, mapping, src.label)
    keep = [c for c, t in renames.items() if t in ("claim_id", "debtor_id")]
    parts = []
    try:
        for chunk in src.chunks:
            chunk = chunk[keep].rename(columns=renames)
            parts.append(
                pd.DataFrame(
                    {
                        "claim_id": _parse.clean_text(chunk["claim_id"]),
                        "part": debtor_partition(chunk["debtor_id"], n),
                    }
                )
            )
    except _Fallback:
        return _claim_partitions({"claims": _refresh(src)}, mapping, n)
    ids = pd.concat(parts, ignore_index=True).dropna(subset=["claim_id"])
    first = ids.drop_duplicates("claim_id", keep="first")
    return pd.Series(first["part"].to_numpy(), index=pd.Index(first["claim_id"]))


def _refresh(src):
    src.chunks = src.fallback()
    src.fallback = None
    return src


def _route(table: str, chunk: pd.DataFrame, claim_part: pd.Series | None, n: int) -> np.ndarray:
    if table == "debtors":
        return debtor_partition(chunk["debtor_id"], n)
    own = debtor_partition(chunk["claim_id"], n)  # unknown claims: where their id hashes to
    if table == "claims":
        own = debtor_partition(chunk["debtor_id"], n) if "debtor_id" in chunk else own
    ids = _parse.clean_text(chunk["claim_id"])
    known = claim_part.reindex(ids.fillna("")).to_numpy(dtype="float64")
    return np.where(np.isnan(known), own, known).astype(np.int64)


def _write_parts(frame: pd.DataFrame, where: np.ndarray, root: Path, table: str, name: str):
    order = np.argsort(where, kind="stable")
    cuts = np.flatnonzero(np.diff(where[order])) + 1
    for rows in np.split(order, cuts):
        if len(rows):
            folder = _part_dir(root, int(where[rows[0]])) / table
            folder.mkdir(parents=True, exist_ok=True)
            frame.iloc[rows].to_parquet(folder / name, index=False)


def partition_portfolio(
    source: str | Path,
    out_dir: str | Path,
    n_partitions: int,
    mapping: Mapping | str | Path | None = None,
    *,
    chunksize: int = 250_000,
) -> Path:
    """Cut a folder source (CSV or Parquet files) into ``n_partitions`` partitions by debtor.

    Parameters
    ----------
    source : str or Path
        A folder with ``debtors``, ``claims`` and (optionally) ``events`` files, as
        for :func:`read_portfolio` (its own ``mapping.toml`` is used when no mapping is given).
    out_dir : str or Path
        Emptied, then filled with ``part-NNNNN/`` folders and ``partitions.json``.
    n_partitions : int
        Aim for partitions of about 1-2 million rows each: a worker holds one at a time.
    mapping : Mapping or path, optional
    chunksize : int
        Rows per chunk read from the source (memory of this step).

    Returns
    -------
    Path
        ``out_dir``, to pass to :func:`read_partition` (or ``--engine dask``).

    Examples
    --------
    >>> import tempfile
    >>> from recovery_analytics.demo import generate_demo
    >>> from recovery_analytics.portfolio import read_portfolio, write_portfolio
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = write_portfolio(generate_demo(30, seed=2), f"{d}/src")
    ...     root = partition_portfolio(f"{d}/src", f"{d}/parts", 3)
    ...     parts = [read_partition(root, i) for i in range(partition_count(root))]
    ...     whole = read_portfolio(f"{d}/src")
    >>> sum(len(p.claims) for p in parts) == len(whole.claims)
    True
    """
    path = Path(source)
    if not path.is_dir():
        raise InputError(f"{path}: partitioning needs a folder of CSV or Parquet files")
    if isinstance(n_partitions, bool) or int(n_partitions) < 1:
        raise InputError(f"the number of partitions must be at least 1, not {n_partitions!r}")
    n = int(n_partitions)
    notes: list[str] = []
    if mapping is None and (path / MAPPING_FILE).is_file():
        mapping = path / MAPPING_FILE
        notes.append(f"mapping read from {mapping}")
    mapping_file = None if mapping is None or isinstance(mapping, Mapping) else Path(mapping)
    mapping = (
        mapping
        if isinstance(mapping, Mapping)
        else (load_mapping(mapping) if mapping else Mapping())
    )
    root = Path(out_dir)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    tables = _folder_tables(path, mapping, chunksize)
    for table in ("debtors", "claims"):
        if tables[table] is None:
            raise InputError(f"{path}: no {table} table in this folder")
    claim_part = _claim_partitions(_folder_tables(path, mapping, chunksize), mapping, n)
    sources, columns = {}, {}
    for table in TABLES:
        src = tables[table]
        if src is None:
            notes.append("no events table: the portfolio has no events")
            continue
        sources[table] = src.label
        renames = _renames(table, src.columns, mapping, src.label)
        check_columns(table, list(renames.values()), src.label, "")
        columns[table] = list(renames.values())
        rows = _spill(table, src, mapping, renames, claim_part, n, root)
        if not rows and table != "events":
            raise InputError(f"{src.label} has a header but no rows: no {table} to read")
        if not rows:
            notes.append(f"{src.label} has no rows: the portfolio has no events")
    _check_features(mapping, {t: pd.DataFrame(columns=columns.get(t, [])) for t in TABLES})
    if mapping_file is not None:
        shutil.copyfile(mapping_file, root / MAPPING_FILE)
    meta = {"format": _FORMAT, "partitions": n, "source": str(source), "sources": sources,
            "notes": notes, "mapping": mapping_file is not None}  # fmt: skip
    (root / PARTITIONS_FILE).write_text(json.dumps(meta, indent=2, ensure_ascii=False), "utf-8")
    return root


def _spill(table, src, mapping, renames, claim_part, n, root) -> int:
    """Write the rows of one table into their partitions; returns the number of rows."""
    rows = 0
    try:
        for i, chunk in enumerate(_raw_chunks(table, src, mapping, renames)):
            _write_parts(
                chunk, _route(table, chunk, claim_part, n), root, table, f"chunk-{i:06d}.parquet"
            )
            rows += len(chunk)
    except _Fallback:  # the fast CSV reader gave up: start this table again, carefully
        for index in range(n):
            shutil.rmtree(_part_dir(root, index) / table, ignore_errors=True)
        return _spill(table, _refresh(src), mapping, renames, claim_part, n, root)
    skipped = _skipped_rows(table, src, renames)
    if skipped is not None:
        key = skipped.get("claim_id" if table != "debtors" else "debtor_id")
        ids = pd.Series(np.nan, index=skipped.index, dtype="str") if key is None else key
        frame = skipped.assign(**{"claim_id" if table != "debtors" else "debtor_id": ids})
        _write_parts(skipped, _route(table, frame, claim_part, n), root, table, "skipped.parquet")
        rows += len(skipped)
    return rows


def partition_count(folder: str | Path) -> int:
    """How many partitions :func:`partition_portfolio` wrote into ``folder``."""
    return int(_meta(Path(folder))["partitions"])


def _meta(root: Path) -> dict:
    try:
        meta = json.loads((root / PARTITIONS_FILE).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(
            f"{root} is not a partitioned portfolio ({PARTITIONS_FILE}: {exc})"
        ) from None
    if meta.get("format") != _FORMAT:
        raise InputError(f"{root}: partitioned portfolio of an unknown format")
    return meta


def read_partition(folder: str | Path, index: int) -> Portfolio:
    """Validate partition ``index`` of a partitioned portfolio (see :func:`partition_portfolio`).

    Returns a :class:`Portfolio` whose quarantine and warnings name the
    source files and lines; its ``counts`` are the partition's.
    """
    root = Path(folder)
    meta = _meta(root)
    mapping = load_mapping(root / MAPPING_FILE) if meta.get("mapping") else Mapping()
    numeric = tuple(mapping.features.get("numeric", ()))
    frames = {}
    for table in TABLES:
        where = _part_dir(root, index) / table
        parts = [
            _coerce(
                table,
                pd.read_parquet(f),
                decimal=mapping.decimal,
                dayfirst=mapping.dayfirst,
                currency_rates=mapping.currency_rates,
                numeric_features=numeric,
                max_amount_eur=mapping.max_amount_eur,
            )
            for f in sorted(where.glob("chunk-*.parquet"))
        ]
        df = pd.concat(parts, ignore_index=True) if parts else _empty(table)
        if (where / "skipped.parquet").is_file():
            bad = pd.read_parquet(where / "skipped.parquet")
            df = pd.concat([df, bad], ignore_index=True).sort_values("_line", kind="stable")
        elif len(parts) > 1:
            df = df.sort_values("_line", kind="stable", ignore_index=True)
        frames[table] = df
    return _finalize(
        frames,
        meta["sources"],
        source=meta["source"],
        currency_rates=mapping.currency_rates,
        extra_features={k: list(v) for k, v in mapping.features.items()},
        notes=list(meta["notes"]),
    )
