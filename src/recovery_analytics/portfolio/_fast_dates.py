"""The fast path of date parsing: ``yyyy-mm-dd`` and ``dd/mm/yyyy`` cells by whole columns.

Private helper of ``_parse.parse_date``. A cell written exactly ``2026-03-17`` or
``17/03/2026`` (two-digit day and month, four-digit year) is read with Arrow string
slices and numpy calendar arithmetic, no Python per cell; a day that does not
exist (``31/02/2026``) or a year outside the accepted range is left, like every
other spelling, to the careful parser, which gives it its reason. Both give the
same dates (``tests/test_fast_reader.py``).
"""

from __future__ import annotations

import numpy as np

__all__: list[str] = []

#: (separator positions, digit positions, where year / month / day start) of the ten bytes.
_ISO = ((4, 7), (0, 1, 2, 3, 5, 6, 8, 9), ord("-"))
_DMY = ((2, 5), (0, 1, 3, 4, 6, 7, 8, 9), ord("/"))


def _number(digits: np.ndarray, start: int, width: int) -> np.ndarray:
    out = np.zeros(len(digits), dtype=np.int64)
    for k in range(start, start + width):
        out = out * 10 + digits[:, k].astype(np.int64)
    return out


def fast_dates(arr, dayfirst: bool, years: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Dates of the cells of ``arr`` (Arrow text) written the plain ISO or French way.

    Returns ``(dates, done)``: datetime64[ns] (NaT where not done) and the mask of the
    cells read here; the others (other spellings, impossible days, years outside
    ``years``) are for the careful parser. Works on the UTF-8 bytes: a cell of ten
    bytes with its separators in place and ASCII digits elsewhere.
    """
    import pyarrow as pa

    n = len(arr)
    dates = np.full(n, np.datetime64("NaT", "ns"))
    done = np.zeros(n, dtype=bool)
    if not pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.large_string())
    _, offsets, data = arr.buffers()
    if n == 0 or data is None:
        return dates, done
    off = np.frombuffer(offsets, dtype=np.int64)[arr.offset : arr.offset + n + 1]
    ten = (np.diff(off) == 10) & arr.is_valid().to_numpy(zero_copy_only=False)
    at = np.flatnonzero(ten)
    if not len(at):
        return dates, done
    raw = np.frombuffer(data, dtype=np.uint8)
    if len(at) == n and off[-1] - off[0] == 10 * n:  # every cell: ten bytes, end to end
        cells = raw[off[0] : off[-1]].reshape(n, 10)
    else:
        cells = raw[off[at][:, None] + np.arange(10)]
    digits = cells - np.uint8(ord("0"))  # a byte below "0" wraps above 9
    is_digit = digits <= 9
    day, month = (0, 3) if dayfirst else (3, 0)
    for (seps, numbers, sep), (y, m, d) in ((_ISO, (0, 5, 8)), (_DMY, (6, month, day))):
        match = is_digit[:, list(numbers)].all(axis=1)
        for k in seps:
            match &= cells[:, k] == sep
        rows = np.flatnonzero(match)
        if not len(rows):
            continue
        year = _number(digits[rows], y, 4)
        mon, mday = _number(digits[rows], m, 2), _number(digits[rows], d, 2)
        ok = (year >= years[0]) & (year <= years[1]) & (mon >= 1) & (mon <= 12) & (mday >= 1)
        first = (year - 1970).astype("datetime64[Y]").astype("datetime64[M]") + (mon - 1)
        value = first.astype("datetime64[D]") + (mday - 1)
        ok &= value.astype("datetime64[M]") == first  # the day exists in that month
        dates[at[rows[ok]]] = value[ok].astype("datetime64[ns]")
        done[at[rows[ok]]] = True
    return dates, done
