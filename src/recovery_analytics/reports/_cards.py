"""Headline cards and saved figures as a report shows them."""

from __future__ import annotations

import html
import os
from collections.abc import Mapping, Sequence
from numbers import Integral
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from recovery_analytics.reports._tables import (
    _MISSING,
    _format_count,
    _format_date,
    _format_days,
    _format_text,
)
from recovery_analytics.style import (
    format_eur,
    format_pct,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "HtmlBlock",
    "headline_cards",
    "headline_table",
    "save_figure",
]


_HEADLINE_FORMATS = {
    "eur": format_eur,
    "count": _format_count,
    "pct": format_pct,
    "days": _format_days,
    "date": _format_date,
    "text": _format_text,
}


def headline_table(
    figures: Mapping[str, Any], *, kinds: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Headline figures as a two-column table of formatted strings.

    Parameters
    ----------
    figures : mapping
        Label -> value. By default an ``int`` is a count, a ``float`` an
        amount in euros, a date (``datetime.date``, ``Timestamp``) is written
        ``dd/mm/yyyy`` and a ``str`` is shown as given.
    kinds : mapping, optional
        Label -> ``"eur"``, ``"count"``, ``"pct"`` (a share in [0, 1]),
        ``"days"``, ``"date"`` or ``"text"`` to override the default.

    Returns
    -------
    pandas.DataFrame
        Columns ``figure, value`` (both str), in the order given.

    Examples
    --------
    >>> t = headline_table({"Outstanding": 12345.0, "Open claims": 42, "CEI": 0.5},
    ...                    kinds={"CEI": "pct"})
    >>> [v.replace("\\u202f", " ").replace("\\u00a0", " ") for v in t["value"]]
    ['12 345 €', '42', '50,0 %']
    """
    import datetime as dt

    kinds = dict(kinds or {})
    rows = []
    for label, value in figures.items():
        kind = kinds.get(label)
        if kind is None:
            if isinstance(value, str):
                kind = "text"
            elif isinstance(value, dt.date):
                kind = "date"
            elif isinstance(value, Integral) and not isinstance(value, bool):
                kind = "count"
            else:
                kind = "eur"
        if kind not in _HEADLINE_FORMATS:
            raise ValueError(
                f"unknown kind {kind!r} for {label!r}; use one of {sorted(_HEADLINE_FORMATS)}"
            )
        rows.append((str(label), _HEADLINE_FORMATS[kind](value)))
    return pd.DataFrame(rows, columns=["figure", "value"], dtype="str")


class HtmlBlock:
    """A piece of report shown as HTML in Jupyter and in the exported page.

    Parameters
    ----------
    html : str
        The markup (``_repr_html_`` returns it).
    data : pandas.DataFrame, optional
        The table it shows, for tests and reuse.
    """

    def __init__(self, html: str, data: pd.DataFrame | None = None):
        self.html = html
        self.data = data

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:  # text/plain in the notebook: the figures, not an address
        return "HtmlBlock()" if self.data is None else self.data.to_string(index=False)


_CARDS_CSS = (
    "<style>"
    ".ra-cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));"
    "gap:10px;margin:6px 0 14px 0;max-width:1000px}"
    ".ra-card{border:1px solid #d9dee3;border-left:4px solid #1f77b4;border-radius:4px;"
    "padding:8px 12px;background:#fafbfc}"
    ".ra-card.ra-alert{border-left-color:#c0504d}"
    ".ra-card-value{font-size:1.45em;font-weight:600;color:#1a1a1a;white-space:nowrap}"
    ".ra-card-label{font-size:0.9em;color:#555;margin-top:2px}"
    "</style>"
)


def headline_cards(
    figures: Mapping[str, Any],
    *,
    kinds: Mapping[str, str] | None = None,
    alerts: Sequence[str] = (),
) -> HtmlBlock:
    """Headline figures as a grid of cards: the value large, its label below.

    Parameters
    ----------
    figures, kinds
        As :func:`headline_table` (which formats the values).
    alerts : sequence of str
        Labels whose card is marked in red (something to act on); a zero,
        ``–`` or empty value is never marked.

    Returns
    -------
    HtmlBlock
        Self-contained HTML (inline CSS, escaped text); ``data`` is the
        :func:`headline_table`.

    Examples
    --------
    >>> cards = headline_cards({"Encours ouvert": 12345.0, "Alertes": 2}, alerts=["Alertes"])
    >>> cards.data["value"].str.replace("\\u202f", " ").tolist()
    ['12 345\\xa0€', '2']
    >>> cards._repr_html_().count('"ra-card-value"'), "ra-alert" in cards._repr_html_()
    (2, True)
    """
    table = headline_table(figures, kinds=kinds)
    marked = set(alerts)
    cards = []
    for label, value in table.itertuples(index=False):  # a handful of figures, not the portfolio
        alert = label in marked and value not in ("0", _MISSING, "", "0\u00a0€")
        cls = "ra-card ra-alert" if alert else "ra-card"
        cards.append(
            f'<div class="{cls}"><div class="ra-card-value">{html.escape(value)}</div>'
            f'<div class="ra-card-label">{html.escape(label)}</div></div>'
        )
    return HtmlBlock(_CARDS_CSS + '<div class="ra-cards">' + "".join(cards) + "</div>", table)


def save_figure(
    fig: Figure | Any,
    out_dir: str | os.PathLike[str],
    name: str,
    *,
    dpi: int = 110,
    show: bool = True,
) -> Path:
    """Write a figure as ``out_dir/name.png``, close it, and show that same PNG.

    The figure is rendered once: the notebook (and so the HTML report)
    displays the file that was written, so they cannot differ.

    Parameters
    ----------
    fig : matplotlib.figure.Figure or Axes
        The figure (an ``Axes`` stands for its figure).
    out_dir : path-like
        Folder of the file (created if needed).
    name : str
        File name without the ``.png``.
    dpi : int, default 110
    show : bool, default True
        Display the PNG in the running notebook (needs IPython; nothing is
        shown outside a kernel).

    Returns
    -------
    pathlib.Path
        The PNG written.

    Examples
    --------
    >>> import tempfile, matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(2, 2))
    >>> path = save_figure(fig, tempfile.mkdtemp(), "empty", show=False)
    >>> path.name, path.stat().st_size > 0, plt.fignum_exists(fig.number)
    ('empty.png', True, False)
    """
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes

    figure = fig.figure if isinstance(fig, Axes) else fig
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    from recovery_analytics.portfolio import atomic_path

    with atomic_path(path) as tmp:
        figure.savefig(tmp, dpi=dpi, bbox_inches="tight", format="png")
    plt.close(figure)
    if show:
        try:
            from IPython import get_ipython
            from IPython.display import Image, display
        except ImportError:  # pragma: no cover - IPython comes with the lab extra
            return path
        if get_ipython() is not None:
            display(Image(filename=path))
    return path
