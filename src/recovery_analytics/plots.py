"""Figures of the reports, and the style they share.

One place for the look of every figure and table: numbers written the French
way (:func:`format_number`, :func:`format_eur`, :func:`format_pct` and their
tick formatters), one colour per age bucket, per judicial route and per work
order (``*_COLORS``), the French names of routes, strategies and grouping
columns, and :func:`ensure_axes` for the figure set-up.

Plot functions take ``ax=None`` (a new figure is made when omitted), return the
``Axes`` and never save: saving is the caller's job. Amounts are written the
French way: ``12 345 €``, with a narrow no-break space (U+202F) between
thousands and a no-break space (U+00A0) before the euro and percent signs.
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
    "ROUTE_COLORS",
    "ROUTE_LABELS_FR",
    "STRATEGY_COLORS",
    "STRATEGY_LABELS_FR",
    "age_bucket_colors",
    "column_label",
    "ensure_axes",
    "eur_formatter",
    "format_eur",
    "format_number",
    "format_pct",
    "pct_formatter",
    "plot_aged_balance",
    "plot_captured_curve",
    "plot_gains",
    "plot_reliability",
]

#: Colour map of the age buckets: green (not yet due) to dark red (oldest).
AGE_BUCKET_CMAP = "RdYlGn_r"
#: One colour per route, the same in every figure (green: amicable, blues: court).
ROUTE_COLORS: dict[str, str] = {
    "continue_amicable": "#2e8b57",
    "formal_notice": "#9acd32",
    "agency": "#f4a261",
    "declare_claim": "#8e44ad",
    "injonction_de_payer": "#1f77b4",
    "procedure_simplifiee": "#6baed6",
    "refere_provision": "#17becf",
    "action_au_fond": "#08306b",
    "write_off": "#7f7f7f",
}
#: Route names as managers read them.
ROUTE_LABELS_FR: dict[str, str] = {
    "continue_amicable": "poursuivre l'amiable",
    "formal_notice": "mise en demeure",
    "agency": "agence de recouvrement",
    "declare_claim": "déclaration de créance",
    "injonction_de_payer": "injonction de payer",
    "procedure_simplifiee": "procédure simplifiée",
    "refere_provision": "référé-provision",
    "action_au_fond": "action au fond",
    "write_off": "passage en perte",
}
#: Work orders compared by :mod:`recovery_analytics.evaluate`, in display order.
STRATEGY_LABELS_FR: dict[str, str] = {
    "model_expected_eur": "modèle : euros attendus",
    "model_p_x_outstanding": "modèle : p × encours",
    "p_amicable": "modèle : probabilité",
    "oldest_first": "plus ancien d'abord",
    "largest_first": "plus gros d'abord",
    "fastest_payer_first": "meilleur payeur d'abord",
    "perfect_hindsight": "connaissance parfaite (plafond)",
}
#: One colour per work order (blues: the model, grey: the hindsight ceiling).
STRATEGY_COLORS: dict[str, str] = {
    "model_expected_eur": "#1f77b4",
    "model_p_x_outstanding": "#6baed6",
    "p_amicable": "#1f77b4",
    "oldest_first": "#d62728",
    "largest_first": "#ff7f0e",
    "fastest_payer_first": "#9467bd",
    "perfect_hindsight": "#7f7f7f",
}
_THOUSANDS = "\u202f"  # narrow no-break space
_BEFORE_UNIT = "\u00a0"  # no-break space
# How grouping columns are named in titles.
_COLUMN_NAMES = {
    "fr": {
        "debtor_type": "type de débiteur",
        "department": "département",
        "naf_code": "code NAF",
        "creditor_id": "créancier",
        "stage": "étape de relance",
        "insolvency_status": "procédure collective",
    },
    "en": {
        "debtor_type": "debtor type",
        "department": "department",
        "naf_code": "NAF code",
        "creditor_id": "creditor",
        "stage": "dunning stage",
        "insolvency_status": "insolvency proceedings",
    },
}


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


# --------------------------------------------------------------------------- names and colours


def column_label(name: str, lang: str = "fr") -> str:
    """How a grouping column is named in titles (the column name if unknown).

    Examples
    --------
    >>> column_label("debtor_type"), column_label("debtor_type", "en"), column_label("segment")
    ('type de débiteur', 'debtor type', 'segment')
    """
    if lang not in _COLUMN_NAMES:
        raise ValueError(f"unknown language {lang!r}; use one of {sorted(_COLUMN_NAMES)}")
    return _COLUMN_NAMES[lang].get(name, name)


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


# --------------------------------------------------------------------------- aged balance


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
    ax = ensure_axes(ax, (max(5.0, 1.2 * len(wide) + 3), 4.5))
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
    by = " / ".join(column_label(k) for k in keys)
    ax.set_title(
        title
        or "Balance âgée : encours ouvert par ancienneté du retard" + (f", par {by}" if by else "")
    )
    ax.legend(title="Retard", loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


# --------------------------------------------------------------------------- model evaluation


def _strategy_lines(
    ax: Axes, frame: pd.DataFrame, y: str, strategies: Sequence[str] | None
) -> None:
    """One line of ``y`` against ``capacity`` per strategy, in the shared colours."""
    if strategies is None:
        present = list(dict.fromkeys(frame["strategy"].astype("str")))
        strategies = [s for s in STRATEGY_LABELS_FR if s in present]
        strategies += [s for s in present if s not in STRATEGY_LABELS_FR]
    for strat in strategies:
        part = frame[frame["strategy"] == strat].sort_values("capacity")
        label = STRATEGY_LABELS_FR.get(strat, strat)
        ax.plot(part["capacity"], part[y], label=label, color=STRATEGY_COLORS.get(strat))


def _capacity_axes(ax: Axes, capacity: float | None) -> None:
    if capacity is not None:
        ax.axvline(capacity, color="black", linewidth=0.8)
    ax.xaxis.set_major_formatter(pct_formatter())
    ax.legend(frameon=False, fontsize="small")


def plot_reliability(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Reliability curve: the share actually recovered in each bin of predicted probability.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~recovery_analytics.evaluate.reliability_table` (``n,
        mean_predicted, observed_rate``); empty bins are skipped.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        The diagonal (perfect calibration) and the model; the title gives the
        expected calibration error (ECE, the ``n``-weighted mean gap).

    Examples
    --------
    >>> t = pd.DataFrame({"n": [10.0, 0.0, 30.0], "mean_predicted": [0.1, np.nan, 0.8],
    ...     "observed_rate": [0.2, np.nan, 0.8]})
    >>> ax = plot_reliability(t)
    >>> ax.get_title(), len(ax.get_lines()[1].get_xdata())
    ('Calibrage : part réellement recouvrée selon la probabilité prédite (ECE 0,025)', 2)
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    ax = ensure_axes(ax, (5.5, 5.0))
    shown = table[table["n"] > 0]
    gap = (shown["observed_rate"] - shown["mean_predicted"]).abs()
    ece = float((gap * shown["n"]).sum() / max(float(shown["n"].sum()), 1.0))
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", label="calibrage parfait")
    ax.plot(
        shown["mean_predicted"],
        shown["observed_rate"],
        marker="o",
        color=STRATEGY_COLORS["p_amicable"],
        label="modèle",
    )
    ax.set_xlabel("Probabilité prédite (moyenne de la tranche)")
    ax.set_ylabel("Part réellement recouvrée")
    ax.xaxis.set_major_formatter(pct_formatter())
    ax.yaxis.set_major_formatter(pct_formatter())
    ax.set_title(
        "Calibrage : part réellement recouvrée selon la probabilité prédite "
        f"(ECE {format_number(ece, 3)})"
    )
    ax.legend(frameon=False)
    return ax


def plot_gains(
    gains: pd.DataFrame,
    ax: Axes | None = None,
    *,
    strategies: Sequence[str] | None = None,
    capacity: float | None = None,
) -> Axes:
    """Cumulative gains: share of the recovered claims found, by share of claims worked.

    Parameters
    ----------
    gains : pandas.DataFrame
        :func:`~recovery_analytics.evaluate.captured_curve` computed on counts
        (``recovered_eur`` replaced by the 0/1 ``recovered``): ``strategy,
        capacity, captured_share``.
    ax : matplotlib.axes.Axes, optional
    strategies : sequence of str, optional
        Lines drawn, in that order (default: every strategy of ``gains``).
    capacity : float, optional
        Draws a vertical line at the team's capacity.

    Returns
    -------
    matplotlib.axes.Axes
        One line per strategy and the diagonal of a random order.

    Examples
    --------
    >>> g = pd.DataFrame({"strategy": ["oldest_first"] * 2 + ["p_amicable"] * 2,
    ...     "capacity": [0.5, 1.0] * 2, "captured_share": [0.5, 1.0, 0.8, 1.0]})
    >>> ax = plot_gains(g, capacity=0.1)
    >>> [line.get_label() for line in ax.get_lines()][:3]
    ['modèle : probabilité', "plus ancien d'abord", 'hasard']
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    ax = ensure_axes(ax, (7.0, 5.0))
    _strategy_lines(ax, gains, "captured_share", strategies)
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", label="hasard")
    ax.yaxis.set_major_formatter(pct_formatter())
    ax.set_xlabel("Part des créances travaillées (par date)")
    ax.set_ylabel("Part des créances recouvrées trouvées")
    ax.set_title("Gains cumulés : créances recouvrées trouvées selon l'ordre de travail")
    _capacity_axes(ax, capacity)
    return ax


def plot_captured_curve(
    curve: pd.DataFrame,
    ax: Axes | None = None,
    *,
    strategies: Sequence[str] | None = None,
    capacity: float | None = None,
) -> Axes:
    """Euros collected on the claims worked first, by share of claims worked.

    Parameters
    ----------
    curve : pandas.DataFrame
        :func:`~recovery_analytics.evaluate.captured_curve` (``strategy,
        capacity, captured_eur``).
    ax : matplotlib.axes.Axes, optional
    strategies : sequence of str, optional
        Lines drawn, in that order (default: every strategy of ``curve``).
    capacity : float, optional
        Draws a vertical line at the team's capacity.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> c = pd.DataFrame({"strategy": ["largest_first"] * 2, "capacity": [0.5, 1.0],
    ...     "captured_eur": [1500.0, 2000.0]})
    >>> ax = plot_captured_curve(c)
    >>> ax.get_lines()[0].get_color(), ax.get_ylabel()
    ('#ff7f0e', "Euros encaissés dans l'horizon")
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    ax = ensure_axes(ax, (7.0, 5.0))
    _strategy_lines(ax, curve, "captured_eur", strategies)
    ax.yaxis.set_major_formatter(eur_formatter())
    ax.set_xlabel("Part des créances ouvertes travaillées à chaque date")
    ax.set_ylabel("Euros encaissés dans l'horizon")
    ax.set_title("Euros encaissés sur les créances travaillées en premier, selon la capacité")
    _capacity_axes(ax, capacity)
    return ax
