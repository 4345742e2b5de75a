"""Honest evaluation of the amicable model, on a later period than training.

* :func:`time_split` holds out the most recent snapshot dates, and drops the
  training snapshots whose label window reaches into the holdout (an
  embargo), as in production where a model scores claims whose outcome no
  training label has seen.
* :func:`evaluate` scores the holdout and compares the model with three
  baselines on the same snapshots: oldest first, largest amount first, and
  the customer's historical average delay (fastest payers first). The key
  figure is the **euros captured** when the team can only work the top
  ``capacity`` share of the open claims at each date.
* the model card (``_card``) summarises data, metrics and baselines next to
  the saved model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, log_loss, roc_auc_score

from recovery_analytics.portfolio import InputError

__all__ = [
    "STRATEGIES",
    "captured_at_capacity",
    "captured_curve",
    "evaluate",
    "expected_calibration_error",
    "reliability_table",
    "strategy_scores",
    "time_split",
]

#: Work orders compared, in display order; higher score = worked first.
STRATEGIES: tuple[str, ...] = (
    "model_expected_eur",
    "model_p_x_outstanding",
    "oldest_first",
    "largest_first",
    "fastest_payer_first",
    "perfect_hindsight",
)
_BASELINES = ("oldest_first", "largest_first", "fastest_payer_first")


def time_split(
    snapshots: pd.DataFrame, test_fraction: float = 0.25, *, embargo: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split snapshots by time: older dates to train on, the newest to test.

    Parameters
    ----------
    snapshots : pandas.DataFrame
        Labelled snapshots (``as_of``, and ``label_end`` for the embargo).
    test_fraction : float, default 0.25
        Share of the snapshot dates held out (at least one date).
    embargo : bool, default True
        Drop training rows whose label window ends after the first test date,
        so that no training label has seen the test period.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01"])
    >>> s = pd.DataFrame({"as_of": d, "label_end": d + pd.Timedelta(days=45)})
    >>> train, test = time_split(s, 0.25)
    >>> train["as_of"].dt.month.tolist(), test["as_of"].dt.month.tolist()
    ([1, 2], [4])
    """
    dates = np.sort(snapshots["as_of"].unique())
    n_test = int(min(len(dates) - 1, max(1, round(test_fraction * len(dates)))))
    if n_test < 1:
        raise InputError(f"a time split needs snapshots at 2 or more dates; got {len(dates)}")
    cut = dates[len(dates) - n_test]
    test = snapshots[snapshots["as_of"] >= cut]
    train = snapshots[snapshots["as_of"] < cut]
    if embargo and "label_end" in snapshots.columns:
        train = train[train["label_end"] <= cut]
    if not len(train):
        raise InputError(
            "no training snapshot is old enough: the history is too short for the holdout "
            f"(first test date {pd.Timestamp(cut).date()}); lengthen the history or "
            "shorten horizon_days"
        )
    return train, test


def expected_calibration_error(y: np.ndarray, p: np.ndarray, n_bins: int = 10) -> float:
    """Weighted mean ``|observed rate - mean predicted|`` over equal-width bins.

    Examples
    --------
    >>> import numpy as np
    >>> round(expected_calibration_error(np.array([0, 1, 1, 1]), np.array([.1, .1, .9, .9])), 3)
    0.25
    """
    table = reliability_table(y, p, n_bins)
    gap = (table["observed_rate"] - table["mean_predicted"]).abs()
    return float((gap * table["n"]).sum() / max(table["n"].sum(), 1))


def reliability_table(y: np.ndarray, p: np.ndarray, n_bins: int = 10) -> pd.DataFrame:
    """Reliability (calibration) table over ``n_bins`` equal-width bins of p.

    Returns
    -------
    pandas.DataFrame
        ``bin, p_low, p_high, n, mean_predicted, observed_rate`` (empty bins
        kept with ``n = 0`` and NaN rates).

    Examples
    --------
    >>> import numpy as np
    >>> t = reliability_table(np.array([0, 1, 1]), np.array([0.05, 0.95, 0.99]), n_bins=2)
    >>> t[["n", "observed_rate"]].values.tolist()
    [[1.0, 0.0], [2.0, 1.0]]
    """
    y = np.asarray(y, dtype="float64")
    p = np.asarray(p, dtype="float64")
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    b = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, n_bins - 1)
    n = np.bincount(b, minlength=n_bins).astype("float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_p = np.bincount(b, weights=p, minlength=n_bins) / n
        rate = np.bincount(b, weights=y, minlength=n_bins) / n
    return pd.DataFrame(
        {
            "bin": np.arange(n_bins),
            "p_low": edges[:-1],
            "p_high": edges[1:],
            "n": n,
            "mean_predicted": mean_p,
            "observed_rate": rate,
        }
    )


def strategy_scores(model: Any, snapshots: pd.DataFrame) -> pd.DataFrame:
    """Priority scores of the model and the baselines (higher = worked first).

    Returns
    -------
    pandas.DataFrame
        ``as_of, claim_id, recovered, recovered_eur, outstanding_eur,
        p_amicable, expected_recovery_eur`` and one column per
        :data:`STRATEGIES`. The historical-delay baseline uses
        ``debtor_hist_mean_days_late`` (customers without history get the
        median delay of the date).
    """
    scored = model.score_frame(snapshots)
    out = snapshots[["as_of", "claim_id", "recovered", "recovered_eur", "outstanding_eur"]].copy()
    out["p_amicable"] = scored["p_amicable"].to_numpy()
    out["expected_recovery_eur"] = scored["expected_recovery_eur"].to_numpy()
    out["model_expected_eur"] = out["expected_recovery_eur"]
    out["model_p_x_outstanding"] = out["p_amicable"] * out["outstanding_eur"]
    out["oldest_first"] = snapshots["days_past_due"].astype("float64")
    out["largest_first"] = out["outstanding_eur"]
    if "debtor_hist_mean_days_late" in snapshots.columns:
        delay = snapshots["debtor_hist_mean_days_late"].astype("float64")
        delay = delay.fillna(delay.groupby(snapshots["as_of"]).transform("median")).fillna(0.0)
    else:
        delay = pd.Series(0.0, index=snapshots.index)
    out["fastest_payer_first"] = -delay
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

    Parameters
    ----------
    scores : pandas.DataFrame
        Output of :func:`strategy_scores`.
    capacity : float, default 0.10
        Share of the open claims the team can work at each as_of date
        (``ceil(capacity x n)`` claims per date; ties broken by claim_id).
    strategies : sequence of str, optional
        Score columns to compare (default: those of :data:`STRATEGIES` present).

    Returns
    -------
    pandas.DataFrame
        One row per strategy: ``strategy, capacity, claims_worked,
        captured_eur, total_eur, captured_share, share_of_perfect``.

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
) -> pd.DataFrame:
    """:func:`captured_at_capacity` over a range of capacities (for plots).

    Returns
    -------
    pandas.DataFrame
        Long table: the columns of :func:`captured_at_capacity`, one row per
        (capacity, strategy), capacities in increasing order.
    """
    if capacities is None:
        capacities = np.round(np.arange(0.02, 1.0001, 0.02), 2)
    if strategies is None:
        strategies = [s for s in STRATEGIES if s in scores.columns]
    euros = scores["recovered_eur"].to_numpy(dtype="float64")
    total = float(euros.sum())
    ranks = {s: _ranks(scores, s) for s in strategies}
    rows = []
    for cap in capacities:
        for strat in strategies:
            rank, size = ranks[strat]
            mask = rank < np.ceil(cap * size)
            rows.append((strat, float(cap), int(mask.sum()), float(euros[mask].sum()), total))
    out = pd.DataFrame(
        rows, columns=["strategy", "capacity", "claims_worked", "captured_eur", "total_eur"]
    )
    out["captured_share"] = out["captured_eur"] / total if total > 0 else np.nan
    if "perfect_hindsight" in strategies:
        perfect = out.loc[out["strategy"] == "perfect_hindsight"].set_index("capacity")
        best = out["capacity"].map(perfect["captured_eur"])
        out["share_of_perfect"] = out["captured_eur"] / best.where(best > 0)
    else:
        out["share_of_perfect"] = np.nan
    return out


def _auc(y: np.ndarray, s: np.ndarray) -> float:
    return float(roc_auc_score(y, s)) if len(np.unique(y)) == 2 else float("nan")


def evaluate(model: Any, snapshots_test: pd.DataFrame, capacity: float = 0.10) -> dict:
    """Metrics of the model and the baselines on held-out snapshots.

    Parameters
    ----------
    model : AmicableModel
        Fitted on older snapshots (see :func:`time_split`).
    snapshots_test : pandas.DataFrame
        Newer labelled snapshots.
    capacity : float, default 0.10
        Share of the open claims worked at each date, for the captured euros.

    Returns
    -------
    dict
        ``metrics`` (dict: rows, dates, base_rate, roc_auc, pr_auc, brier,
        log_loss, ece, lift_top_decile, mean_predicted),
        ``strategies`` (DataFrame: captured euros at ``capacity`` and ROC AUC
        of each work order), ``reliability`` (DataFrame, 10 bins),
        ``curve`` (DataFrame, captured euros over capacity) and
        ``scores`` (DataFrame, :func:`strategy_scores`).
    """
    scores = strategy_scores(model, snapshots_test)
    y = scores["recovered"].astype("float64").to_numpy()
    p = scores["p_amicable"].to_numpy()
    two = len(np.unique(y)) == 2
    top = _worked(scores.assign(_p=p), "_p", 0.10)
    base = float(y.mean()) if len(y) else float("nan")
    metrics = {
        "rows": len(y),
        "dates": int(scores["as_of"].nunique()),
        "first_date": str(scores["as_of"].min().date()),
        "last_date": str(scores["as_of"].max().date()),
        "base_rate": base,
        "mean_predicted": float(p.mean()) if len(p) else float("nan"),
        "roc_auc": _auc(y, p),
        "pr_auc": float(average_precision_score(y, p)) if two else float("nan"),
        "brier": float(np.mean((p - y) ** 2)),
        "log_loss": float(log_loss(y, np.clip(p, 1e-6, 1 - 1e-6), labels=[0, 1])),
        "ece": expected_calibration_error(y, p),
        "lift_top_decile": float(y[top].mean() / base) if base > 0 else float("nan"),
        "capacity": capacity,
    }
    strategies = captured_at_capacity(scores, capacity)
    strategies["roc_auc"] = [_auc(y, scores[s].to_numpy()) for s in strategies["strategy"]]
    model_rows = strategies["strategy"].str.startswith("model_")
    best_base = strategies.loc[strategies["strategy"].isin(_BASELINES)]
    metrics["captured_share"] = float(
        strategies.loc[strategies["strategy"] == "model_expected_eur", "captured_share"].iloc[0]
    )
    metrics["best_baseline"] = str(best_base.sort_values("captured_eur").iloc[-1]["strategy"])
    metrics["beats_baselines_eur"] = bool(
        strategies.loc[model_rows, "captured_eur"].max() > best_base["captured_eur"].max()
    )
    metrics["beats_baselines_auc"] = bool(metrics["roc_auc"] > best_base["roc_auc"].max())
    return {
        "metrics": metrics,
        "strategies": strategies,
        "reliability": reliability_table(y, p),
        "curve": captured_curve(scores),
        "scores": scores,
    }
