"""The fast CSV reader: pyarrow's parser, streamed by blocks, all columns as text.

Private helper of ``_sources._csv_table``. It reads a CSV exactly as the pandas
reader of ``_sources`` does (every cell as text, empty cells as ``""``, rows
numbered from the line after the header) at the speed of the disk. It gives up
(:class:`_Fallback`) on anything that needs the careful reader — a line with
too many or too few fields, a blank line inside the data, blank lines before
the header, a quote never closed, an encoding pyarrow cannot transcode — and
``_io._read_table`` then reads the file again with pandas, which keeps the
line numbers and reasons of those rows. Both readers give the same rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

__all__: list[str] = []

#: Bytes per block read by pyarrow: at most this much text is held at once per block.
_MIN_BLOCK, _MAX_BLOCK = 1 << 20, 64 << 20


class _Fallback(Exception):
    """The fast reader cannot read this file exactly: read it with pandas instead."""


def _arrow_encoding(encoding: str) -> str | None:
    key = encoding.lower().replace("-", "").replace("_", "")
    if key in ("utf8", "utf8sig"):
        return "utf8"
    if key in ("cp1252", "windows1252", "latin1", "iso88591", "iso885915"):
        return encoding
    return None  # UTF-16 and others: the pandas reader


def arrow_chunks(
    path: Path,
    *,
    encoding: str,
    sep: str,
    blank: int,
    columns: list[str],
    chunksize: int,
    head: bytes,
    whole: bool = False,
) -> Iterator[pd.DataFrame] | None:
    """Chunks of about ``chunksize`` rows with a provisional ``_line`` (row position).

    ``whole``: the file in one chunk, parsed by pyarrow on every core (for a file
    that fits comfortably in memory). Returns None when the file is not one for
    this reader (decided up front); raises :class:`_Fallback` while reading when a
    row needs the careful reader.
    """
    enc = _arrow_encoding(encoding)
    if enc is None or blank or len(sep) != 1 or not columns or len(set(columns)) < len(columns):
        return None
    if whole:
        return _whole(path, enc, sep, columns)
    lines = max(head.count(b"\n"), 1)
    per_row = max(len(head) // lines, 16)
    block = int(min(max(per_row * chunksize, _MIN_BLOCK), _MAX_BLOCK))
    return _chunks(path, enc, sep, columns, chunksize, block)


def _options(encoding: str, sep: str, columns: list[str], block: int):
    import pyarrow as pa
    import pyarrow.csv as pcsv

    read = pcsv.ReadOptions(skip_rows=1, column_names=columns, block_size=block, encoding=encoding)
    parse = pcsv.ParseOptions(
        delimiter=sep,
        quote_char='"',
        double_quote=True,
        escape_char=False,
        newlines_in_values=True,
        ignore_empty_lines=False,
    )
    convert = pcsv.ConvertOptions(
        column_types={c: pa.string() for c in columns},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    return read, parse, convert


def _errors() -> tuple:
    import pyarrow as pa

    return (pa.ArrowException, UnicodeError, ValueError, OSError)


def _whole(path: Path, encoding: str, sep: str, columns: list[str]) -> Iterator[pd.DataFrame]:
    """The whole file as one chunk (pyarrow's multi-threaded parser)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    read, parse, convert = _options(encoding, sep, columns, _MIN_BLOCK)
    try:
        stream = pa.input_stream(str(path), compression="detect")
        table = pcsv.read_csv(stream, read, parse, convert)
    except _errors():
        raise _Fallback from None
    if table.num_rows:
        yield _frame(table.to_batches(), 0)


def _chunks(
    path: Path, encoding: str, sep: str, columns: list[str], chunksize: int, block: int
) -> Iterator[pd.DataFrame]:
    import pyarrow as pa
    import pyarrow.csv as pcsv

    read, parse, convert = _options(encoding, sep, columns, block)
    errors = _errors()
    try:
        stream = pa.input_stream(str(path), compression="detect")
        reader = pcsv.open_csv(stream, read, parse, convert)
    except errors:
        raise _Fallback from None
    start, pending, rows = 0, [], 0
    try:
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                break
            except errors:
                raise _Fallback from None
            pending.append(batch)
            rows += batch.num_rows
            if rows >= chunksize:
                yield _frame(pending, start)
                start, pending, rows = start + rows, [], 0
        if pending:
            yield _frame(pending, start)
    finally:
        reader.close()


def _frame(batches: list, start: int) -> pd.DataFrame:
    """The rows of ``batches`` as text columns, blank rows dropped, ``_line`` = position."""
    import pyarrow as pa
    import pyarrow.compute as pc

    table = pa.Table.from_batches(batches)
    filled = None
    for col in table.columns:
        ne = pc.not_equal(col, "")
        filled = ne if filled is None else pc.or_(filled, ne)
        if pc.all(filled).as_py():  # no row can be blank any more
            break
    df = table.to_pandas()
    df["_line"] = np.arange(start, start + len(df), dtype=np.int64)
    if filled is None:
        return df.iloc[:0]
    keep = filled.to_numpy(zero_copy_only=False)
    return df if keep.all() else df.loc[keep]
