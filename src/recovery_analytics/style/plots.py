"""Figure set-up shared by every stage's plots: euro and percent tick formatters, new axes."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from recovery_analytics.style._format import format_eur, format_pct

__all__ = [
    "ensure_axes",
    "eur_formatter",
    "pct_formatter",
]


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
