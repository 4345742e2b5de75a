"""Vectorised parsers for French exports (used by ``_io``, ``_rows``, ``_mapping``).

Every parser takes a pandas Series as read (strings, or already typed values from
Parquet / SQL / Excel) and returns typed values plus a boolean mask of values that
were present but could not be parsed. Work is done with pandas string methods on
whole columns, or on the column's distinct values (dates, codes) then mapped back.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

__all__: list[str] = []

#: Spaces used as thousands separators in French exports (incl. U+00A0, U+202F, U+2009).
_SPACES = r"[\s\u00a0\u202f\u2009']"
_CURRENCY = r"[A-Z]{3}|€|\$|£"
_AMOUNT_RE = rf"^(?:{_CURRENCY})?[-+\u2212]?(?:{_CURRENCY})?\d[\d.,]*(?:{_CURRENCY})?$"
_NEGATIVE_RE = rf"^(?:{_CURRENCY})?[-\u2212]"
_NUMBER_RE = r"^(?:\d+|\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3})+)(?:[.,]\d+)?$"
#: Cells the fast path casts as they are (at most 15 digits each side: exact in float64).
_PLAIN_NUMBER = r"^-?\d{1,15}(?:\.\d{1,15})?$"
_PLAIN_INT = r"^-?\d{1,15}$"
_PLAIN_COMMA = r"^-?\d{1,15},\d{1,15}$"
_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP"}

_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_ISO_RE = rf"^(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}}){_TIME}$"
_DMY_RE = rf"^(?P<a>\d{{1,2}})[/.\-](?P<b>\d{{1,2}})[/.\-](?P<y>\d{{4}}|\d{{2}}){_TIME}$"
_COMPACT_RE = r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"
#: Dates outside this range of years are rejected (and would not fit datetime64[ns]).
_YEAR_RANGE = (1900, 2199)

_TRUE = ("oui", "o", "vrai", "v", "true", "t", "yes", "y", "1", "1.0", "x")
_FALSE = ("non", "n", "faux", "f", "false", "no", "0", "0.0")


def norm_name(name: object) -> str:
    """Normalise a column name: no BOM, accents or surrounding spaces, lower case.

    >>> norm_name("\\ufeff Date d'échéance ")
    "date_d'echeance"
    """
    text = unicodedata.normalize("NFKD", str(name).replace("\ufeff", "").strip())
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return "_".join(text.replace("-", " ").split())


def norm_key(s: pd.Series) -> pd.Series:
    """Normalise code values for matching: accents removed, case-folded, spaces collapsed."""
    s = s.astype("str").str.normalize("NFKD").str.replace(r"[\u0300-\u036f]", "", regex=True)
    return s.str.casefold().str.replace(r"[\s_\-]+", " ", regex=True).str.strip()


def arrow_text(s: pd.Series):
    """A text column as an Arrow ``large_string`` array (no copy when pandas holds it in Arrow)."""
    import pyarrow as pa

    try:
        arr = pa.array(s.array)
    except (pa.ArrowException, TypeError):  # e.g. an empty column pandas holds as Arrow null
        return pa.array(s.to_numpy(dtype=object, na_value=None), type=pa.large_string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if not pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.large_string())
    return arr


def text_bytes(s: pd.Series) -> list[np.ndarray] | None:
    """The UTF-8 bytes of a text column, one numpy view per Arrow chunk (no copy).

    None when pandas does not hold the column in Arrow (then callers check cell by
    cell). The bytes are those of the cells (a few stray bytes of missing cells
    may be included): a byte absent from them is absent from every cell.
    """
    import pyarrow as pa

    data = getattr(s.array, "_pa_array", None)
    if data is None:
        return None
    out = []
    for chunk in data.chunks if isinstance(data, pa.ChunkedArray) else [data]:
        kind = chunk.type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            return None
        if len(chunk) == 0:
            continue
        _, offsets, values = chunk.buffers()
        width = np.int64 if pa.types.is_large_string(kind) else np.int32
        bounds = np.frombuffer(offsets, dtype=width)[[chunk.offset, chunk.offset + len(chunk)]]
        if values is not None and bounds[1] > bounds[0]:
            out.append(np.frombuffer(values, dtype=np.uint8)[bounds[0] : bounds[1]])
    return out


def has_byte(s: pd.Series, test) -> bool:
    """False when no byte of the text column passes ``test`` (vectorised on its bytes).

    True when one does, or when the column is not held by Arrow: check the cells then.
    """
    parts = text_bytes(s)
    return parts is None or any(bool(test(b).any()) for b in parts)


def contains_nul(s: pd.Series) -> pd.Series:
    """Mask of text cells holding a NUL character; one pass over the bytes when there is none."""
    if not has_byte(s, lambda b: b == 0):
        return pd.Series(False, index=s.index)
    return s.str.contains("\x00", regex=False).fillna(False).astype(bool)


def factorize(s: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """``pd.factorize`` (codes in order of first appearance, -1 for missing), by Arrow for text.

    >>> codes, uniques = factorize(pd.Series(["b", "a", None, "b"], dtype="str"))
    >>> codes.tolist(), uniques.tolist()
    ([0, 1, -1, 0], ['b', 'a'])
    """
    if s.dtype != "str":
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        return codes, pd.Series(uniques)
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = arrow_text(s)
    encoded = pc.dictionary_encode(pa.chunked_array([arr])).combine_chunks()
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.intp)
    return codes, pd.Series(encoded.dictionary.to_pandas().array)


def map_uniques(s: pd.Series, func, dtype: str = "str") -> pd.Series:
    """Apply a vectorised ``func`` to the distinct values of ``s`` and map the result back.

    Missing values stay missing (NaN / NaT, or False for ``dtype="bool"``).
    """
    codes, uniques = factorize(s)
    result = pd.Series(func(pd.Series(uniques.array, dtype="str")), dtype=dtype)
    if dtype == "str" and len(result):  # Arrow takes the text: no Python string per row
        import pyarrow as pa
        import pyarrow.compute as pc

        text = pa.array(result.to_numpy(dtype=object, na_value=None), type=pa.large_string())
        taken = pc.take(text, pa.array(codes, mask=codes < 0))
        return pd.Series(taken.to_pandas().array, index=s.index)
    result = result.to_numpy()
    missing = codes < 0
    if len(result) == 0:
        result = pd.Series([None], dtype=dtype).to_numpy()
    taken = result[np.where(missing, 0, codes)]
    out = pd.Series(taken, index=s.index, dtype=dtype)
    return out if dtype == "bool" else out.mask(missing)


def isin(s: pd.Series, values) -> np.ndarray:
    """Fast ``s.isin(values)`` for string columns (Arrow hash join; missing -> False)."""
    import pyarrow.compute as pc

    left = arrow_text(pd.Series(s, dtype="str"))
    right = arrow_text(pd.Series(np.asarray(values, dtype=object), dtype="str"))
    return pc.is_in(left, value_set=right, skip_nulls=True).to_numpy(zero_copy_only=False)


def index_in(s: pd.Series, values: pd.Series) -> np.ndarray:
    """Position of each value of ``s`` in ``values`` (first one), -1 when absent or missing."""
    import pyarrow.compute as pc

    left = arrow_text(pd.Series(s, dtype="str"))
    right = arrow_text(pd.Series(values, dtype="str"))
    pos = pc.index_in(left, value_set=right, skip_nulls=True)
    return pos.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def norm_scalar(value: object) -> str:
    """:func:`norm_key` for one value (used to build alias tables)."""
    return str(norm_key(pd.Series([str(value)])).iloc[0])


def clean_text(s: pd.Series) -> pd.Series:
    """Return a pandas ``str`` Series, stripped, with empty cells as missing."""
    if s.dtype.kind == "f" and s.notna().any():
        finite = s.dropna()
        if (finite == np.round(finite)).all():  # integer ids read as floats (NaN present)
            s = s.astype("Int64")
    s = s.astype("str")
    if has_byte(s, _not_visible_ascii):  # a column of visible ASCII has nothing to strip
        s = s.str.strip()
    return s.mask(s == "")


def _not_visible_ascii(b: np.ndarray) -> np.ndarray:
    return (b < 0x21) | (b > 0x7E)


def as_read(s: pd.Series) -> pd.Series:
    """The values as a person would read them in the source (for the quarantine)."""
    return s.astype("str").fillna("")


def parse_amount(
    s: pd.Series, decimal: str | None = None
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse amounts written the French or the English way.

    Returns ``(values, currency, bad)``: float64 values (NaN when missing or
    invalid), the currency written next to the amount (``EUR`` for ``€``; NA if
    none) and a mask of present values that are not numbers. With both ``.``
    and ``,`` the last one is the decimal separator; a lone ``,`` is decimal
    (thousands if ``decimal="."``); a lone ``.`` is decimal (thousands if
    ``decimal=","`` or repeated).

    >>> v, cur, bad = parse_amount(pd.Series(["1 234,56 €", "EUR 1.234,56", "-12.5", "x"]))
    >>> v.tolist(), cur.tolist(), bad.tolist()
    ([1234.56, 1234.56, -12.5, nan], ['EUR', 'EUR', nan, nan], [False, False, False, True])
    """
    if s.dtype.kind in "iuf":
        no_currency = pd.Series(np.nan, index=s.index, dtype="str")
        return s.astype("float64"), no_currency, pd.Series(False, index=s.index)
    text = clean_text(s)
    plain = _plain_numbers(text, decimal)
    if plain is not None:
        values, rest = plain
        currency = np.full(len(text), np.nan, dtype=object)
        bad = np.zeros(len(text), dtype=bool)
        if rest.any():  # only the cells the fast path cannot read go the French way
            at = np.flatnonzero(rest)
            v, c, b = _parse_amount_text(text.iloc[at], decimal)
            values.iloc[at] = v.to_numpy()
            currency[at] = c.to_numpy(dtype=object, na_value=np.nan)
            bad[at] = b.to_numpy(dtype=bool)
        currency = pd.Series(currency, index=text.index, dtype="str")
        return values, currency, pd.Series(bad, index=text.index)
    return _parse_amount_text(text, decimal)


def _plain_numbers(text: pd.Series, decimal: str | None):
    """Cast the cells written as plain numbers (``-1234.5``) in one Arrow pass.

    Returns ``(values, rest)``: float64 values of the plain cells (NaN elsewhere)
    and a mask of the present cells left for the French parser; None when the
    column is not held by Arrow. A lone ``.`` is a decimal point unless
    ``decimal=","``, a lone ``,`` a decimal comma unless ``decimal="."`` (then
    they separate thousands: left to the French parser).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arr = pa.array(text.array)
    except (TypeError, pa.ArrowException):
        return None
    if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
        return None
    pattern = _PLAIN_INT if decimal == "," else _PLAIN_NUMBER
    plain = pc.fill_null(pc.match_substring_regex(arr, pattern), False)
    if decimal != ".":  # a lone decimal comma: 1234,56 (the French way)
        comma = pc.fill_null(pc.match_substring_regex(arr, _PLAIN_COMMA), False)
        if pc.any(comma).as_py():
            arr = pc.if_else(comma, pc.replace_substring(arr, ",", "."), arr)
            plain = pc.or_(plain, comma)
    values = pc.cast(pc.if_else(plain, arr, None), pa.float64())
    out = pd.Series(values.to_numpy(zero_copy_only=False), index=text.index, dtype="float64")
    rest = text.notna().to_numpy() & ~plain.to_numpy(zero_copy_only=False)
    return out, rest


def _parse_amount_text(text: pd.Series, decimal: str | None):
    """The French slow path of :func:`parse_amount` on cleaned text."""
    compact = text.str.replace(_SPACES, "", regex=True).str.upper()
    num = compact.str.replace(r"[^\d.,]", "", regex=True)
    ok = (compact.str.fullmatch(_AMOUNT_RE) & num.str.fullmatch(_NUMBER_RE)).fillna(False)
    num = num.where(ok.astype(bool))
    has_c, has_d = num.str.contains(",", regex=False), num.str.contains(".", regex=False)
    comma_last = num.str.contains(r",\d*$")
    both, only_c, only_d = has_c & has_d, has_c & ~has_d, has_d & ~has_c
    c_thousands = only_c & ((decimal == ".") | (num.str.count(",") > 1))
    d_thousands = only_d & ((decimal == ",") | (num.str.count(r"\.") > 1))
    drop_dot = ((both & comma_last) | d_thousands).fillna(False).astype(bool)
    drop_comma = ((both & ~comma_last) | c_thousands).fillna(False).astype(bool)
    num = num.mask(drop_dot, num.str.replace(".", "", regex=False))
    num = num.mask(drop_comma, num.str.replace(",", "", regex=False))
    values = pd.to_numeric(num.str.replace(",", ".", regex=False), errors="coerce")
    values = values.astype("float64")
    negative = compact.str.contains(_NEGATIVE_RE).fillna(False).astype(bool)
    values = values.where(~negative, -values)
    letters = compact.where(ok.astype(bool)).str.replace(r"[\d.,+\-\u2212]", "", regex=True)
    currency = map_uniques(letters.mask(letters == ""), lambda u: u.replace(_SYMBOLS))
    bad = text.notna() & values.isna()
    return values, currency, bad


def _dates_on_uniques(s: pd.Series, dayfirst: bool) -> pd.Series:
    """Parse the distinct values of ``s`` once, then map the dates back."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    if len(uniques) == 0:
        return pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    parsed = _dates_from_text(pd.Series(uniques, dtype="str"), dayfirst).to_numpy()
    taken = np.where(codes >= 0, parsed[np.maximum(codes, 0)], np.datetime64("NaT", "ns"))
    return pd.Series(taken, index=s.index, dtype="datetime64[ns]")


def _dates_from_text(u: pd.Series, dayfirst: bool) -> pd.Series:
    iso = u.str.extract(_ISO_RE)
    dmy = u.str.extract(_DMY_RE)
    compact = u.str.extract(_COMPACT_RE)
    day, month = (dmy["a"], dmy["b"]) if dayfirst else (dmy["b"], dmy["a"])
    y2 = dmy["y"].str.len() == 2
    yy = pd.to_numeric(dmy["y"], errors="coerce")
    dmy_year = yy.where(~y2, np.where(yy < 70, 2000 + yy, 1900 + yy))
    year = pd.to_numeric(iso["y"], errors="coerce").fillna(dmy_year)
    year = year.fillna(pd.to_numeric(compact["y"], errors="coerce"))
    month = pd.to_numeric(iso["m"].fillna(month).fillna(compact["m"]), errors="coerce")
    day = pd.to_numeric(iso["d"].fillna(day).fillna(compact["d"]), errors="coerce")
    in_range = year.between(*_YEAR_RANGE)
    text = (
        year.where(in_range).astype("Int64").astype("str")
        + "-"
        + month.astype("Int64").astype("str").str.zfill(2)
        + "-"
        + day.astype("Int64").astype("str").str.zfill(2)
    )
    return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").astype("datetime64[ns]")


def parse_date(s: pd.Series, dayfirst: bool = True) -> tuple[pd.Series, pd.Series]:
    """Parse dates: dd/mm/yyyy (also ``-`` and ``.``), ISO dates and datetimes, yyyymmdd.

    Returns ``(dates, bad)``: datetime64[ns] normalised to midnight (NaT when
    missing or invalid) and a mask of present values that are not valid dates.
    Real datetime values (Excel, Parquet, SQL) are kept as they are.

    >>> d, bad = parse_date(pd.Series(["17/03/2026", "2026-03-17T10:00:00", "31/02/2026", None]))
    >>> d.dt.strftime("%Y-%m-%d").tolist(), bad.tolist()
    (['2026-03-17', '2026-03-17', nan, nan], [False, False, True, False])
    """
    if s.dtype.kind == "M":
        if getattr(s.dt, "tz", None) is not None:  # the day in France, not in UTC
            s = s.dt.tz_convert("Europe/Paris").dt.tz_localize(None)
        years = s.dt.year
        bad = s.notna() & ~years.between(*_YEAR_RANGE)
        return s.where(~bad).dt.normalize().astype("datetime64[ns]"), bad
    import pyarrow.compute as pc

    from recovery_analytics.portfolio._fast_dates import fast_dates

    text = clean_text(s)
    # a date column holds a few thousand distinct days: parse each once, then take
    encoded = pc.dictionary_encode(arrow_text(text))
    code = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.intp)
    day_values, day_done = fast_dates(encoded.dictionary, dayfirst, _YEAR_RANGE)
    # a missing cell (code -1) takes the last entry: NaT, not done
    values = np.append(day_values, np.datetime64("NaT", "ns"))[code]
    done = np.append(day_done, False)[code]
    rest = text.notna().to_numpy() & ~done
    if rest.any():  # other spellings, impossible days: the careful parser, on distinct values
        at = np.flatnonzero(rest)
        values[at] = _dates_on_uniques(text.iloc[at], dayfirst).to_numpy()
    dates = pd.Series(values, index=text.index, dtype="datetime64[ns]")
    return dates, text.notna() & dates.isna()


def parse_bool(s: pd.Series, default: bool = False) -> tuple[pd.Series, pd.Series]:
    """Parse yes/no values (oui/non, o/n, vrai/faux, true/false, yes/no, 1/0, x/empty).

    >>> v, bad = parse_bool(pd.Series(["Oui", "non", "X", None, "peut-être"]))
    >>> v.tolist(), bad.tolist()
    ([True, False, True, False, False], [False, False, False, False, True])
    """
    if s.dtype.kind == "b":
        return s.astype("bool"), pd.Series(False, index=s.index)
    if s.dtype.kind in "iuf":
        s = s.astype("str")
    key = map_uniques(clean_text(s), norm_key)
    bad = key.notna() & key.isin(_TRUE + _FALSE).eq(False)
    values = key.isin(_TRUE) | (key.isna() & default)
    return values.astype("bool"), bad


def recode(s: pd.Series, table: dict[str, object]) -> pd.Series:
    """Replace values whose normalised form (see :func:`norm_key`) is a key of ``table``.

    Values not in the table are kept as they are (stripped).

    >>> recode(pd.Series(["Règlement ", "payment", "other"]), {"reglement": "payment"}).tolist()
    ['payment', 'payment', 'other']
    """
    text = clean_text(s)
    if not table:
        return text
    mapped = map_uniques(text, lambda u: norm_key(u).map(table).astype("str"))
    return mapped.fillna(text).astype("str")
