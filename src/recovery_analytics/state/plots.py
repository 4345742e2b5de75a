"""Figures of the state stage: aged balance, concentration, recovery curves, DSO and CEI.

Plot functions take ``ax=None`` (a new figure is made when omitted), return the
``Axes`` and never save: saving is the caller's job. Numbers are written the
French way by :mod:`recovery_analytics.style`; one colour per age bucket
(green: not yet due, to dark red: oldest).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes

from recovery_analytics.state._aging import DEFAULT_BUCKETS, TOTAL_LABEL, bucket_labels
from recovery_analytics.style import column_label, format_eur, format_pct
from recovery_analytics.style.plots import ensure_axes, eur_formatter, pct_formatter

__all__ = [
    "AGE_BUCKET_CMAP",
    "age_bucket_colors",
    "plot_aged_balance",
    "plot_dso_cei",
    "plot_pareto",
    "plot_recovery_curves",
]

#: Colour map of the age buckets: green (not yet due) to dark red (oldest).
AGE_BUCKET_CMAP = "RdYlGn_r"


# --------------------------------------------------------------------------- names and colours


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


# --------------------------------------------------------------------------- aged balance


def plot_aged_balance(
    table: pd.DataFrame,
    ax: Axes | None = None,
    title: str | None = None,
    *,
    shares: bool = False,
) -> Axes:
    """Stacked bars of the aged balance: one bar per group, one segment per bucket.

    Parameters
    ----------
    table : pandas.DataFrame
        The output of :func:`recovery_analytics.state.aged_balance` (total rows,
        if any, are ignored). The columns before ``bucket`` are the groups.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made when omitted.
    title : str, optional
        Defaults to a sentence saying what is shown.
    shares : bool, default False
        Bars of each group's shares (100 % each, so that a small group reads
        as well as a large one, shares of 8 % or more written in the bar),
        each group's open outstanding in euros under its name. ``False``
        draws euros.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from recovery_analytics.state import aged_balance
    >>> state = pd.DataFrame({"debtor_type": ["B2B", "B2C"], "is_open": [True, True],
    ...     "outstanding_eur": [1200.0, 300.0], "days_past_due": [45, 400]})
    >>> ax = plot_aged_balance(aged_balance(state))
    >>> ax.get_title()
    'Balance âgée : encours ouvert par ancienneté du retard, par type de débiteur'
    >>> ax = plot_aged_balance(aged_balance(state), shares=True)
    >>> [t.get_text().splitlines() for t in ax.get_xticklabels()] == [
    ...     ["B2B", format_eur(1200)], ["B2C", format_eur(300)]]
    True
    >>> {round(float(p.get_y() + p.get_height()), 6) for p in ax.patches if p.get_height()}
    {1.0}
    >>> import matplotlib.pyplot as plt
    >>> plt.close("all")
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
    totals = wide.sum(axis=1)
    if shares:
        wide = wide.div(totals.where(totals > 0), axis=0).fillna(0.0)
    ax = ensure_axes(ax, (max(5.0, 1.2 * len(wide) + 3), 4.5))
    colors = age_bucket_colors(labels)
    bottom = np.zeros(len(wide))
    x = np.arange(len(wide))
    for label in labels:
        heights = wide[label].to_numpy()
        ax.bar(x, heights, bottom=bottom, color=colors[label], label=label, width=0.6)
        if shares:
            _share_texts(ax, x, bottom, heights, colors[label])
        bottom += heights
    names = [str(g) for g in wide.index]
    by = " / ".join(column_label(k) for k in keys)
    if shares:
        names = [f"{g}\n{format_eur(t)}" for g, t in zip(names, totals, strict=True)]
        ax.set_ylim(0, 1)
        ax.yaxis.set_major_formatter(pct_formatter())
        ax.set_ylabel("Part de l'encours ouvert")
        default = "Balance âgée" + (f" par {by}" if by else "")
        default += " :\nrépartition de l'encours ouvert par ancienneté du retard"
    else:
        ax.yaxis.set_major_formatter(eur_formatter())
        ax.set_ylabel("Encours ouvert")
        default = "Balance âgée : encours ouvert par ancienneté du retard"
        default += f", par {by}" if by else ""
    ax.set_xticks(x, names)
    ax.set_title(title or default)
    ax.legend(title="Retard", loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def _share_texts(
    ax: Axes, x: np.ndarray, bottom: np.ndarray, heights: np.ndarray, color: tuple
) -> None:
    """Writes each share of 8 % or more in the middle of its bar segment (a few groups)."""
    r, g, b = color[:3]
    ink = "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else "black"
    for xi, y0, h in zip(x, bottom, heights, strict=True):
        if h >= 0.08:
            ax.text(xi, y0 + h / 2, format_pct(h, 0), ha="center", va="center",
                    fontsize="small", color=ink)  # fmt: skip


def plot_pareto(table: pd.DataFrame, ax=None):
    """Pareto curve: share of outstanding held by the largest debtors.

    ``table`` is :func:`~recovery_analytics.state.concentration` with ``top=None``.
    Returns the Axes.

    Examples
    --------
    >>> import pandas as pd
    >>> from recovery_analytics.state import concentration
    >>> state = pd.DataFrame({"debtor_id": ["a", "b"], "debtor_type": ["B2B", "B2C"],
    ...     "outstanding_eur": [300.0, 100.0], "days_past_due": [10, 40], "is_open": [True, True]})
    >>> plot_pareto(concentration(state, top=None)).get_title()
    "Concentration de l'encours ouvert sur 2 débiteurs"
    """
    ax = ensure_axes(ax, (7.0, 4.0))
    x = np.concatenate([[0.0], table["debtor_share"].to_numpy()])
    y = np.concatenate([[0.0], table["cumulative_share"].to_numpy()])
    ax.plot(x, y, color="#1f4e79", lw=2)
    ax.plot([0, 1], [0, 1], color="grey", ls=":", lw=1, label="encours également réparti")
    if len(table):
        k = max(int(np.ceil(0.2 * len(table))), 1)
        held = table["cumulative_share"].iloc[k - 1]
        ax.axvline(k / len(table), color="#c55a11", ls="--", lw=1)
        ax.annotate(
            f"{k} débiteurs ({format_pct(k / len(table), 0)}) portent {format_pct(held, 0)}",
            xy=(k / len(table), held),
            xytext=(8, -16),
            textcoords="offset points",
        )
    ax.xaxis.set_major_formatter(pct_formatter())
    ax.yaxis.set_major_formatter(pct_formatter())
    ax.set(
        xlim=(0, 1),
        ylim=(0, 1.02),
        xlabel="part des débiteurs (les plus gros d'abord)",
        ylabel="part de l'encours ouvert",
        title=f"Concentration de l'encours ouvert sur {len(table)} débiteurs",
    )
    ax.legend(loc="lower right", frameon=False)
    return ax


def plot_recovery_curves(curves: pd.DataFrame, group: str = "from_days", ax=None):
    """Recovery rate by days past due, one line per value of ``group``.

    ``curves`` is :func:`recovery_curves`; ``group`` is ``"from_days"`` or a
    segment column. Returns the Axes.

    Examples
    --------
    >>> import pandas as pd
    >>> curves = pd.DataFrame({"from_days": [0, 0], "days_past_due": [30, 60],
    ...     "recovery_rate": [0.4, 0.6]})
    >>> len(plot_recovery_curves(curves).get_lines())
    1
    """
    ax = ensure_axes(ax, (7.0, 4.0))
    by = "" if group == "from_days" else f" par {column_label(group)}"
    for value, part in curves.groupby(group, sort=True, dropna=False):
        label = f"encours à {value} jours de retard" if group == "from_days" else str(value)
        part = part.sort_values("days_past_due")
        x = np.concatenate([[part["from_days"].iloc[0]], part["days_past_due"]])
        ax.plot(x, np.concatenate([[0.0], part["recovery_rate"]]), marker="o", label=label)
    ax.yaxis.set_major_formatter(pct_formatter())
    ax.set(
        xlabel="jours de retard",
        ylabel="part de l'encours payée",
        ylim=(0, None),
        title=f"Courbes de recouvrement{by} : part de l'encours payée selon le retard",
    )
    if ax.get_lines():
        ax.legend(frameon=False, fontsize="small")
    else:
        ax.text(
            0.5,
            0.5,
            "aucune créance observée assez longtemps",
            transform=ax.transAxes,
            ha="center",
            color="grey",
        )
    return ax


def plot_dso_cei(table: pd.DataFrame, axes=None):
    """DSO (days) and CEI (%) per period on two stacked Axes sharing the dates.

    ``table`` is :func:`dso_cei`. Returns the array of two Axes.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"period_start": pd.to_datetime(["2026-01-01", "2026-02-01"]),
    ...     "dso_days": [31.0, 46.1], "cei": [float("nan"), 0.38]})
    >>> len(plot_dso_cei(table))
    2
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    if axes is None:
        axes = plt.subplots(2, 1, figsize=(8, 5.5), sharex=True)[1]
    x = table["period_start"]  # a point per period, labelled by the period it closes
    axes[0].plot(x, table["dso_days"], marker="o", color="#1f4e79")
    axes[0].set(ylabel="jours", title="DSO (méthode par épuisement du CA) en fin de période")
    axes[1].plot(x, table["cei"], marker="o", color="#548235")
    axes[1].yaxis.set_major_formatter(pct_formatter())
    axes[1].set(ylabel="CEI", title="Efficacité du recouvrement (CEI) par période")
    locator = mdates.AutoDateLocator()
    axes[1].xaxis.set_major_locator(locator)
    axes[1].xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    for ax in axes:
        ax.grid(alpha=0.3)
    return axes
