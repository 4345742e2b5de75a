"""Read a portfolio from files or a database, and write it back.

:func:`read_portfolio` reads the three tables of the contract (``debtors``,
``claims``, ``events``) from a folder of CSV / Parquet files, an ``.xlsx``
workbook or a SQLAlchemy URL, renames and recodes foreign columns with a TOML
:class:`Mapping`, and validates them (:mod:`recovery_analytics.schema`): every
input row ends in the returned :class:`~recovery_analytics.schema.Portfolio` or
in its quarantine. CSV is read in chunks so that large files stream. The input
format is described in ``docs/input-format.md``.
"""

from __future__ import annotations

import codecs
import gzip
import json
import re
import tomllib
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from recovery_analytics import _parse
from recovery_analytics.schema import (
    COLUMNS,
    TABLES,
    InputError,
    Portfolio,
    _coerce,
    _finalize,
    check_columns,
    empty_table,
)

__all__ = [
    "Mapping",
    "load_mapping",
    "read_portfolio",
    "summarize",
    "write_portfolio",
    "write_quarantine",
]

#: A folder source may carry its mapping under this name (used when none is given).
MAPPING_FILE = "mapping.toml"

_CSV_SUFFIXES = (".csv", ".csv.gz", ".txt", ".txt.gz", ".tsv")
_PARQUET_SUFFIXES = (".parquet", ".pq")
_MAPPING_HINT = (
    " Rename the columns in the source or map them with --mapping (see docs/input-format.md)."
)


# ----------------------------------------------------------------------------- mapping
@dataclass(frozen=True)
class Mapping:
    """How to read a foreign export: file names, read hints, renames, recodes, constants.

    Build it with :func:`load_mapping` (TOML) or :meth:`from_dict`. Column and
    value keys are matched case-, space- and accent-insensitively.

    Examples
    --------
    >>> m = Mapping.from_dict({"claims": {"columns": {"N° facture": "claim_id"}}})
    >>> m.columns["claims"]
    {'n°_facture': 'claim_id'}
    """

    files: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    sep: str | None = None
    decimal: str | None = None
    dayfirst: bool = True
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    values: dict[str, dict[str, dict[str, object]]] = field(default_factory=dict)
    constants: dict[str, dict[str, object]] = field(default_factory=dict)
    currency_rates: dict[str, float] = field(default_factory=dict)
    features: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict, origin: str = "mapping") -> Mapping:
        """Check and build a mapping from a dict shaped like the TOML file."""

        def fail(msg: str) -> InputError:
            return InputError(f"{origin}: {msg}")

        allowed = {"files", "read", "currency_rates", "features", *TABLES}
        for key in data:
            if key not in allowed:
                raise fail(
                    f"unknown section [{key}] (expected one of {', '.join(sorted(allowed))})"
                )
        files = dict(data.get("files", {}))
        for key, value in files.items():
            if key not in TABLES or not isinstance(value, str):
                raise fail(f'[files] {key!r}: expected debtors/claims/events = "file name"')
        read = dict(data.get("read", {}))
        for key in read:
            if key not in ("encoding", "sep", "decimal", "dayfirst"):
                raise fail(
                    f"unknown key [read] {key!r} (expected encoding, sep, decimal, dayfirst)"
                )
        if "encoding" in read:
            try:
                codecs.lookup(read["encoding"])
            except (LookupError, TypeError):
                raise fail(
                    f"[read] encoding {read['encoding']!r} is not a known encoding"
                ) from None
        sep = read.get("sep")
        sep = "\t" if sep in ("tab", "\\t") else sep
        if sep is not None and (not isinstance(sep, str) or len(sep) != 1):
            raise fail(f'[read] sep {sep!r} must be one character (or "tab")')
        if read.get("decimal") not in (None, ",", "."):
            raise fail(f'[read] decimal {read["decimal"]!r} must be "," or "."')
        columns, values, constants = {}, {}, {}
        for table in TABLES:
            section = dict(data.get(table, {}))
            canon = COLUMNS[table]
            for key in section:
                if key not in ("columns", "values", "constants"):
                    raise fail(f"unknown key [{table}.{key}] (expected columns, values, constants)")
            renames = {}
            for src, dst in section.get("columns", {}).items():
                if dst not in canon:
                    raise fail(
                        f"[{table}.columns] {src!r} = {dst!r}: {dst!r} is not a {table} column "
                        f"(expected one of {', '.join(canon)})"
                    )
                renames[_parse.norm_name(src)] = dst
            columns[table] = renames
            for name in ("values", "constants"):
                for col in section.get(name, {}):
                    if col not in canon:
                        raise fail(f"[{table}.{name}.{col}]: {col!r} is not a {table} column")
            values[table] = {
                col: {_parse.norm_scalar(k): v for k, v in recode.items()}
                for col, recode in section.get("values", {}).items()
            }
            constants[table] = dict(section.get("constants", {}))
        rates = {}
        for code, rate in data.get("currency_rates", {}).items():
            if not isinstance(rate, int | float) or isinstance(rate, bool) or rate <= 0:
                raise fail(f"[currency_rates] {code} = {rate!r}: expected EUR per unit, > 0")
            rates[str(code).upper()] = float(rate)
        features = {}
        for kind, names in data.get("features", {}).items():
            if kind not in ("numeric", "categorical") or not isinstance(names, list):
                raise fail(f"[features] {kind!r}: expected numeric = [...] or categorical = [...]")
            features[kind] = [str(n) for n in names]
        return cls(
            files=files,
            encoding=read.get("encoding"),
            sep=sep,
            decimal=read.get("decimal"),
            dayfirst=bool(read.get("dayfirst", True)),
            columns=columns,
            values=values,
            constants=constants,
            currency_rates=rates,
            features=features,
        )


def load_mapping(path: str | Path) -> Mapping:
    """Load a TOML mapping file (format in ``docs/input-format.md``).

    Raises :class:`~recovery_analytics.schema.InputError` naming the bad key.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d) / "m.toml"
    ...     _ = p.write_text('[read]\\nsep = ";"\\n', encoding="utf-8")
    ...     load_mapping(p).sep
    ';'
    """
    path = Path(path)
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise InputError(f"mapping file {path} not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"mapping file {path} is not valid TOML: {exc}") from None
    return Mapping.from_dict(data, origin=f"mapping file {path.name}")


# ----------------------------------------------------------------------------- sources
@dataclass
class _Table:
    """One table of a source: its name for people, its header and its row chunks."""

    label: str
    columns: list[str]
    chunks: Iterator[pd.DataFrame]  # each with a ``_line`` column (may be provisional)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    relines: object = None  # callable mapping provisional ``_line`` to real lines


def _sniff_bytes(path: Path) -> bytes:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:
            return fh.read(65536)
    except (OSError, EOFError) as exc:
        raise InputError(f"cannot read {path.name}: {exc}") from None


def _detect_encoding(path: Path, head: bytes) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(b"PK\x03\x04"):
        raise InputError(f"{path.name} is not a CSV file: it looks like an Excel workbook")
    if head.startswith(b"PAR1"):
        raise InputError(f"{path.name} is not a CSV file: it looks like a Parquet file")
    if b"\x00" in head:
        raise InputError(f"{path.name} is not a CSV file (it contains binary data)")
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with opener(path, "rb") as fh:
                while block := fh.read(1 << 20):
                    decoder.decode(block)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise InputError(
        f"{path.name} is neither UTF-8 nor Windows-1252 text: set encoding under [read] "
        "in the mapping"
    )


def _csv_table(path: Path, mapping: Mapping, chunksize: int) -> _Table:
    if path.stat().st_size == 0:
        raise InputError(f"{path.name} is empty (0 bytes)")
    head = _sniff_bytes(path)
    encoding = mapping.encoding or _detect_encoding(path, head)
    lines = head.decode(encoding, errors="replace").lstrip("\ufeff").splitlines()
    blank = next((i for i, line in enumerate(lines) if line.strip()), None)
    if blank is None:
        raise InputError(f"{path.name} has no header line (the file is blank)")
    header = lines[blank]
    sep = mapping.sep or max((";", ",", "\t"), key=header.count)
    options = dict(
        sep=sep,
        encoding=encoding,
        skiprows=blank,
        index_col=False,
        dtype=str,
        na_filter=False,
        skip_blank_lines=False,
        engine="c",
    )
    try:
        columns = list(pd.read_csv(path, nrows=0, **options).columns)
    except (pd.errors.ParserError, ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{path.name} cannot be read as CSV: {exc}") from None
    table = _Table(label=path.name, columns=columns, chunks=iter(()))
    header_line = blank + 1

    def chunks() -> Iterator[pd.DataFrame]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            reader = pd.read_csv(path, chunksize=chunksize, on_bad_lines="warn", **options)
            try:
                for chunk in reader:
                    _collect_skips(caught, table.skipped)
                    filled = chunk.ne("").any(axis=1) if len(chunk.columns) else chunk.index < 0
                    pos = chunk.index.to_numpy()
                    chunk = chunk.assign(_line=pos)
                    yield chunk.loc[filled.to_numpy()]
            except (pd.errors.ParserError, UnicodeDecodeError) as exc:
                raise InputError(f"{path.name} cannot be read as CSV: {exc}") from None
            finally:
                reader.close()
            _collect_skips(caught, table.skipped)

    def relines(pos: np.ndarray) -> np.ndarray:
        skipped = np.sort(np.array([line for line, _ in table.skipped], dtype=np.int64))
        offsets = skipped - header_line - 1 - np.arange(len(skipped))
        return header_line + 1 + pos + np.searchsorted(offsets, pos, side="right")

    table.chunks, table.relines = chunks(), relines
    return table


_SKIP_RE = re.compile(r"Skipping line (\d+): expected (\d+) fields, saw (\d+)")


def _collect_skips(caught: list, out: list[tuple[int, str]]) -> None:
    for warning in caught:
        for line, expected, saw in _SKIP_RE.findall(str(warning.message)):
            out.append(
                (
                    int(line),
                    f"line has {saw} fields but the header has {expected} (a separator inside "
                    "an unquoted value?); the row could not be read",
                )
            )
    caught.clear()


def _parquet_table(path: Path, chunksize: int) -> _Table:
    import pyarrow.parquet as pq

    try:
        pfile = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for corrupt files
        raise InputError(f"{path.name} cannot be read as Parquet: {exc}") from None

    def chunks() -> Iterator[pd.DataFrame]:
        start = 1
        for batch in pfile.iter_batches(batch_size=chunksize):
            df = batch.to_pandas()
            yield df.assign(_line=np.arange(start, start + len(df)))
            start += len(df)

    return _Table(label=path.name, columns=list(pfile.schema_arrow.names), chunks=chunks())


def _find_name(wanted: str, names: list[str]) -> str | None:
    return next((n for n in names if _parse.norm_name(n) == _parse.norm_name(wanted)), None)


def _folder_tables(folder: Path, mapping: Mapping, chunksize: int) -> dict[str, _Table | None]:
    files = sorted(p.name for p in folder.iterdir() if p.is_file())
    tables: dict[str, _Table | None] = {}
    for table in TABLES:
        if table in mapping.files:
            found = [n for n in files if n.casefold() == mapping.files[table].casefold()]
            if not found:
                raise InputError(
                    f"{folder}: file {mapping.files[table]!r} (for {table}, from the mapping) "
                    f"not found; files found: {', '.join(files) or 'none'}"
                )
        else:
            names = [table + s for s in _CSV_SUFFIXES + _PARQUET_SUFFIXES]
            found = [n for n in files if n.casefold() in names]
        if len(found) > 1:
            raise InputError(f"{folder}: several files for {table}: {', '.join(found)}; keep one")
        if not found:
            tables[table] = None
            continue
        path = folder / found[0]
        if path.name.lower().endswith(_PARQUET_SUFFIXES):
            tables[table] = _parquet_table(path, chunksize)
        else:
            tables[table] = _csv_table(path, mapping, chunksize)
    return tables


def _xlsx_tables(path: Path, mapping: Mapping) -> tuple[dict[str, _Table | None], list[str]]:
    try:
        book = pd.ExcelFile(path, engine="openpyxl")
    except Exception as exc:  # openpyxl raises zipfile / XML errors
        raise InputError(f"{path.name} cannot be read as an .xlsx workbook: {exc}") from None
    tables: dict[str, _Table | None] = {}
    with book:
        for table in TABLES:
            sheet = _find_name(mapping.files.get(table, table), book.sheet_names)
            if sheet is None:
                tables[table] = None
                continue
            df = pd.read_excel(book, sheet_name=sheet, dtype=str, na_filter=False)
            df = df.assign(_line=np.arange(2, len(df) + 2))  # Excel rows; header on row 1
            df = df.loc[df.drop(columns="_line").ne("").any(axis=1)]
            label = f"{path.name}[{sheet}]"
            tables[table] = _Table(label=label, columns=list(df.columns[:-1]), chunks=iter([df]))
        return tables, list(book.sheet_names)


def _masked(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not parseable: mask anything between ':' and '@'
        return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def _sql_tables(url: str, mapping: Mapping, chunksize: int) -> tuple[dict, object]:
    import sqlalchemy as sa

    masked = _masked(url)
    try:
        parsed = sa.engine.make_url(url)
        db = parsed.database
        local = parsed.get_backend_name() == "sqlite" and db not in (None, "", ":memory:")
        if local and not Path(db).is_file():
            raise InputError(f"SQLite database file not found: {db}")
        engine = sa.create_engine(parsed)
        conn = engine.connect()
    except InputError:
        raise
    except Exception as exc:  # drivers raise their own error types
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        password = getattr(locals().get("parsed"), "password", None)
        if password:
            message = message.replace(str(password), "***")
        raise InputError(f"cannot connect to {masked}: {message}") from None
    names = sa.inspect(conn).get_table_names()
    tables: dict[str, _Table | None] = {}
    for table in TABLES:
        name = _find_name(mapping.files.get(table, table), names)
        if name is None:
            tables[table] = None
            continue
        reflected = sa.Table(name, sa.MetaData(), autoload_with=conn)

        def chunks(t=reflected) -> Iterator[pd.DataFrame]:
            start = 1
            for df in pd.read_sql_query(sa.select(t), conn, chunksize=chunksize):
                yield df.assign(_line=np.arange(start, start + len(df)))
                start += len(df)

        tables[table] = _Table(
            label=name, columns=[c.name for c in reflected.columns], chunks=chunks()
        )
    return tables, (conn, engine, names)


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
    renames = _renames(table, src.columns, mapping, src.label)
    hint = _MAPPING_HINT
    if len(src.columns) == 1:
        hint = (
            f" Only one column was found: the separator may not be ';', ',' or tab "
            f"(set sep under [read] in the mapping).{_MAPPING_HINT}"
        )
    check_columns(table, list(renames.values()), src.label, hint)
    numeric = tuple(mapping.features.get("numeric", ()))
    parts = []
    for chunk in src.chunks:
        chunk = _apply_mapping(chunk.rename(columns=renames), table, mapping)
        parts.append(
            _coerce(
                table,
                chunk,
                decimal=mapping.decimal,
                dayfirst=mapping.dayfirst,
                currency_rates=mapping.currency_rates,
                numeric_features=numeric,
            )
        )
    df = pd.concat(parts, ignore_index=True) if parts else _empty(table)
    if src.relines is not None:
        df["_line"] = src.relines(df["_line"].to_numpy(dtype=np.int64))
    if src.skipped:
        bad = pd.DataFrame(
            {
                "_line": [line for line, _ in src.skipped],
                "_qcol": "",
                "_qval": "",
                "_qreason": [reason for _, reason in src.skipped],
                "_qcheck": "malformed_line",
            }
        )
        df = pd.concat([df, bad], ignore_index=True).sort_values("_line", kind="stable")
    return df


def read_portfolio(
    source: str | Path, mapping: Mapping | str | Path | None = None, *, chunksize: int = 250_000
) -> Portfolio:
    """Read and validate a portfolio.

    Parameters
    ----------
    source : str or Path
        A folder with ``debtors``, ``claims`` and (optionally) ``events`` as
        ``.csv``, ``.csv.gz``, ``.txt`` or ``.parquet``; an ``.xlsx`` workbook
        with sheets of those names; or a SQLAlchemy URL (``sqlite:///x.db``)
        whose database has tables of those names.
    mapping : Mapping, path to a TOML file, or None
        Renames, recodes and read hints for a foreign export. When None and
        ``source`` is a folder holding a ``mapping.toml``, that file is used
        (an export and its mapping can travel together); the portfolio's
        ``notes`` say so.
    chunksize : int
        Rows per chunk when streaming CSV, Parquet and SQL.

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
    text = str(source)
    if mapping is None and "://" not in text and (Path(source) / MAPPING_FILE).is_file():
        mapping = Path(source) / MAPPING_FILE
        notes.append(f"mapping read from {mapping}")
    if mapping is not None and not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    mapping = mapping or Mapping()
    closer = None
    if "://" in text:
        tables, closer = _sql_tables(text, mapping, chunksize)
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


# ----------------------------------------------------------------------------- writing
def write_portfolio(portfolio: Portfolio, out_dir: str | Path, fmt: str = "csv") -> dict[str, Path]:
    """Write the valid tables as ``debtors``, ``claims``, ``events`` in ``out_dir``.

    CSV is UTF-8 with ``,``, ISO dates and ``.`` decimals; rows keep their order,
    so identical portfolios give byte-identical files. ``fmt="parquet"`` keeps dtypes.
    When the portfolio declares extra feature columns (``extra_features``), a
    ``mapping.toml`` holding its ``[features]`` section is written beside the
    tables, so that :func:`read_portfolio` finds them again.

    Examples
    --------
    >>> import tempfile
    >>> from recovery_analytics.schema import validate_portfolio
    >>> p = validate_portfolio(
    ...     pd.DataFrame({"debtor_id": ["D1"], "debtor_type": ["B2B"]}),
    ...     pd.DataFrame({"claim_id": ["F1"], "debtor_id": ["D1"], "invoice_date": ["01/03/2026"],
    ...                   "due_date": ["31/03/2026"], "amount": ["12,50"]}))
    >>> with tempfile.TemporaryDirectory() as d:
    ...     print(write_portfolio(p, d)["claims"].read_text().splitlines()[1])
    F1,D1,2026-03-01,2026-03-31,12.5,EUR,False,
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be 'csv' or 'parquet', not {fmt!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for table in TABLES:
        df = getattr(portfolio, table)
        path = out / f"{table}.{fmt}"
        if fmt == "csv":
            df.to_csv(
                path, index=False, encoding="utf-8", date_format="%Y-%m-%d", lineterminator="\n"
            )
        else:
            df.to_parquet(path, index=False)
        paths[table] = path
    features = {k: list(v) for k, v in sorted(portfolio.extra_features.items()) if v}
    if features:
        lines = [
            "# Written by recovery_analytics: extra columns used as model features.",
            "[features]",
        ]
        lines += [
            f"{kind} = [{', '.join(json.dumps(c) for c in cols)}]"
            for kind, cols in features.items()
        ]
        paths["mapping"] = out / MAPPING_FILE
        paths["mapping"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paths


def write_quarantine(quarantine: pd.DataFrame, path: str | Path) -> Path:
    """Write the quarantine as CSV with ``;`` and a UTF-8 BOM (opens in French Excel)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    quarantine.to_csv(path, sep=";", index=False, encoding="utf-8-sig", lineterminator="\n")
    return path


def summarize(portfolio: Portfolio) -> str:
    """A plain-text summary: rows read, valid and quarantined by table and by reason.

    Examples
    --------
    >>> from recovery_analytics.schema import validate_portfolio
    >>> p = validate_portfolio(
    ...     pd.DataFrame({"debtor_id": ["D1"], "debtor_type": ["B2B"]}),
    ...     pd.DataFrame({"claim_id": ["F1", "F1"], "debtor_id": ["D1", "D1"],
    ...                   "invoice_date": ["01/03/2026"] * 2, "due_date": ["31/03/2026"] * 2,
    ...                   "amount": ["12,50", "-3"]}))
    >>> print(summarize(p))  # doctest: +NORMALIZE_WHITESPACE
    Portfolio <memory>
    table    rows read  valid  quarantined
    debtors          1      1            0
    claims           2      1            1
    events           0      0            0
    Quarantined rows by reason (count, first example):
      claims   amount: amount_negative x1  e.g. claims line 2: amount '-3' is negative:
      record credit notes and payments as events, not as claims
    """
    counts = portfolio.counts
    if counts is None:
        counts = pd.DataFrame(
            [(t, len(getattr(portfolio, t)), len(getattr(portfolio, t)), 0) for t in TABLES],
            columns=["table", "rows_read", "valid", "quarantined"],
        )
    lines = [f"Portfolio {portfolio.source}".rstrip()]
    lines.append(f"{'table':<8} {'rows read':>9} {'valid':>6} {'quarantined':>12}")
    for row in counts.itertuples(index=False):
        lines.append(f"{row.table:<8} {row.rows_read:>9} {row.valid:>6} {row.quarantined:>12}")
    q = portfolio.quarantine
    if len(q):
        q = q.assign(check=q["check"] if "check" in q else q["reason"])
        groups = q.groupby(["table", "column", "check"], sort=False)
        lines.append("Quarantined rows by reason (count, first example):")
        for (table, column, check), rows in groups:
            first = rows.iloc[0]
            lines.append(
                f"  {table:<8} {column or '(row)'}: {check} x{len(rows)}"
                f"  e.g. {first['source']} line {first['line']}: {first['reason']}"
            )
    lines.extend(f"Note: {note}" for note in portfolio.notes)
    return "\n".join(lines)
