"""Tables as a report shows them: French headers, French numbers, plain-French codes.

One set of display conventions for every notebook:

* no pandas index; headers in French from :func:`~recovery_analytics.style.column_label`
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

Headline cards and saved figures are in ``_cards``; the public names are
:func:`~recovery_analytics.reports.display_table` and
:func:`~recovery_analytics.reports.format_table`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from recovery_analytics.style import (
    CHANNEL_LABELS,
    ROUTE_LABELS_FR,
    STRATEGY_LABELS_FR,
    format_eur,
    format_number,
    format_pct,
)
from recovery_analytics.style._labels import column_label

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

__all__ = [
    "display_table",
    "format_table",
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
        Column -> header; default :func:`~recovery_analytics.style.column_label`,
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


# --------------------------------------------------------------------------- headline figures


# --------------------------------------------------------------------------- figures


def _header(name: str) -> str:
    """``column_label`` capitalised; a column named by a route code gets the route's name."""
    label = column_label(name)
    if label == name and name in ROUTE_LABELS_FR:
        label = ROUTE_LABELS_FR[name]
    return label[:1].upper() + label[1:]
