"""Figures of the call queue: the backtest week by week, the Qini curve of the learned effects."""

from __future__ import annotations

import pandas as pd

from recovery_analytics.queue._backtest import POLICIES

__all__ = [
    "plot_backtest",
    "plot_qini",
]


def plot_backtest(weekly: pd.DataFrame, horizon: int = 30, ax=None):
    """Euros collected within ``horizon`` days each week, one line per work order.

    Returns the matplotlib ``Axes``; saving is the caller's job.
    """
    import matplotlib.pyplot as plt
    from matplotlib.dates import DateFormatter

    from recovery_analytics.style.plots import eur_formatter

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    col = f"collected_{horizon}d_eur"
    names = {"queue": "file d'appels", "oldest_first": "plus ancien d'abord",
             "largest_first": "plus gros d'abord"}  # fmt: skip
    styles = {"queue": ("tab:blue", "-"), "oldest_first": ("tab:gray", "--"),
              "largest_first": ("tab:orange", ":")}  # fmt: skip
    for policy in POLICIES:
        part = weekly[weekly["policy"] == policy]
        color, ls = styles[policy]
        ax.plot(pd.to_datetime(part["as_of"]), part[col], color=color, ls=ls, marker="o",
                ms=3, label=names[policy])  # fmt: skip
    ax.yaxis.set_major_formatter(eur_formatter())
    ax.xaxis.set_major_formatter(DateFormatter("%d/%m"))  # French dates, the year is in the text
    ax.set_ylabel(f"Encaissé sous {horizon} jours")
    ax.set_title("Rejeu hebdomadaire à capacité égale")
    ax.legend(frameon=False)
    ax.grid(axis="y", alpha=0.3)
    return ax


def plot_qini(curve: pd.DataFrame, ax=None):
    """Qini (uplift) curve: incremental euros (DR) by share of the history's cases called.

    ``curve`` is :func:`~recovery_analytics.queue.qini_curve` output. Returns
    the matplotlib ``Axes``; saving is the caller's job.
    """
    import matplotlib.pyplot as plt

    from recovery_analytics.style.plots import eur_formatter

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    x = 100 * curve["share_targeted"].astype("float64")
    for col, label, color, ls in (
        ("queue_eur", "effet appris d'abord", "tab:blue", "-"),
        ("largest_first_eur", "plus gros d'abord", "tab:orange", ":"),
        ("random_eur", "au hasard", "tab:gray", "--"),
    ):
        ax.plot(x, curve[col].astype("float64"), color=color, ls=ls, label=label)
    ax.yaxis.set_major_formatter(eur_formatter())
    ax.set_xlabel("Part des cas appelés (%)")
    ax.set_ylabel("Euros en plus sous 30 jours (DR)")
    ax.set_title("Courbe de Qini sur l'historique")
    ax.legend(frameon=False)
    ax.grid(axis="y", alpha=0.3)
    return ax
