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

_ISO = r"^\d{4}-\d{2}-\d{2}$"
_DMY = r"^\d{2}/\d{2}/\d{4}$"


def fast_dates(arr, dayfirst: bool, years: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Dates of the cells of ``arr`` (Arrow text) written the plain ISO or French way.

    Returns ``(dates, done)``: datetime64[ns] (NaT where not done) and the mask of the
    cells read here; the others (other spellings, impossible days, years outside
    ``years``) are for the careful parser.
    """
    import pyarrow.compute as pc

    n = len(arr)
    dates = np.full(n, np.datetime64("NaT", "ns"))
    done = np.zeros(n, dtype=bool)
    # (pattern, where the year, month and day start in the ten characters)
    day, month = (0, 3) if dayfirst else (3, 0)
    for pattern, (y, m, d) in ((_ISO, (0, 5, 8)), (_DMY, (6, month, day))):
        match = pc.fill_null(pc.match_substring_regex(arr, pattern), False)
        at = np.flatnonzero(match.to_numpy(zero_copy_only=False))
        if not len(at):
            continue
        cells = pc.filter(arr, match)

        def part(start: int, width: int, cells=cells) -> np.ndarray:
            piece = pc.utf8_slice_codeunits(cells, start, start + width)
            return pc.cast(piece, "int64").to_numpy(zero_copy_only=False)

        year, mon, mday = part(y, 4), part(m, 2), part(d, 2)
        ok = (year >= years[0]) & (year <= years[1]) & (mon >= 1) & (mon <= 12) & (mday >= 1)
        first = (year - 1970).astype("datetime64[Y]").astype("datetime64[M]") + (mon - 1)
        value = first.astype("datetime64[D]") + (mday - 1)
        ok &= value.astype("datetime64[M]") == first  # the day exists in that month
        dates[at[ok]] = value[ok].astype("datetime64[ns]")
        done[at[ok]] = True
    return dates, done
