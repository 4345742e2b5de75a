"""The orders of work compared by the evaluation, and the euros each captures at a capacity."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from recovery_analytics.amicable._baselines import Baselines
from recovery_analytics.amicable._bootstrap import (
    _Orders,
)

__all__ = [
    "PROBABILITIES",
    "STRATEGIES",
    "captured_at_capacity",
    "captured_curve",
    "strategy_scores",
]


#: Work orders compared, in display order; higher score = worked first.
STRATEGIES: tuple[str, ...] = (
    "model_expected_eur",
    "model_p_x_outstanding",
    "aging_curve_x_outstanding",
    "logistic_x_outstanding",
    "largest_first",
    "oldest_first",
    "youngest_first",
    "fastest_payer_first",
    "usual_delay_vs_age",
    "perfect_hindsight",
)


_BASELINES = (
    "aging_curve_x_outstanding",
    "logistic_x_outstanding",
    "largest_first",
    "oldest_first",
    "youngest_first",
    "fastest_payer_first",
    "usual_delay_vs_age",
)


#: Orders valued in euros: their AUC against ``recovered`` says nothing of their purpose.
_EURO_ORDERS = (
    "model_expected_eur",
    "model_p_x_outstanding",
    "aging_curve_x_outstanding",
    "logistic_x_outstanding",
    "largest_first",
    "perfect_hindsight",
)


#: Probability scores: ROC AUC, Brier and calibration error.
PROBABILITIES: tuple[str, ...] = ("p_amicable", "aging_curve_p", "logistic_p")


#: Rank orders that estimate who pays (AUC only).
_RANK_ORDERS = ("oldest_first", "youngest_first", "fastest_payer_first", "usual_delay_vs_age")


def strategy_scores(
    model: Any, snapshots: pd.DataFrame, baselines: Baselines | None = None
) -> pd.DataFrame:
    """Priority scores of the model and the baselines (higher = worked first).

    Parameters
    ----------
    model : AmicableModel
    snapshots : pandas.DataFrame
        Labelled snapshots to score.
    baselines : Baselines, optional
        Fitted on the training slice: adds the aging-curve and logistic columns.

    Returns
    -------
    pandas.DataFrame
        ``as_of, claim_id, recovered, recovered_eur, outstanding_eur,
        days_past_due, p_amicable, expected_recovery_eur`` and one column per strategy of
        :data:`STRATEGIES` that can be computed. The customer-delay baselines
        use ``debtor_hist_mean_days_late`` (customers without history get the
        median delay of the date): ``fastest_payer_first`` ranks the fastest
        payers first, ``usual_delay_vs_age`` the claims that are still within
        their customer's usual delay first (usual delay − days past due).
    """
    scored = model.score_frame(snapshots)
    out = snapshots[
        ["as_of", "claim_id", "recovered", "recovered_eur", "outstanding_eur", "days_past_due"]
    ].copy()
    out["p_amicable"] = scored["p_amicable"].to_numpy()
    out["expected_recovery_eur"] = scored["expected_recovery_eur"].to_numpy()
    out["model_expected_eur"] = out["expected_recovery_eur"]
    out["model_p_x_outstanding"] = out["p_amicable"] * out["outstanding_eur"]
    days = snapshots["days_past_due"].astype("float64")
    out["oldest_first"] = days
    out["youngest_first"] = -days
    out["largest_first"] = out["outstanding_eur"]
    if "debtor_hist_mean_days_late" in snapshots.columns:
        delay = snapshots["debtor_hist_mean_days_late"].astype("float64")
        delay = delay.fillna(delay.groupby(snapshots["as_of"]).transform("median")).fillna(0.0)
    else:
        delay = pd.Series(0.0, index=snapshots.index)
    out["fastest_payer_first"] = -delay
    out["usual_delay_vs_age"] = delay - days
    if baselines is not None:
        fitted = baselines.scores(snapshots)
        for col in fitted.columns:
            out[col] = fitted[col].to_numpy()
    out["perfect_hindsight"] = out["recovered_eur"]
    return out.reset_index(drop=True)


def _ranks(scores: pd.DataFrame, strategy: str) -> tuple[np.ndarray, np.ndarray]:
    """Rank of each row in its as_of date (0 = worked first) and the date's size."""
    order = scores.assign(_s=-scores[strategy].astype("float64")).sort_values(
        ["as_of", "_s", "claim_id"], kind="stable"
    )
    groups = order.groupby("as_of", sort=False)["claim_id"]
    rank = pd.Series(groups.cumcount().to_numpy(), index=order.index).reindex(scores.index)
    size = pd.Series(groups.transform("size").to_numpy(), index=order.index).reindex(scores.index)
    return rank.to_numpy(), size.to_numpy()


def _worked(scores: pd.DataFrame, strategy: str, capacity: float) -> np.ndarray:
    """Mask of the rows worked under ``capacity`` (share of rows per as_of)."""
    rank, size = _ranks(scores, strategy)
    return rank < np.ceil(capacity * size)


def captured_at_capacity(
    scores: pd.DataFrame, capacity: float = 0.10, strategies: Sequence[str] | None = None
) -> pd.DataFrame:
    """Euros recovered in the horizon by the claims each strategy works first.

    At each as_of date the team works the ``ceil(capacity x n)`` claims a
    strategy ranks first (ties broken by claim_id) and captures the euros
    those claims paid in the horizon. Snapshot dates overlap (a 90-day window
    every 14 days), so the dates are **averaged, never summed**: the euros
    captured and available are means per date, the captured share is the mean
    of the dates' shares, with its spread across dates.

    Parameters
    ----------
    scores : pandas.DataFrame
        Output of :func:`strategy_scores`.
    capacity : float, default 0.10
        Share of the open claims the team can work at each as_of date.
    strategies : sequence of str, optional
        Score columns to compare (default: those of :data:`STRATEGIES` present).

    Returns
    -------
    pandas.DataFrame
        One row per strategy: ``strategy, capacity, claims_worked,
        captured_eur, total_eur, captured_share, share_min, share_max,
        share_of_perfect`` (``claims_worked``, ``captured_eur`` and
        ``total_eur`` per date, on average).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"as_of": pd.to_datetime(["2025-01-01"] * 4),
    ...     "claim_id": list("abcd"), "recovered_eur": [0.0, 50.0, 10.0, 40.0],
    ...     "mine": [4, 3, 2, 1], "perfect_hindsight": [0.0, 50.0, 10.0, 40.0]})
    >>> out = captured_at_capacity(s, 0.5, ["mine", "perfect_hindsight"])
    >>> out[["strategy", "captured_eur", "share_of_perfect"]]
                strategy  captured_eur  share_of_perfect
    0               mine          50.0          0.555556
    1  perfect_hindsight          90.0          1.000000
    """
    if strategies is None:
        strategies = [s for s in STRATEGIES if s in scores.columns]
    return captured_curve(scores, [capacity], strategies)


def captured_curve(
    scores: pd.DataFrame,
    capacities: Sequence[float] | None = None,
    strategies: Sequence[str] | None = None,
    *,
    per_date: bool = True,
) -> pd.DataFrame:
    """:func:`captured_at_capacity` over a range of capacities (for plots).

    ``per_date=False`` pools the rows of all dates instead of averaging the
    dates (for ratios of counts such as the gains chart, not for euros).

    Returns
    -------
    pandas.DataFrame
        Long table: the columns of :func:`captured_at_capacity` and
        ``worked_share`` (share of the rows worked), one row per (capacity,
        strategy), capacities in increasing order.
    """
    if capacities is None:
        capacities = np.round(np.arange(0.02, 1.0001, 0.02), 2)
    if strategies is None:
        strategies = [s for s in STRATEGIES if s in scores.columns]
    orders = _Orders(scores, strategies)
    rows = []
    for cap in capacities:
        for strat in strategies:
            worked, captured, total = orders.captured(strat, float(cap))
            if per_date:
                with np.errstate(invalid="ignore", divide="ignore"):
                    share = np.where(total > 0, captured / total, np.nan)[0]
                n = orders.counts
                rows.append(
                    (
                        strat,
                        float(cap),
                        float(worked[0].mean()),
                        float(captured[0].mean()),
                        float(total[0].mean()),
                        float(np.nanmean(share)) if np.isfinite(share).any() else np.nan,
                        float(np.nanmin(share)) if np.isfinite(share).any() else np.nan,
                        float(np.nanmax(share)) if np.isfinite(share).any() else np.nan,
                        float((worked[0] / n).mean()),
                    )
                )
            else:
                c, tot = float(captured.sum()), float(total.sum())
                share = c / tot if tot > 0 else np.nan
                rows.append(
                    (
                        strat,
                        float(cap),
                        float(worked.sum()),
                        c,
                        tot,
                        share,
                        share,
                        share,
                        float(worked.sum() / max(orders.counts.sum(), 1)),
                    )
                )
    out = pd.DataFrame(
        rows,
        columns=[
            "strategy",
            "capacity",
            "claims_worked",
            "captured_eur",
            "total_eur",
            "captured_share",
            "share_min",
            "share_max",
            "worked_share",
        ],
    )
    if "perfect_hindsight" in strategies:
        perfect = out.loc[out["strategy"] == "perfect_hindsight"].set_index("capacity")
        best = out["capacity"].map(perfect["captured_eur"])
        out["share_of_perfect"] = out["captured_eur"] / best.where(best > 0)
    else:
        out["share_of_perfect"] = np.nan
    return out
