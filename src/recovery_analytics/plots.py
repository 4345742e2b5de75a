"""Figures of the reports, and the style helpers they share.

Plot functions take ``ax=None`` (a new figure is made when omitted), return the
``Axes`` and never save: saving is the caller's job. Amounts are written the
French way: ``12 345 €``, with a narrow no-break space (U+202F) between
thousands and a no-break space (U+00A0) before the euro sign.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from recovery_analytics.aging import DEFAULT_BUCKETS, TOTAL_LABEL, bucket_labels

__all__ = [
    "AGE_BUCKET_CMAP",
    "age_bucket_colors",
    "eur_formatter",
    "format_eur",
    "plot_aged_balance",
]

#: Colour map of the age buckets: green (not yet due) to dark red (oldest).
AGE_BUCKET_CMAP = "RdYlGn_r"
_THOUSANDS = "\u202f"  # narrow no-break space
_BEFORE_UNIT = "\u00a0"  # no-break space
# How grouping columns are named in titles.
_COLUMN_NAMES_FR = {
    "debtor_type": "type de débiteur",
    "department": "département",
    "naf_code": "code NAF",
    "creditor_id": "créancier",
    "stage": "étape de relance",
    "insolvency_status": "procédure collective",
}


def format_eur(x: float, decimals: int = 0) -> str:
    """An amount in euros, written the French way.

    Parameters
    ----------
    x : float
        Amount in euros; NaN gives ``"–"``.
    decimals : int, default 0
        Digits after the decimal comma.

    Examples
    --------
    >>> format_eur(12345.4) == "12\u202f345\u00a0€"
    True
    >>> format_eur(-1234.5, decimals=2).replace("\u202f", " ").replace("\u00a0", " ")
    '-1 234,50 €'
    """
    if x is None or pd.isna(x):
        return "–"
    text = f"{float(x):,.{decimals}f}"
    text = text.replace(",", _THOUSANDS).replace(".", ",")
    return f"{text}{_BEFORE_UNIT}€"


def eur_formatter(decimals: int = 0) -> FuncFormatter:
    """A matplotlib tick formatter writing euros with :func:`format_eur`.

    Examples
    --------
    >>> eur_formatter()(1500, 0) == "1\u202f500\u00a0€"
    True
    """
    return FuncFormatter(lambda x, _pos: format_eur(x, decimals))


def age_bucket_colors(labels: Sequence[str] | None = None) -> dict[str, tuple]:
    """One colour per age bucket, from green (not yet due) to dark red.

    The same buckets always get the same colours, in every figure.

    Parameters
    ----------
    labels : sequence of str, optional
        Bucket labels in age order (default: those of ``DEFAULT_BUCKETS``).

    Returns
    -------
    dict
        Label -> RGBA tuple.

    Examples
    --------
    >>> colors = age_bucket_colors()
    >>> list(colors)[:2], len(colors)
    (['non échu', '1–30 j'], 7)
    """
    labels = list(bucket_labels(DEFAULT_BUCKETS) if labels is None else labels)
    cmap = colormaps[AGE_BUCKET_CMAP]
    positions = np.linspace(0.1, 0.95, len(labels)) if len(labels) > 1 else [0.1]
    return {label: tuple(cmap(p)) for label, p in zip(labels, positions, strict=True)}


def plot_aged_balance(
    table: pd.DataFrame, ax: Axes | None = None, title: str | None = None
) -> Axes:
    """Stacked bars of the aged balance: one bar per group, one segment per bucket.

    Parameters
    ----------
    table : pandas.DataFrame
        The output of :func:`recovery_analytics.aging.aged_balance` (total rows,
        if any, are ignored). The columns before ``bucket`` are the groups.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made when omitted.
    title : str, optional
        Defaults to a sentence saying what is shown.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from recovery_analytics.aging import aged_balance
    >>> state = pd.DataFrame({"debtor_type": ["B2B", "B2C"], "is_open": [True, True],
    ...     "outstanding_eur": [1200.0, 300.0], "days_past_due": [45, 400]})
    >>> ax = plot_aged_balance(aged_balance(state))
    >>> ax.get_title()
    'Balance âgée : encours ouvert par ancienneté du retard, par type de débiteur'
    """
    import matplotlib.pyplot as plt

    keys = list(table.columns[: table.columns.get_loc("bucket")])
    data = table[table["bucket"] != TOTAL_LABEL]
    labels = [b for b in data["bucket"].cat.categories if b != TOTAL_LABEL]
    if keys:
        group = data[keys].astype("object").fillna("(inconnu)").astype(str).agg(" / ".join, axis=1)
    else:
        group = pd.Series("Portefeuille", index=data.index)
    wide = (
        data.assign(group=group.to_numpy())
        .pivot_table(
            index="group", columns="bucket", values="outstanding_eur", aggfunc="sum", observed=False
        )
        .reindex(columns=labels)
        .fillna(0.0)
    )
    if ax is None:
        _, ax = plt.subplots(figsize=(max(5.0, 1.2 * len(wide) + 3), 4.5))
    colors = age_bucket_colors(labels)
    bottom = np.zeros(len(wide))
    x = np.arange(len(wide))
    for label in labels:
        heights = wide[label].to_numpy()
        ax.bar(x, heights, bottom=bottom, color=colors[label], label=label, width=0.6)
        bottom += heights
    ax.set_xticks(x, [str(g) for g in wide.index])
    ax.yaxis.set_major_formatter(eur_formatter())
    ax.set_ylabel("Encours ouvert")
    by = " / ".join(_COLUMN_NAMES_FR.get(k, k) for k in keys)
    ax.set_title(
        title
        or "Balance âgée : encours ouvert par ancienneté du retard" + (f", par {by}" if by else "")
    )
    ax.legend(title="Retard", loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return ax
