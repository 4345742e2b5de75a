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

from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, log_loss, roc_auc_score

from recovery_analytics.amicable._baselines import Baselines
from recovery_analytics.amicable._bootstrap import (
    _Orders,
    claim_weight_blocks,
    interval,
    weighted_auc,
    weighted_ece,
)
from recovery_analytics.amicable._strategies import (
    _EURO_ORDERS,
    _RANK_ORDERS,
    PROBABILITIES,
    STRATEGIES,
    _worked,
    captured_at_capacity,
    captured_curve,
    strategy_scores,
)
from recovery_analytics.portfolio import InputError

__all__ = [
    "evaluate",
    "expected_calibration_error",
    "reliability_table",
    "time_split",
]


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


def _auc(y: np.ndarray, s: np.ndarray) -> float:
    return float(roc_auc_score(y, s)) if len(np.unique(y)) == 2 else float("nan")


def evaluate(
    model: Any,
    snapshots_test: pd.DataFrame,
    capacity: float = 0.10,
    *,
    train: pd.DataFrame | None = None,
    n_boot: int = 200,
    seed: int = 0,
) -> dict:
    """Metrics of the model and the baselines on held-out snapshots, with intervals.

    Parameters
    ----------
    model : AmicableModel
        Fitted on older snapshots (see :func:`time_split`).
    snapshots_test : pandas.DataFrame
        Newer labelled snapshots.
    capacity : float, default 0.10
        Share of the open claims worked at each date, for the captured euros.
    train : pandas.DataFrame, optional
        The training snapshots of ``model``: the aging-curve and logistic
        baselines are fitted on them (without it, only the rank baselines run).
    n_boot : int, default 200
        Claim-level bootstrap replicates for the intervals (0: none).
    seed : int, default 0
        Seed of the bootstrap: same inputs and seed, same intervals.

    Returns
    -------
    dict
        ``metrics`` (dict: rows, dates, base_rate, roc_auc, pr_auc, brier,
        log_loss, ece, lift_top_decile, mean_predicted, captured_share, the
        best baseline by euros and by AUC, the model's margins over them with
        95 % intervals, and the verdicts), ``strategies`` (DataFrame: euros
        captured at ``capacity`` per work order, averaged over dates, with
        spread and interval; ROC AUC for the orders that rank who pays, NaN
        for the euro-valued ones), ``probabilities`` (DataFrame: AUC, Brier,
        ECE of every probability score, with intervals), ``reliability``
        (DataFrame, 10 bins), ``curve`` (DataFrame, captured euros over
        capacity) and ``scores`` (DataFrame, :func:`strategy_scores`).
    """
    baselines = Baselines().fit(train) if train is not None else None
    scores = strategy_scores(model, snapshots_test, baselines)
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
    metrics["by_segment"] = _segments(scores, y, p)
    # the orders of work are compared on the collectors' pool: the overdue claims
    pool = scores[scores["days_past_due"] > 0].reset_index(drop=True)
    if not len(pool):
        pool = scores
    y_pool = pool["recovered"].astype("float64").to_numpy()
    names = [s for s in STRATEGIES if s in pool.columns]
    strategies = captured_at_capacity(pool, capacity, names)
    strategies.insert(
        1,
        "kind",
        [
            "model"
            if s.startswith("model_")
            else "oracle"
            if s == "perfect_hindsight"
            else "baseline"
            for s in names
        ],
    )
    strategies["roc_auc"] = [
        float("nan") if s in _EURO_ORDERS else _auc(y_pool, pool[s].to_numpy()) for s in names
    ]
    probs = [s for s in PROBABILITIES if s in pool.columns]
    ranked = probs + [s for s in _RANK_ORDERS if s in pool.columns]
    reps = _bootstrap(pool, y_pool, names, ranked, probs, capacity, n_boot, seed)
    ci = {s: interval(reps["share"][s]) for s in names}
    strategies["share_low"] = [ci[s][0] for s in names]
    strategies["share_high"] = [ci[s][1] for s in names]
    metrics["pool_rows"] = len(pool)
    metrics["captured_share"] = float(
        strategies.loc[strategies["strategy"] == "model_expected_eur", "captured_share"].iloc[0]
    )
    metrics.update(_margins(strategies, reps, y_pool, pool))
    return {
        "metrics": metrics,
        "strategies": strategies,
        "probabilities": _probability_table(pool, y_pool, probs, reps),
        "reliability": reliability_table(y, p),
        "curve": captured_curve(scores),
        "scores": scores,
    }


def _bootstrap(scores, y, names, ranked, probs, capacity, n_boot, seed) -> dict:
    """Bootstrap replicates of the captured shares, AUCs and ECEs."""
    out: dict[str, dict[str, list]] = {"share": {}, "auc": {}, "ece": {}}
    if n_boot <= 0 or not len(scores):
        empty = np.array([])
        return {k: {s: empty for s in names + ranked} for k in out}
    orders = _Orders(scores, names)
    parts: dict[str, dict[str, list]] = {k: {} for k in out}
    for w in claim_weight_blocks(scores["claim_id"], n_boot, seed):
        for s in names:
            parts["share"].setdefault(s, []).append(orders.share(s, capacity, w))
        for s in ranked:
            parts["auc"].setdefault(s, []).append(weighted_auc(y, scores[s].to_numpy(float), w))
        for s in probs:
            parts["ece"].setdefault(s, []).append(weighted_ece(y, scores[s].to_numpy(float), w))
    return {k: {s: np.concatenate(v) for s, v in d.items()} for k, d in parts.items()}


def _segments(scores: pd.DataFrame, y: np.ndarray, p: np.ndarray) -> dict:
    """Rows, base rate, mean p, ROC AUC and ECE of the overdue and the not-yet-due claims."""
    out = {}
    due = scores["days_past_due"].to_numpy() > 0
    for name, mask in (("overdue", due), ("not_yet_due", ~due)):
        if mask.any():
            out[name] = {
                "rows": int(mask.sum()),
                "base_rate": float(y[mask].mean()),
                "mean_predicted": float(p[mask].mean()),
                "roc_auc": _auc(y[mask], p[mask]),
                "ece": expected_calibration_error(y[mask], p[mask]),
            }
    return out


def _verdict(low: float, high: float) -> str:
    if not (np.isfinite(low) and np.isfinite(high)):
        return "unknown"
    return "beats" if low > 0 else "is worse than" if high < 0 else "does not beat"


def _margins(strategies: pd.DataFrame, reps: dict, y: np.ndarray, scores: pd.DataFrame) -> dict:
    """The model's margins over the best baseline, by euros and by AUC, with intervals."""
    st = strategies.set_index("strategy")
    out: dict[str, Any] = {}
    base = st.loc[st["kind"] == "baseline"]
    if len(base) and "model_expected_eur" in st.index:
        best = str(base["captured_share"].idxmax())
        diff = reps["share"].get("model_expected_eur", np.array([]))
        diff = diff - reps["share"][best] if len(diff) else diff
        low, high = interval(diff)
        margin = float(
            st.loc["model_expected_eur", "captured_share"] - base.loc[best, "captured_share"]
        )
        out.update(
            best_baseline=best,
            best_baseline_share=float(base.loc[best, "captured_share"]),
            margin_share=margin,
            margin_share_low=low,
            margin_share_high=high,
            verdict_eur=_verdict(low, high),
            beats_baselines_eur=bool(margin > 0),
        )
    aucs = {s: _auc(y, scores[s].to_numpy()) for s in reps["auc"] if s != "p_amicable"}
    aucs = {s: a for s, a in aucs.items() if np.isfinite(a)}
    if aucs:
        best = max(aucs, key=lambda s: aucs[s])
        diff = reps["auc"].get("p_amicable", np.array([]))
        diff = diff - reps["auc"][best] if len(diff) else diff
        low, high = interval(diff)
        model_auc = _auc(y, scores["p_amicable"].to_numpy())
        out.update(
            best_auc_baseline=best,
            best_baseline_auc=aucs[best],
            margin_auc=float(model_auc - aucs[best]),
            margin_auc_low=low,
            margin_auc_high=high,
            verdict_auc=_verdict(low, high),
            beats_baselines_auc=bool(model_auc > aucs[best]),
        )
    return out


def _probability_table(
    scores: pd.DataFrame, y: np.ndarray, probs: list[str], reps: dict
) -> pd.DataFrame:
    rows = []
    for s in probs:
        q = scores[s].to_numpy(dtype="float64")
        auc_low, auc_high = interval(reps["auc"].get(s, np.array([])))
        ece_low, ece_high = interval(reps["ece"].get(s, np.array([])))
        rows.append(
            {
                "score": s,
                "roc_auc": _auc(y, q),
                "auc_low": auc_low,
                "auc_high": auc_high,
                "brier": float(np.mean((q - y) ** 2)) if len(y) else float("nan"),
                "ece": expected_calibration_error(y, q),
                "ece_low": ece_low,
                "ece_high": ece_high,
            }
        )
    return pd.DataFrame(rows)
