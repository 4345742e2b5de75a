"""Figures of the call queue: the backtest of the queue policy week by week."""

from __future__ import annotations

import pandas as pd

from recovery_analytics.queue._backtest import POLICIES

__all__ = [
    "plot_backtest",
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
