"""Numbers written the French way: counts, euros and percentages.

Amounts are written ``12 345 €``, with a narrow no-break space (U+202F)
between thousands and a no-break space (U+00A0) before the euro and percent
signs. No matplotlib here: the tick formatters built on these are in
:mod:`recovery_analytics.style.plots`. Re-exported by :mod:`recovery_analytics.style`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "format_eur",
    "format_number",
    "format_pct",
]

_THOUSANDS = "\u202f"  # narrow no-break space
_BEFORE_UNIT = "\u00a0"  # no-break space


# --------------------------------------------------------------------------- numbers


def format_number(x: float | None, decimals: int = 0) -> str:
    """A number written the French way: ``12 345,6`` (narrow no-break spaces).

    NaN and None give ``"–"``, infinities ``"∞"`` and ``"-∞"``.

    Examples
    --------
    >>> format_number(1234567.891, 2).replace("\u202f", " ")
    '1 234 567,89'
    >>> format_number(float("nan")), format_number(float("-inf"))
    ('–', '-∞')
    """
    if x is None or pd.isna(x):
        return "–"
    x = float(x)
    if np.isinf(x):
        return "∞" if x > 0 else "-∞"
    return f"{x:,.{decimals}f}".replace(",", _THOUSANDS).replace(".", ",")


def format_eur(x: float | None, decimals: int = 0) -> str:
    """An amount in euros, written the French way.

    Parameters
    ----------
    x : float
        Amount in euros; NaN gives ``"–"``, an infinity ``"∞ €"``.
    decimals : int, default 0
        Digits after the decimal comma.

    Examples
    --------
    >>> format_eur(12345.4) == "12\u202f345\u00a0€"
    True
    >>> format_eur(-1234.5, decimals=2).replace("\u202f", " ").replace("\u00a0", " ")
    '-1 234,50 €'
    """
    text = format_number(x, decimals)
    return text if text == "–" else f"{text}{_BEFORE_UNIT}€"


def format_pct(x: float | None, decimals: int = 1) -> str:
    """A share in [0, 1] as a French percentage: ``12,5 %``; NaN gives ``"–"``.

    Examples
    --------
    >>> format_pct(0.125).replace("\u00a0", " "), format_pct(0.5, 0).replace("\u00a0", " ")
    ('12,5 %', '50 %')
    """
    text = format_number(None if x is None else 100 * float(x), decimals)
    return text if text == "–" else f"{text}{_BEFORE_UNIT}%"
