"""Where a portfolio's tables come from: CSV / Parquet files, an .xlsx workbook, SQL.

Private helpers of :func:`recovery_analytics.portfolio.read_portfolio`. Each source gives,
per table of the contract, a :class:`_Table`: its label for people, its header and
an iterator of row chunks carrying a ``_line`` column (or None when absent).
"""

from __future__ import annotations

import codecs
import csv
import gzip
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from recovery_analytics.portfolio import _parse
from recovery_analytics.portfolio._csv_arrow import arrow_chunks
from recovery_analytics.portfolio._mapping import Mapping
from recovery_analytics.portfolio._schema import TABLES, InputError

__all__: list[str] = []

#: Rows per chunk when streaming (the default of ``read_portfolio(chunksize=None)``).
CHUNK_ROWS = 250_000
#: With ``chunksize=None``, a CSV up to this size (of text) is parsed whole, and
#: a Parquet file of up to :data:`_WHOLE_ROWS` rows read whole: the work of one pass,
#: on every core, for a few hundred MB in memory. Larger files stream by chunks.
_WHOLE_BYTES, _WHOLE_ROWS = 256 << 20, 2_000_000

_CSV_SUFFIXES = (".csv", ".csv.gz", ".txt", ".txt.gz", ".tsv")
_PARQUET_SUFFIXES = (".parquet", ".pq")


@dataclass
class _Table:
    """One table of a source: its name for people, its header and its row chunks."""

    label: str
    columns: list[str]
    chunks: Iterator[pd.DataFrame]  # each with a ``_line`` column (may be provisional)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    relines: object = None  # callable mapping provisional ``_line`` to real lines
    skipped_fields: dict[int, list[str]] = field(default_factory=dict)  # line -> its fields
    fallback: object = None  # callable giving the chunks again with the careful reader


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


def _reject_nul(path: Path) -> int:
    """A NUL byte anywhere in a CSV (not UTF-16) stops the read, with its line.

    NUL is never text: a file holding one is binary, corrupt, or UTF-16
    without its BOM. One rule wherever it is (the first block or the last).
    Returns the number of ``"`` in the file (odd: a quote is never closed).
    """
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    done = quotes = 0
    with opener(path, "rb") as fh:
        while block := fh.read(1 << 22):
            quotes += block.count(b'"')
            at = block.find(b"\x00")
            if at >= 0:
                line = _lines_before(path, done + at) + 1
                raise InputError(
                    f"{path.name} is not a CSV file: line {line} holds a NUL byte (binary data, "
                    "not text); the file is corrupt, or UTF-16 without its BOM (set encoding "
                    "under [read])"
                )
            done += len(block)
    return quotes


def _lines_before(path: Path, end: int) -> int:
    """Line feeds in the first ``end`` bytes of the file (decompressed)."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    lines = 0
    with opener(path, "rb") as fh:
        while end > 0 and (block := fh.read(min(1 << 22, end))):
            lines += block.count(b"\n")
            end -= len(block)
    return lines


def _check_header(names: list[object], label: str) -> None:
    """Two columns of one header with the same name: an error (pandas would rename one)."""
    seen: dict[str, int] = {}
    for i, name in enumerate(names, start=1):
        key = _parse.norm_name(name)
        if key in seen and key not in ("", "nan", "none"):
            raise InputError(
                f"{label}: column {str(name).strip()!r} appears twice in the header (columns "
                f"{seen[key]} and {i}); rename or remove one"
            )
        seen.setdefault(key, i)


def _csv_table(path: Path, mapping: Mapping, chunksize: int | None, fast: bool = True) -> _Table:
    """A CSV file as a :class:`_Table`; ``fast``: the pyarrow reader first (``_csv_arrow``).

    ``chunksize=None``: a file of up to ``_WHOLE_BYTES`` is parsed whole by the fast
    reader, a larger one (and the careful reader) streams by :data:`CHUNK_ROWS`.
    """
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{path.name} is empty (0 bytes)")
    packed = 8 if path.name.lower().endswith(".gz") else 1  # gzip: ~8x the size in text
    whole = chunksize is None and size * packed <= _WHOLE_BYTES
    chunksize = chunksize or CHUNK_ROWS
    head = _sniff_bytes(path)
    encoding = mapping.encoding or _detect_encoding(path, head)
    quotes = 1
    if not encoding.lower().replace("-", "").replace("_", "").startswith(("utf16", "utf32")):
        quotes = _reject_nul(path)
    lines = head.decode(encoding, errors="replace").lstrip("\ufeff").splitlines()
    blank = next((i for i, line in enumerate(lines) if line.strip()), None)
    if blank is None:
        raise InputError(f"{path.name} has no header line (the file is blank)")
    header = lines[blank]
    sep = mapping.sep or max((";", ",", "\t"), key=header.count)
    _check_header(next(csv.reader([header], delimiter=sep)), path.name)
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
                raise InputError(_parser_message(path, exc, blank)) from None
            finally:
                reader.close()
            _collect_skips(caught, table.skipped)
            if table.skipped:
                table.skipped_fields = _fields_of(path, encoding, sep, table.skipped)

    def relines(pos: np.ndarray) -> np.ndarray:
        skipped = np.sort(np.array([line for line, _ in table.skipped], dtype=np.int64))
        offsets = skipped - header_line - 1 - np.arange(len(skipped))
        return header_line + 1 + pos + np.searchsorted(offsets, pos, side="right")

    fast = (
        fast
        and quotes % 2 == 0
        and arrow_chunks(
            path,
            encoding=encoding,
            sep=sep,
            blank=blank,
            columns=columns,
            chunksize=chunksize,
            head=head,
            whole=whole,
        )
    )
    table.chunks, table.relines = fast or chunks(), relines
    table.fallback = chunks if fast else None
    return table


_EOF_RE = re.compile(r"EOF inside string starting at row (\d+)")


def _parser_message(path: Path, exc: Exception, blank: int) -> str:
    """pandas counts rows from 0 at the header: say the 1-based line of the file."""
    found = _EOF_RE.search(str(exc))
    if found:
        line = int(found.group(1)) + 1 + blank
        return (
            f'{path.name} line {line}: a quoted value is never closed (a " without its '
            'closing "), so the rest of the file would be one value; close or remove the quote'
        )
    return f"{path.name} cannot be read as CSV: {exc}"


def _fields_of(path: Path, encoding: str, sep: str, skipped: list) -> dict[int, list[str]]:
    """The fields of the lines pandas skipped (too many fields), to keep their ids."""
    wanted = {line for line, _ in skipped}
    out: dict[int, list[str]] = {}
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rt", encoding=encoding, errors="replace", newline="") as fh:
        for number, text in enumerate(fh, start=1):
            if number in wanted:
                out[number] = next(csv.reader([text.lstrip("\ufeff")], delimiter=sep), [])
                if len(out) == len(wanted):
                    break
    return out


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


def _parquet_table(path: Path, chunksize: int | None) -> _Table:
    """A Parquet file as a :class:`_Table`; ``chunksize=None``: whole if it is not too large."""
    import pyarrow.parquet as pq

    try:
        pfile = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for corrupt files
        raise InputError(f"{path.name} cannot be read as Parquet: {exc}") from None

    def chunks() -> Iterator[pd.DataFrame]:
        if chunksize is None and pfile.metadata.num_rows <= _WHOLE_ROWS:
            df = pfile.read(use_threads=True).to_pandas()
            if len(df):  # like iter_batches: no chunk for no rows
                yield df.assign(_line=np.arange(1, len(df) + 1))
            return
        start = 1
        for batch in pfile.iter_batches(batch_size=chunksize or CHUNK_ROWS):
            df = batch.to_pandas()
            yield df.assign(_line=np.arange(start, start + len(df)))
            start += len(df)

    _check_header(list(pfile.schema_arrow.names), path.name)
    return _Table(label=path.name, columns=list(pfile.schema_arrow.names), chunks=chunks())


def _find_name(wanted: str, names: list[str]) -> str | None:
    return next((n for n in names if _parse.norm_name(n) == _parse.norm_name(wanted)), None)


def _folder_tables(
    folder: Path, mapping: Mapping, chunksize: int | None
) -> dict[str, _Table | None]:
    files = sorted(p.name for p in folder.iterdir() if p.is_file())
    names = {table + s for table in TABLES for s in _CSV_SUFFIXES + _PARQUET_SUFFIXES}
    for odd in folder.iterdir():
        if odd.name.casefold() in names and not odd.is_file():
            what = "a folder" if odd.is_dir() else "not a regular file (a pipe, a socket...)"
            raise InputError(f"{folder}: {odd.name} is {what}; expected a CSV or Parquet file")
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
        if path.is_symlink() and not path.resolve().is_relative_to(folder.resolve()):
            # like [files], a table cannot leave its folder (and its content is never quoted)
            raise InputError(
                f"{folder}: {path.name} is a symbolic link to a file outside the folder; "
                "copy the file into the folder instead"
            )
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
            head = pd.read_excel(book, sheet_name=sheet, header=None, nrows=1, dtype=str)
            _check_header([v for v in head.iloc[0] if pd.notna(v)] if len(head) else [],
                          f"{path.name}[{sheet}]")  # fmt: skip
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


def _split_schema(url: str, mapping: Mapping) -> tuple[str, str | None]:
    """Take ``?schema=NAME`` out of a SQLAlchemy URL (drivers refuse it); else the mapping's."""
    import sqlalchemy as sa

    try:
        parsed = sa.engine.make_url(url)
    except Exception:  # reported by the caller
        return url, mapping.schema
    schema = parsed.query.get("schema")
    if schema is None:
        return url, mapping.schema
    if isinstance(schema, tuple):
        schema = schema[-1]
    rest = parsed.difference_update_query(["schema"])
    return rest.render_as_string(hide_password=False), schema


def _sql_tables(url: str, mapping: Mapping, chunksize: int) -> tuple[dict, object]:
    import sqlalchemy as sa

    masked = _masked(url)
    url, schema = _split_schema(url, mapping)
    try:
        parsed = sa.engine.make_url(url)
        db = parsed.database
        local = parsed.get_backend_name() == "sqlite" and db not in (None, "", ":memory:")
        if local and not Path(db).is_file():
            raise InputError(f"SQLite database file not found: {db}")
        engine = sa.create_engine(parsed)
        conn = engine.connect()
        if engine.dialect.supports_server_side_cursors:
            # stream: a server-side cursor sends ``chunksize`` rows at a time
            conn = conn.execution_options(stream_results=True, max_row_buffer=chunksize)
    except InputError:
        raise
    except Exception as exc:  # drivers raise their own error types
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        password = getattr(locals().get("parsed"), "password", None)
        if password:
            message = message.replace(str(password), "***")
        raise InputError(f"cannot connect to {masked}: {message}") from None
    try:
        names = sa.inspect(conn).get_table_names(schema=schema)
    except Exception as exc:  # an unknown schema, not a database, no permission...
        conn.close()
        engine.dispose()
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"cannot read the tables of {masked}: {message}") from None
    if schema is not None and not names:
        known = sa.inspect(conn).get_schema_names()
        if schema not in known:
            conn.close()
            engine.dispose()
            raise InputError(
                f"{masked}: schema {schema!r} does not exist (schemas: {', '.join(known)})"
            )
    tables: dict[str, _Table | None] = {}
    for table in TABLES:
        name = _find_name(mapping.files.get(table, table), names)
        if name is None:
            tables[table] = None
            continue
        reflected = sa.Table(name, sa.MetaData(), autoload_with=conn, schema=schema)

        def chunks(t=reflected) -> Iterator[pd.DataFrame]:
            start = 1
            for df in pd.read_sql_query(sa.select(t), conn, chunksize=chunksize):
                yield df.assign(_line=np.arange(start, start + len(df)))
                start += len(df)

        tables[table] = _Table(
            label=f"{schema}.{name}" if schema else name,
            columns=[c.name for c in reflected.columns],
            chunks=chunks(),
        )
    return tables, (conn, engine, names)
