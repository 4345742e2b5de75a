"""Which cells are plain numbers (``-1234.5``, ``1234,56``), decided on their UTF-8 bytes.

Private helper of ``_parse._plain_numbers``. A cell of at most 15 bytes is looked at
with numpy (digits, at most one ``-`` in front, at most one separator between two
digits): no regular expression per cell. A cell it does not accept is left to the
regular expressions ``_PLAIN_NUMBER`` / ``_PLAIN_INT`` / ``_PLAIN_COMMA`` of
``_parse``, so the result is exactly theirs: what is accepted here is a subset of
what they accept.
"""

from __future__ import annotations

import numpy as np

__all__: list[str] = []

_WIDTH = 15  # a cell this short has at most 15 digits on each side: exact in float64


def short_plain(arr, decimal: str | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(point, comma, decided)`` masks over the cells of ``arr`` (Arrow text, one chunk).

    ``point``: ``-?digits(.digits)?`` (no ``.`` when ``decimal=","``); ``comma``:
    ``-?digits,digits``; ``decided``: the cells whose answer is final (null cells and
    the cells accepted here); the others go to the regular expressions.
    """
    import pyarrow as pa

    n = len(arr)
    point, comma = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    valid = arr.is_valid().to_numpy(zero_copy_only=False)
    _, offsets, data = arr.buffers()
    if n == 0 or data is None:
        return point, comma, ~valid
    width = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    off = np.frombuffer(offsets, dtype=width)[arr.offset : arr.offset + n + 1].astype(np.int64)
    length = np.diff(off)
    at = np.flatnonzero(valid & (length >= 1) & (length <= _WIDTH))
    if len(at):
        raw = np.frombuffer(data, dtype=np.uint8)
        size = length[at][:, None]
        inside = np.arange(_WIDTH) < size
        cells = raw[np.minimum(off[at][:, None] + np.arange(_WIDTH), len(raw) - 1)]
        digit = (cells >= ord("0")) & (cells <= ord("9")) & inside
        minus = (cells == ord("-")) & inside
        dots, commas = (cells == ord(".")) & inside, (cells == ord(",")) & inside
        shape = (digit | minus | dots | commas | ~inside).all(axis=1)
        shape &= ~minus[:, 1:].any(axis=1)  # a minus sign only in front
        shape &= digit[:, 0] | (minus[:, 0] & digit[:, 1])  # a digit first
        shape &= digit[np.arange(len(at)), length[at] - 1]  # and last
        # a separator between two digits: the byte before it is a digit (after is by the
        # rule of one separator at most and a digit last)
        before = np.zeros_like(digit)
        before[:, 1:] = digit[:, :-1]
        n_dots, n_commas = dots.sum(axis=1), commas.sum(axis=1)
        shape &= ~((dots | commas) & ~before).any(axis=1)
        max_dots = 0 if decimal == "," else 1
        point[at] = shape & (n_commas == 0) & (n_dots <= max_dots)
        if decimal != ".":
            comma[at] = shape & (n_commas == 1) & (n_dots == 0)
    return point, comma, ~valid | point | comma
