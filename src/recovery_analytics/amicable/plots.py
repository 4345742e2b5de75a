"""Figures of the model evaluation: calibration, cumulative gains, euros captured.

They take the tables of :mod:`recovery_analytics.amicable` (and
:func:`gains_table`), return the ``Axes`` and never save. Style (French
numbers, one colour and name per work order) is that of
:mod:`recovery_analytics.style`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.axes import Axes

from recovery_analytics.style import STRATEGY_COLORS, STRATEGY_LABELS_FR, format_number
from recovery_analytics.style.plots import ensure_axes, eur_formatter, pct_formatter

__all__ = ["gains_table", "plot_captured_curve", "plot_gains", "plot_reliability"]


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
        :func:`~recovery_analytics.amicable.reliability_table` (``n,
        mean_predicted, observed_rate``); empty bins are skipped.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        The diagonal (perfect calibration) and the model; the title gives the
        expected calibration error (ECE, the ``n``-weighted mean gap).

    Examples
    --------
    >>> import numpy as np
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


#: Orders of work in the gains chart (the model's probability, the rules, the ceiling).
_GAINS_STRATEGIES = (
    "p_amicable",
    "oldest_first",
    "largest_first",
    "fastest_payer_first",
    "perfect_hindsight",
)


def gains_table(
    scores: pd.DataFrame,
    strategies: Sequence[str] | None = None,
    capacities: Sequence[float] | None = None,
) -> pd.DataFrame:
    """Cumulative gains and lift: recovered claims found by each order of work.

    :func:`~recovery_analytics.amicable.captured_curve` on counts instead of
    euros: each recovered claim weighs 1 (``perfect_hindsight`` ranks the
    recovered claims first). The input of :func:`plot_gains`.

    Parameters
    ----------
    scores : pandas.DataFrame
        ``evaluate(...)["scores"]``: one row per held-out snapshot row with
        ``as_of``, ``recovered`` and one score column per strategy.
    strategies : sequence of str, optional
        Default: ``p_amicable, oldest_first, largest_first,
        fastest_payer_first, perfect_hindsight`` (those present).
    capacities : sequence of float, optional
        Shares of the claims worked at each date (default 2 %, 4 %, ... 100 %).

    Returns
    -------
    pandas.DataFrame
        ``strategy, capacity, claims_worked, recovered_claims,
        total_recovered_claims, captured_share, share_of_perfect, lift``;
        ``lift`` = ``captured_share`` / share of the rows worked (1 for a
        random order), rounded to 4 decimals.

    Examples
    --------
    >>> s = pd.DataFrame({"as_of": pd.Timestamp("2026-03-31"), "claim_id": list("abcd"),
    ...     "recovered": [True, False, True, False], "largest_first": [4.0, 3.0, 2.0, 1.0]})
    >>> g = gains_table(s, ["largest_first", "perfect_hindsight"], capacities=[0.5])
    >>> g[["strategy", "recovered_claims", "captured_share", "lift"]].values.tolist()
    [['largest_first', 1.0, 0.5, 1.0], ['perfect_hindsight', 2.0, 1.0, 2.0]]
    """
    from recovery_analytics.amicable._strategies import captured_curve

    recovered = scores["recovered"].astype("float64")
    counts = scores.assign(recovered_eur=recovered, perfect_hindsight=recovered)
    if strategies is None:
        strategies = [s for s in _GAINS_STRATEGIES if s in counts.columns]
    gains = captured_curve(counts, capacities, list(strategies), per_date=False).rename(
        columns={"captured_eur": "recovered_claims", "total_eur": "total_recovered_claims"}
    )
    worked = gains["worked_share"]
    gains["lift"] = (gains["captured_share"] / worked.where(worked > 0)).round(4)
    return gains.drop(columns=["share_min", "share_max", "worked_share"])


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
        :func:`gains_table` (``strategy, capacity, captured_share``).
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
        :func:`~recovery_analytics.amicable.captured_curve` (``strategy,
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
