"""Tables, headline cards and figures as a report shows them (used by :mod:`.reports`).

One set of display conventions for every notebook:

* no pandas index; headers in French from :func:`~recovery_analytics.plots.column_label`
  (capitalised), overridable per column;
* euros the French way (``12 345 €``) for ``*_eur`` columns, shares as
  ``12,5 %`` (``share*``, ``*_share``, ``*_rate``, ``p_*``, ``cei``), day
  counts rounded (``days``, ``*_days``, ``days_*``), integers grouped by
  thousands, dates ``dd/mm/yyyy``, booleans ``oui``/``non``, missing values
  ``–``;
* route, work-order and letter-channel codes in plain French
  (``injonction_de_payer`` -> ``injonction de payer``, ``registered_letter`` ->
  ``lettre recommandée AR``);
* numbers right-aligned, text left-aligned.

The public names are re-exported by :mod:`recovery_analytics.reports`.
"""

from __future__ import annotations

import hashlib
import html
import os
from collections.abc import Mapping, Sequence
from numbers import Integral
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from recovery_analytics._labels import CHANNEL_LABELS
from recovery_analytics.plots import (
    ROUTE_LABELS_FR,
    STRATEGY_LABELS_FR,
    column_label,
    format_eur,
    format_number,
    format_pct,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from pandas.io.formats.style import Styler

__all__ = [
    "HtmlBlock",
    "display_table",
    "format_table",
    "headline_cards",
    "headline_table",
    "save_figure",
]

_NBSP = "\u00a0"  # before a unit
_MISSING = "–"
#: Codes shown in plain French, by column name.
_VALUE_NAMES: dict[str, Mapping[str, str]] = {
    "route": ROUTE_LABELS_FR,
    "recommended_route": ROUTE_LABELS_FR,
    "judicial_route": ROUTE_LABELS_FR,
    "strategy": STRATEGY_LABELS_FR,
    "indicator": {  # analytics.dispute_promise_summary
        "open_disputes": "litiges ouverts",
        "promises_made": "promesses faites",
        "promises_kept": "promesses tenues",
        "promises_broken": "promesses non tenues",
        "promises_pending": "promesses en cours",
    },
    # the call queue: letter channels (exports), backtest work orders, uplift age buckets
    "channel": {code: fr for code, (fr, _) in CHANNEL_LABELS.items()},
    "policy": {"queue": "file d'appels"} | STRATEGY_LABELS_FR,
    "age_bucket": {"all": "tous"},
}
_RIGHT = frozenset({"eur", "pct", "count", "days", "number", "date"})


# --------------------------------------------------------------------------- cell formats


def _format_count(value: Any) -> str:
    """A count with French thousands separators: ``12 345``; NaN gives ``–``.

    Examples
    --------
    >>> _format_count(12345).replace("\\u202f", " "), _format_count(None)
    ('12 345', '–')
    """
    return format_number(value if value is None or pd.isna(value) else round(float(value)))


def _format_days(value: Any) -> str:
    text = _format_count(value)
    return text if text == _MISSING else f"{text}{_NBSP}jours"


def _format_date(value: Any) -> str:
    return _MISSING if value is None or pd.isna(value) else f"{pd.Timestamp(value):%d/%m/%Y}"


def _format_text(value: Any) -> str:
    return _MISSING if value is None or (np.ndim(value) == 0 and pd.isna(value)) else str(value)


def _is_pct_name(name: str) -> bool:
    return name.startswith(("share", "p_")) or name.endswith(("_share", "_rate")) or name == "cei"


def _is_days_name(name: str) -> bool:
    return name == "days" or name.startswith("days_") or name.endswith("_days")


def _column_kind(name: str, values: pd.Series) -> str:
    """How a column is written when nothing is said: see the module docstring."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return "date"
    if pd.api.types.is_bool_dtype(values):
        return "bool"
    if not pd.api.types.is_numeric_dtype(values):
        return "text"
    if name.endswith("_eur"):
        return "eur"
    if _is_pct_name(name):
        return "pct"
    if _is_days_name(name):
        return "count"
    if pd.api.types.is_integer_dtype(values):
        return "count"
    return "number"


def _formatted(
    table: pd.DataFrame, kinds: Mapping[str, str], decimals: Mapping[str, int]
) -> pd.DataFrame:
    """Every column of ``table`` as strings, by kind (``text`` columns get their French names)."""
    out = pd.DataFrame(index=table.index)
    for col in table.columns:
        values, kind = table[col], kinds[col]
        places = decimals.get(col, {"eur": 0, "pct": 1}.get(kind, 2))
        if kind == "eur":
            text = values.map(lambda v, d=places: format_eur(v, d))
        elif kind == "pct":
            text = values.map(lambda v, d=places: format_pct(v, d))
        elif kind == "count":
            text = values.map(_format_count)
        elif kind == "days":
            text = values.map(_format_days)
        elif kind == "number":
            text = values.map(lambda v, d=places: format_number(v, d))
        elif kind == "date":
            text = pd.to_datetime(values).map(_format_date)
        elif kind == "bool":
            text = values.map(lambda v: _MISSING if pd.isna(v) else ("oui" if v else "non"))
        else:
            names = _VALUE_NAMES.get(str(col), {})
            text = values.map(lambda v, n=names: n.get(v, v) if isinstance(v, str) else v)
            text = text.map(_format_text)
        out[col] = text.astype("str")
    return out


def format_table(
    table: pd.DataFrame,
    *,
    eur: Sequence[str] | None = None,
    pct: Sequence[str] | None = None,
    counts: Sequence[str] = (),
) -> pd.DataFrame:
    """A copy of a table with numbers formatted for people (for display only).

    Euros the French way (``12 345 €``), shares as ``12,5 %``, counts with
    thousands separators, dates as ``dd/mm/yyyy`` (a missing date as ``–``);
    other columns unchanged. :func:`display_table` goes further (headers,
    every column, no index) and is what the notebooks show.

    Parameters
    ----------
    table : pandas.DataFrame
    eur : sequence of str, optional
        Amount columns; default: the columns whose name ends in ``_eur``.
    pct : sequence of str, optional
        Share columns (values in [0, 1]); default: the columns named
        ``share*``, ``*_share``, ``*_rate`` or ``cei``.
    counts : sequence of str
        Integer columns to group by thousands.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"outstanding_eur": [1234.5], "share": [0.25],
    ...                   "due_date": pd.to_datetime(["2026-06-30"])})
    >>> out = format_table(t)
    >>> [v.replace("\\u202f", " ").replace("\\u00a0", " ") for v in out.iloc[0]]
    ['1 234 €', '25,0 %', '30/06/2026']
    """
    names = [str(c) for c in table.columns]
    eur = [c for c in names if c.endswith("_eur")] if eur is None else list(eur)
    if pct is None:
        pct = [c for c in names if c.startswith("share") or c.endswith(("_share", "_rate"))]
        pct += [c for c in names if c == "cei"]
    kinds = dict.fromkeys(eur, "eur") | dict.fromkeys(pct, "pct") | dict.fromkeys(counts, "count")
    kinds |= {c: "date" for c in table.columns if pd.api.types.is_datetime64_any_dtype(table[c])}
    out = table.copy()
    if kinds:
        out[list(kinds)] = _formatted(table[list(kinds)], kinds, {})
    return out


def display_table(
    table: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    eur: Sequence[str] = (),
    pct: Sequence[str] = (),
    counts: Sequence[str] = (),
    days: Sequence[str] = (),
    decimals: Mapping[str, int] | None = None,
    caption: str | None = None,
) -> Styler:
    """A table as a report shows it: no index, French headers, French numbers.

    Every column is written by its name and dtype (module docstring); the
    keyword lists override that for the columns they name. The result is a
    pandas ``Styler``: displayed as HTML in Jupyter and in the exported
    report, its ``data`` is the table of strings that is shown.

    Parameters
    ----------
    table : pandas.DataFrame
    columns : sequence of str, optional
        Columns shown, in that order (default: all).
    labels : mapping, optional
        Column -> header; default :func:`~recovery_analytics.plots.column_label`,
        capitalised (a column named by a route code: the route's French name).
    eur, pct, counts : sequence of str
        Columns written as euros, as percentages (a share in [0, 1]) or as
        counts, whatever their name.
    days : sequence of str
        Columns written as ``12 jours``.
    decimals : mapping, optional
        Column -> decimals (euros 0, percentages 1, other floats 2).
    caption : str, optional
        A line above the table.

    Returns
    -------
    pandas.io.formats.style.Styler

    Raises
    ------
    ValueError
        Two columns shown under the same header.

    Examples
    --------
    >>> t = pd.DataFrame({"claim_id": ["F1"], "outstanding_eur": [1234.5],
    ...     "share_of_segment": [0.25], "recommended_route": ["injonction_de_payer"],
    ...     "due_date": pd.to_datetime(["2026-06-30"]), "disputed": [False]})
    >>> shown = display_table(t).data
    >>> list(shown.columns)
    ['Créance', 'Encours', 'Part du segment', 'Route recommandée', 'Échéance', 'En litige']
    >>> [v.replace("\\u202f", " ").replace("\\u00a0", " ") for v in shown.iloc[0]]
    ['F1', '1 234 €', '25,0 %', 'injonction de payer', '30/06/2026', 'non']
    """
    labels = dict(labels or {})
    columns = list(table.columns if columns is None else columns)
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise KeyError(f"columns not in the table: {missing}")
    data = table[columns]
    kinds = {c: _column_kind(str(c), data[c]) for c in columns}
    for names, kind in ((eur, "eur"), (pct, "pct"), (counts, "count"), (days, "days")):
        kinds |= {c: kind for c in names if c in kinds}
    shown = _formatted(data, kinds, dict(decimals or {})).reset_index(drop=True)
    headers = [labels.get(c, _header(str(c))) for c in columns]
    repeated = sorted({h for h in headers if headers.count(h) > 1})
    if repeated:
        raise ValueError(f"several columns would be shown as {repeated}: pass labels= or columns=")
    shown.columns = headers
    digest = hashlib.sha1(shown.to_csv(index=False).encode("utf-8")).hexdigest()[:10]
    styler = (
        shown.style.hide(axis="index")
        .format(escape="html")
        .format_index(escape="html", axis="columns")
        .set_uuid(f"ra{digest}")
        .set_table_attributes('class="dataframe ra-table"')
    )
    left = [i for i, c in enumerate(columns) if kinds[c] not in _RIGHT]
    # one selector per rule: Styler scopes each rule to this table by its id
    styles = [
        {"selector": f"{tag}.col{i}", "props": "text-align: left;"}
        for i in left
        for tag in ("td", "th")
    ]
    styles.append({"selector": "caption", "props": "text-align: left; font-weight: bold;"})
    styler.set_table_styles(styles)
    if caption:
        styler.set_caption(caption)
    return styler


def _header(name: str) -> str:
    """``column_label`` capitalised; a column named by a route code gets the route's name."""
    label = column_label(name)
    if label == name and name in ROUTE_LABELS_FR:
        label = ROUTE_LABELS_FR[name]
    return label[:1].upper() + label[1:]


# --------------------------------------------------------------------------- headline figures

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


# --------------------------------------------------------------------------- figures


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
    figure.savefig(path, dpi=dpi, bbox_inches="tight")
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
