"""Replay the call-queue policy week by week over the history, against simple work orders.

At each weekly ``as_of`` of the backtest window, :func:`backtest_call_queue`
builds the queue with :func:`~recovery_analytics.queue.build_call_queue`
from what was known then (every state, uplift and call-history figure reads
events dated on or before ``as_of`` only), and counts the euros paid in the
following 7 and 30 days on the overdue claims of the debtors it would have
called. Two baselines work the same number of debtors out of the same
callable pool (every debtor that passes the eligibility rules): the oldest
debt first and the largest outstanding first.

What it measures: whom each work order picks, and what those debtors paid in
the history. The history's own dunning happened whatever the work order, so
the backtest scores the *targeting* (do the chosen debtors pay), not the
causal effect of the calls; see ``docs/call-queue.md``.

Leakage: pass a model trained on the history before the first backtest date,
:func:`backtest_model` (one light model, trained once); a model trained on the
whole history has seen the outcomes it is scored on. The uplift of a reached
call is estimated once, from the events dated up to the first backtest date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from recovery_analytics.portfolio import InputError, Portfolio
from recovery_analytics.queue._backtest_model import backtest_dates, backtest_model

__all__ = [
    "POLICIES",
    "BacktestRun",
    "backtest_call_queue",
    "backtest_totals",
    "run_backtest",
]

#: Work orders compared, in report order.
POLICIES: tuple[str, ...] = ("queue", "oldest_first", "largest_first")
#: Reasons of debtors that could be called (the pool the baselines choose from).
_CALLABLE = ("not_worth_a_call", "no_matching_collector", "segment_cap", "below_capacity")


def _collected(
    portfolio: Portfolio, as_of: pd.Timestamp, claims: pd.Series, horizons
) -> pd.DataFrame:
    """Per debtor: payments in (as_of, as_of + h] on the given claims, for each horizon."""
    ev = portfolio.events
    h_max = max(horizons)
    pay = ev[
        (ev["type"] == "payment").to_numpy()
        & (ev["date"] > as_of).to_numpy()
        & (ev["date"] <= as_of + pd.Timedelta(days=h_max)).to_numpy()
        & ev["claim_id"].isin(claims).to_numpy()
    ]
    debtor = portfolio.claims.drop_duplicates("claim_id").set_index("claim_id")["debtor_id"]
    pay = pay.assign(debtor_id=debtor.reindex(pay["claim_id"]).to_numpy())
    days = (pay["date"] - as_of).dt.days.to_numpy()
    out = {}
    for h in horizons:
        amounts = pay["amount"].fillna(0.0).where(days <= h, 0.0)
        out[f"collected_{h}d_eur"] = amounts.groupby(pay["debtor_id"].to_numpy()).sum()
    return pd.DataFrame(out)


def backtest_call_queue(
    portfolio: Portfolio,
    model: Any,
    *,
    dates: Sequence[Any] | None = None,
    weeks: int = 13,
    horizons: Sequence[int] = (7, 30),
    collectors: int | Sequence[str] = 3,
    calls_per_collector: int | None = 40,
    progress: bool = False,
    **queue_options: Any,
) -> pd.DataFrame:
    """Euros collected from the debtors each work order would have called, week by week.

    Parameters
    ----------
    portfolio : Portfolio
        The full history.
    model : AmicableModel or None
        Ideally trained on :func:`history_before` the first date (no leakage).
    dates : sequence of date-like, optional
        The weekly as_of dates; default :func:`backtest_dates` (``weeks`` weeks
        ending ``max(horizons)`` days before the last event).
    weeks : int, default 13
    horizons : sequence of int, default (7, 30)
        Follow-up windows in days.
    collectors, calls_per_collector
        The capacity, as in :func:`~recovery_analytics.queue.build_call_queue`.
    progress : bool, default False
    **queue_options
        Passed to ``build_call_queue`` (``cooloff_days``, ``judicial``...).
        Without ``uplift``, the uplift of a reached call is estimated once,
        at the first date (events dated up to it), and used every week.

    Returns
    -------
    pandas.DataFrame
        One row per week and work order (:data:`POLICIES`), sorted:
        ``as_of, policy, debtors_called, outstanding_eur`` (overdue
        outstanding of the called debtors) and ``collected_<h>d_eur`` for each
        horizon. Every work order calls the same number of debtors (the
        queue's length that week) from the same callable pool.

    Examples
    --------
    >>> from recovery_analytics.demo import generate_demo
    >>> bt = backtest_call_queue(generate_demo(150, seed=3), None, weeks=2,
    ...                          collectors=1, calls_per_collector=5)
    >>> bt["policy"].unique().tolist()
    ['queue', 'oldest_first', 'largest_first']
    """
    from tqdm.auto import tqdm

    from recovery_analytics.queue._queue import build_call_queue
    from recovery_analytics.queue._value import estimate_call_uplift

    horizons = tuple(int(h) for h in horizons)
    if dates is None:
        dates = backtest_dates(portfolio, weeks=weeks, follow_up_days=max(horizons))
    dates = sorted(pd.to_datetime(list(dates)))
    # the replay measures who pays after the queue's calls, not what the calls add: it
    # replays the age-bucket lift ranking (the learned effects are evaluated off-policy,
    # evaluate_call_policies)
    queue_options.setdefault("effects", False)
    if dates and queue_options.get("uplift") is None:
        queue_options["uplift"] = estimate_call_uplift(portfolio, dates[0])
    rows = []
    for as_of in tqdm(dates, disable=not progress, desc="backtest"):
        cq = build_call_queue(
            portfolio,
            model,
            as_of,
            collectors=collectors,
            calls_per_collector=calls_per_collector,
            reasons=False,
            **queue_options,
        )
        deb = cq.debtors
        pool = deb[(deb["reason"].isna() | deb["reason"].isin(_CALLABLE)).to_numpy()]
        k = len(cq.queue)
        picks = {
            "queue": cq.queue["debtor_id"],
            "oldest_first": pool.sort_values(
                ["oldest_days_past_due", "debtor_id"], ascending=[False, True], kind="stable"
            )["debtor_id"].head(k),
            "largest_first": pool.sort_values(
                ["total_outstanding_eur", "debtor_id"], ascending=[False, True], kind="stable"
            )["debtor_id"].head(k),
        }
        overdue = cq.actions.loc[(cq.actions["days_past_due"] > 0).to_numpy(), "claim_id"]
        got = _collected(portfolio, as_of, overdue, horizons)
        owed = deb.set_index("debtor_id")["total_outstanding_eur"]
        for policy in POLICIES:
            ids = pd.Index(picks[policy])
            row = {
                "as_of": as_of,
                "policy": policy,
                "debtors_called": len(ids),
                "outstanding_eur": float(owed.reindex(ids).sum()),
            }
            for h in horizons:
                col = f"collected_{h}d_eur"
                row[col] = float(got[col].reindex(ids).fillna(0.0).sum()) if len(got) else 0.0
            rows.append(row)
    out = pd.DataFrame(rows)
    if not len(out):
        cols = ["as_of", "policy", "debtors_called", "outstanding_eur"]
        out = pd.DataFrame(columns=cols + [f"collected_{h}d_eur" for h in horizons])
    return out.astype({"policy": "str"}).reset_index(drop=True)


@dataclass
class BacktestRun:
    """What :func:`run_backtest` replayed, and with which model.

    Attributes
    ----------
    weekly : pandas.DataFrame
        :func:`backtest_call_queue` output (empty when nothing was replayed).
    totals : pandas.DataFrame
        :func:`backtest_totals` of ``weekly``.
    dates : pandas.DatetimeIndex
        The weekly as_of dates.
    model : str
        ``"history_before"`` (a :func:`backtest_model` trained on the history
        before the first date: no leakage), ``"given"`` (the model passed in,
        which may have seen the outcomes) or ``"none"`` (not replayed).
    note : str
        One French sentence for the report saying what was replayed.
    """

    weekly: pd.DataFrame
    totals: pd.DataFrame
    dates: pd.DatetimeIndex
    model: str
    note: str


def run_backtest(
    portfolio: Portfolio,
    model: Any,
    *,
    weeks: int = 13,
    retrain: bool = True,
    num_threads: int | None = 1,
    **queue_options: Any,
) -> BacktestRun:
    """The backtest of the weekly report: train the stand-in model once, replay, total.

    With ``retrain`` (the default), one :func:`backtest_model` is trained on
    the history before the first of the :func:`backtest_dates` and replays
    every week; when that history is too short to train on, nothing is
    replayed and ``note`` says why (the weekly job goes on). Without
    ``retrain``, ``model`` is used as given: it has probably seen the
    outcomes it is scored on, which flatters the queue.

    Parameters
    ----------
    portfolio : Portfolio
    model : AmicableModel or None
        Used when ``retrain`` is False.
    weeks : int, default 13
    retrain : bool, default True
    num_threads : int or None, default 1
        LightGBM threads of the backtest model.
    **queue_options
        Passed to :func:`backtest_call_queue` (capacity, ``schedule``...).

    Returns
    -------
    BacktestRun

    Examples
    --------
    >>> from recovery_analytics.demo import generate_demo
    >>> run = run_backtest(generate_demo(150, seed=3), None, weeks=2, retrain=False,
    ...                    collectors=1, calls_per_collector=5)
    >>> run.model, len(run.weekly)
    ('given', 6)
    """
    dates = backtest_dates(portfolio, weeks=weeks)
    empty = backtest_call_queue(portfolio, None, dates=[])
    if not len(dates):
        return BacktestRun(empty, backtest_totals(empty), dates, "none", "Pas de rejeu demandé.")
    span = f"{len(dates)} semaines, du {dates[0]:%d/%m/%Y} au {dates[-1]:%d/%m/%Y}"
    origin = "given"
    note = (
        f"Rejeu sur {span}, avec le modèle de la semaine : il a vu une partie des "
        "encaissements sur lesquels il est jugé (résultat optimiste)."
    )
    if retrain:
        try:
            model = backtest_model(portfolio, dates[0], num_threads=num_threads)
        except InputError as exc:
            note = (
                f"Pas de rejeu : l'historique antérieur au {dates[0]:%d/%m/%Y} ne suffit pas "
                f"pour entraîner un modèle sans fuite ({str(exc).rstrip('.')})."
            )
            return BacktestRun(empty, backtest_totals(empty), dates, "none", note)
        origin = "history_before"
        note = (
            f"Rejeu sur {span}. Modèle léger entraîné une seule fois sur l'historique "
            f"antérieur au {dates[0]:%d/%m/%Y} (il n'a vu aucun des encaissements sur "
            "lesquels il est jugé) ; effet d'un appel estimé à cette même date."
        )
    weekly = backtest_call_queue(portfolio, model, dates=dates, **queue_options)
    return BacktestRun(weekly, backtest_totals(weekly), dates, origin, note)


def backtest_totals(weekly: pd.DataFrame) -> pd.DataFrame:
    """Totals over the weeks per work order, and the queue's ratio to each.

    Returns
    -------
    pandas.DataFrame
        One row per work order (:data:`POLICIES` order): ``policy, weeks,
        debtors_called, collected_<h>d_eur`` and ``queue_ratio_<h>d`` (the
        queue's euros over this work order's; 1 for the queue itself, NaN when
        the work order collected nothing).

    Examples
    --------
    >>> w = pd.DataFrame({"as_of": ["2026-01-05"] * 3, "policy": ["queue", "oldest_first",
    ...     "largest_first"], "debtors_called": [2, 2, 2], "outstanding_eur": [1.0, 1.0, 1.0],
    ...     "collected_7d_eur": [300.0, 100.0, 150.0]})
    >>> backtest_totals(w)["queue_ratio_7d"].tolist()
    [1.0, 3.0, 2.0]
    """
    cols = [c for c in weekly.columns if c.startswith("collected_")]
    g = weekly.groupby("policy")
    out = pd.DataFrame({"weeks": g["as_of"].nunique(), "debtors_called": g["debtors_called"].sum()})
    out = out.join(g[cols].sum()).reindex([p for p in POLICIES if p in out.index])
    for c in cols:
        h = c.removeprefix("collected_").removesuffix("_eur")
        queue = out.loc["queue", c] if "queue" in out.index else np.nan
        out[f"queue_ratio_{h}"] = queue / out[c].where(out[c] > 0)
    out.index.name = "policy"
    return out.reset_index().astype({"policy": "str"})
