"""Read a portfolio from files or a database, and write it back.

:func:`read_portfolio` reads the three tables of the contract (``debtors``,
``claims``, ``events``) from a folder of CSV / Parquet files, an ``.xlsx``
workbook or a SQLAlchemy URL (a FEC goes to ``_fec.read_fec``), renames and
recodes foreign columns with a TOML :class:`Mapping`, and validates them
(:mod:`recovery_analytics.portfolio`): every input row ends in the returned
:class:`~recovery_analytics.portfolio.Portfolio` or in its quarantine.
CSV is read in chunks so that large files stream. The input
format is described in ``docs/input-format.md``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from recovery_analytics.portfolio import _parse
from recovery_analytics.portfolio._csv_arrow import _Fallback
from recovery_analytics.portfolio._fec import read_fec
from recovery_analytics.portfolio._fec_read import looks_like_fec
from recovery_analytics.portfolio._mapping import Mapping, load_mapping
from recovery_analytics.portfolio._rows import _ID, _coerce
from recovery_analytics.portfolio._schema import (
    COLUMNS,
    TABLES,
    InputError,
    Portfolio,
    check_columns,
    empty_table,
)
from recovery_analytics.portfolio._sources import (
    CHUNK_ROWS,
    _folder_tables,
    _sql_tables,
    _Table,
    _xlsx_tables,
)
from recovery_analytics.portfolio._validate import _finalize

__all__ = [
    "read_portfolio",
]

#: A folder source may carry its mapping under this name (used when none is given).
MAPPING_FILE = "mapping.toml"

_MAPPING_HINT = (
    " Rename the columns in the source or map them with --mapping (see docs/input-format.md)."
)


# ----------------------------------------------------------------------------- reading
def _renames(table: str, columns: list[str], mapping: Mapping, label: str) -> dict[str, str]:
    """Source column -> canonical (or feature) name; extra columns keep their name."""
    explicit = mapping.columns.get(table, {})
    canon = {c: c for c in COLUMNS[table]}
    features = {_parse.norm_name(f): f for names in mapping.features.values() for f in names}
    out: dict[str, str] = {}
    for col in columns:
        key = _parse.norm_name(col)
        out[col] = explicit.get(key) or canon.get(key) or features.get(key) or str(col).strip()
    targets = pd.Series(list(out.values()))
    if targets.duplicated().any():
        dup = targets[targets.duplicated()].iloc[0]
        sources = [c for c, t in out.items() if t == dup]
        raise InputError(f"{label}: columns {sources} all map to {dup!r}; keep only one")
    return out


def _apply_mapping(df: pd.DataFrame, table: str, mapping: Mapping) -> pd.DataFrame:
    for col, recode in mapping.values.get(table, {}).items():
        if col in df:
            df[col] = _parse.recode(df[col], recode)
    for col, value in mapping.constants.get(table, {}).items():
        text = str(value)
        df[col] = text if col not in df else df[col].mask(_parse.clean_text(df[col]).isna(), text)
    return df


def _empty(table: str) -> pd.DataFrame:
    return _coerce(table, empty_table(table).assign(_line=pd.Series(dtype="int64")))


def _read_table(table: str, src: _Table, mapping: Mapping) -> pd.DataFrame:
    """Read, rename, recode and type one table (the careful reader if the fast one gives up)."""
    renames = _renames(table, src.columns, mapping, src.label)
    hint = _MAPPING_HINT
    if len(src.columns) == 1:
        hint = (
            f" Only one column was found: the separator may not be ';', ',' or tab "
            f"(set sep under [read] in the mapping).{_MAPPING_HINT}"
        )
    check_columns(table, list(renames.values()), src.label, hint)
    numeric = tuple(mapping.features.get("numeric", ()))

    def typed(chunks) -> list[pd.DataFrame]:
        return [
            _coerce(
                table,
                _apply_mapping(chunk.rename(columns=renames), table, mapping),
                decimal=mapping.decimal,
                dayfirst=mapping.dayfirst,
                currency_rates=mapping.currency_rates,
                numeric_features=numeric,
                max_amount_eur=mapping.max_amount_eur,
            )
            for chunk in chunks
        ]

    try:
        parts = typed(src.chunks)
    except _Fallback:  # the fast CSV reader met a row it leaves to the careful one
        parts = typed(src.fallback())
    df = pd.concat(parts, ignore_index=True) if parts else _empty(table)
    if src.relines is not None:
        df["_line"] = src.relines(df["_line"].to_numpy(dtype=np.int64))
    bad = _skipped_rows(table, src, renames)
    if bad is not None:
        df = pd.concat([df, bad], ignore_index=True).sort_values("_line", kind="stable")
    return df


def _skipped_rows(table: str, src: _Table, renames: dict[str, str]) -> pd.DataFrame | None:
    """The lines the CSV reader could not split, as quarantined rows (None if there are none)."""
    if not src.skipped:
        return None
    bad = pd.DataFrame(
        {
            "_line": [line for line, _ in src.skipped],
            "_qcol": "",
            "_qval": "",
            "_qreason": [reason for _, reason in src.skipped],
            "_qcheck": "malformed_line",
        }
    )
    # keep the id of a line with too many fields: its record and its children's reasons
    key = _ID[table]
    at = next((i for i, c in enumerate(src.columns) if renames[c] == key), None)
    if at is not None:
        ids = [src.skipped_fields.get(line, []) for line, _ in src.skipped]
        ids = [f[at].strip() if len(f) > at and f[at].strip() else None for f in ids]
        bad[key] = pd.Series(ids, dtype="str")
    return bad


def _is_fec(source: str | Path | list, fmt: str) -> bool:
    if fmt not in ("auto", "fec", "tables"):
        raise InputError(f"format must be 'auto', 'fec' or 'tables', not {fmt!r}")
    if fmt != "auto" or isinstance(source, list | tuple):
        return fmt == "fec" or isinstance(source, list | tuple)
    if "://" in str(source):
        return False
    path = Path(source)
    if path.is_file():
        return looks_like_fec(path)
    if not path.is_dir():
        return False
    names = {p.name.lower().split(".")[0] for p in path.iterdir() if p.is_file()}
    return not {"debtors", "claims"} & names and any(
        looks_like_fec(p) for p in path.iterdir() if p.suffix.lower() in (".txt", ".csv", ".tsv")
    )


def read_portfolio(
    source: str | Path | list,
    mapping: Mapping | str | Path | None = None,
    *,
    chunksize: int | None = None,
    as_of: str | pd.Timestamp | None = None,
    format: str = "auto",
) -> Portfolio:
    """Read and validate a portfolio.

    Parameters
    ----------
    source : str or Path
        A folder with ``debtors``, ``claims`` and (optionally) ``events`` as
        ``.csv``, ``.csv.gz``, ``.txt`` or ``.parquet``; an ``.xlsx`` workbook
        with sheets of those names; or a SQLAlchemy URL (``sqlite:///x.db``)
        whose database has tables of those names; or a FEC file (the French
        accounting export, recognised by its header line), a list of FEC files
        or a folder of them, read by :func:`~recovery_analytics.portfolio.read_fec`.
    mapping : Mapping, path to a TOML file, or None
        Renames, recodes and read hints for a foreign export. When None and
        ``source`` is a folder holding a ``mapping.toml``, that file is used
        (an export and its mapping can travel together); the portfolio's
        ``notes`` say so.
    chunksize : int, optional
        Rows per chunk when streaming CSV, Parquet and SQL. None (default): a
        CSV of up to 256 MB or a Parquet file of up to 2M rows is read whole (one
        pass, on every core), larger files and SQL tables by chunks of 250,000 rows.
    as_of : date, optional
        For a FEC: read the ledger as it stood on that date (letterings dated
        later are ignored). Other sources carry dated events and ignore it.
    format : {"auto", "fec", "tables"}
        ``"auto"`` recognises a FEC by its header line; ``"fec"`` forces it;
        ``"tables"`` reads debtors / claims / events.

    Returns
    -------
    Portfolio
        Valid typed tables, the quarantine, ``counts`` (``rows_read == valid +
        quarantined`` per table), ``source``, ``extra_features`` and ``notes``.

    Raises
    ------
    InputError
        On a structural problem (unknown source, missing table or column, empty file...).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     folder = pathlib.Path(d)
    ...     _ = (folder / "debtors.csv").write_text("debtor_id;debtor_type\\nD1;Particulier\\n")
    ...     _ = (folder / "claims.csv").write_text(
    ...         "claim_id;debtor_id;invoice_date;due_date;amount\\n"
    ...         "F1;D1;01/03/2026;31/03/2026;1 234,56\\n"
    ...         "F2;D1;01/03/2026;31/02/2026;10\\n")
    ...     p = read_portfolio(folder)
    >>> p.claims["amount"].tolist()
    [1234.56]
    >>> p.quarantine[["line", "reason"]].values.tolist()
    [[3, "due_date '31/02/2026' is not a valid date (expected dd/mm/yyyy or yyyy-mm-dd)"]]
    """
    notes: list[str] = []
    fec = _is_fec(source, format)
    text = str(source)
    if mapping is None and "://" not in text and not isinstance(source, list | tuple):
        folder = Path(source).parent if fec and Path(source).is_file() else Path(source)
        if (folder / MAPPING_FILE).is_file():
            mapping = folder / MAPPING_FILE
            notes.append(f"mapping read from {mapping}")
    if mapping is not None and not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    mapping = mapping or Mapping()
    if fec:
        portfolio = read_fec(source, mapping, as_of=as_of)
        portfolio.notes[:0] = notes
        return portfolio
    closer = None
    if "://" in text:
        tables, closer = _sql_tables(text, mapping, chunksize or CHUNK_ROWS)
        kind, found = "database", closer[2]
    else:
        path = Path(source)
        if path.is_dir():
            tables = _folder_tables(path, mapping, chunksize)
            kind, found = "folder", sorted(p.name for p in path.iterdir())
        elif path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
            tables, found = _xlsx_tables(path, mapping)
            kind = "workbook (sheets)"
        elif path.exists():
            raise InputError(
                f"{path}: unsupported portfolio source; expected a folder of CSV/Parquet files, "
                "an .xlsx workbook or a SQLAlchemy URL"
            )
        else:
            raise InputError(f"portfolio source {path} not found")
    try:
        frames, sources = {}, {}
        for table in TABLES:
            src = tables[table]
            if src is None:
                if table != "events":
                    raise InputError(
                        f"{text}: no {table} table in this {kind}; found: "
                        f"{', '.join(map(str, found)) or 'nothing'}"
                    )
                notes.append("no events table: the portfolio has no events")
                frames[table], sources[table] = _empty(table), "events"
                continue
            frames[table], sources[table] = _read_table(table, src, mapping), src.label
            if frames[table].empty:
                if table != "events":
                    raise InputError(f"{src.label} has a header but no rows: no {table} to read")
                notes.append(f"{src.label} has no rows: the portfolio has no events")
    finally:
        if closer is not None:
            closer[0].close()
            closer[1].dispose()
    _check_features(mapping, frames)
    return _finalize(
        frames,
        sources,
        source=text,
        currency_rates=mapping.currency_rates,
        extra_features={k: list(v) for k, v in mapping.features.items()},
        notes=notes,
    )


def _check_features(mapping: Mapping, frames: dict[str, pd.DataFrame]) -> None:
    available = set(frames["debtors"].columns) | set(frames["claims"].columns)
    for names in mapping.features.values():
        for name in names:
            if name not in available:
                raise InputError(
                    f"feature column {name!r} declared under [features] is not a column of "
                    "debtors or claims"
                )
