"""Numbers written the French way, their tick formatters, and the figure set-up.

Amounts are written ``12 345 €``, with a narrow no-break space (U+202F)
between thousands and a no-break space (U+00A0) before the euro and percent
signs. Re-exported by :mod:`recovery_analytics.plots`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

__all__ = [
    "ensure_axes",
    "eur_formatter",
    "format_eur",
    "format_number",
    "format_pct",
    "pct_formatter",
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


def eur_formatter(decimals: int = 0) -> FuncFormatter:
    """A matplotlib tick formatter writing euros with :func:`format_eur`.

    Examples
    --------
    >>> eur_formatter()(1500, 0) == "1\u202f500\u00a0€"
    True
    """
    return FuncFormatter(lambda x, _pos: format_eur(x, decimals))


def pct_formatter(decimals: int = 0) -> FuncFormatter:
    """A matplotlib tick formatter writing shares with :func:`format_pct`.

    Examples
    --------
    >>> pct_formatter()(0.25, 0) == "25\u00a0%"
    True
    """
    return FuncFormatter(lambda x, _pos: format_pct(x, decimals))


def ensure_axes(ax: Axes | None = None, figsize: tuple[float, float] = (8.0, 5.0)) -> Axes:
    """``ax`` itself, or the Axes of a new figure of ``figsize`` inches.

    Examples
    --------
    >>> ax = ensure_axes(figsize=(4, 3))
    >>> ensure_axes(ax) is ax, ax.figure.get_size_inches().tolist()
    (True, [4.0, 3.0])
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize)
    return ax
