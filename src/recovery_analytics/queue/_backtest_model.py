"""The light model the backtest trains before its window, and the history it may see."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from recovery_analytics.portfolio import Portfolio

if TYPE_CHECKING:
    from recovery_analytics.amicable import AmicableModel

__all__ = [
    "backtest_dates",
    "backtest_model",
    "history_before",
]


def history_before(portfolio: Portfolio, date: Any) -> Portfolio:
    """The portfolio as it was known on ``date``: nothing dated later.

    Claims invoiced after ``date`` and events dated after it are dropped; an
    insolvency published after it is removed (status ``none``). Static
    attributes (contact details, ``disputed`` flag, extra columns such as a
    bureau score) are as extracted: they may still hold a little of the future.

    Examples
    --------
    >>> from recovery_analytics.demo import generate_demo
    >>> p = generate_demo(50, seed=1)
    >>> h = history_before(p, "2026-01-31")
    >>> bool(h.events["date"].max() <= pd.Timestamp("2026-01-31"))
    True
    """
    day = pd.Timestamp(date).normalize()
    claims = portfolio.claims[(portfolio.claims["invoice_date"] <= day).to_numpy()]
    events = portfolio.events[
        (portfolio.events["date"] <= day).to_numpy()
        & portfolio.events["claim_id"].isin(claims["claim_id"]).to_numpy()
    ]
    debtors = portfolio.debtors.copy()
    if "insolvency_date" in debtors:
        later = (debtors["insolvency_date"] > day).to_numpy()
        if "insolvency_status" in debtors:
            debtors.loc[later, "insolvency_status"] = "none"
        debtors.loc[later, "insolvency_date"] = pd.NaT
    return Portfolio(
        debtors=debtors,
        claims=claims.reset_index(drop=True),
        events=events.reset_index(drop=True),
        source=f"{portfolio.source} (known on {day.date().isoformat()})",
        extra_features=dict(portfolio.extra_features),
        notes=list(portfolio.notes),
    )


def backtest_dates(
    portfolio: Portfolio, *, weeks: int = 13, follow_up_days: int = 30
) -> pd.DatetimeIndex:
    """The weekly as_of dates: the last is ``follow_up_days`` before the last event.

    Examples
    --------
    >>> from recovery_analytics.demo import generate_demo
    >>> p = generate_demo(50, seed=1)
    >>> d = backtest_dates(p, weeks=3)
    >>> len(d), (d[1] - d[0]).days, (p.events["date"].max() - d[-1]).days
    (3, 7, 30)
    """
    last = pd.Timestamp(portfolio.events["date"].max()).normalize()
    end = last - pd.Timedelta(days=int(follow_up_days))
    return pd.DatetimeIndex([end - pd.Timedelta(weeks=k) for k in range(int(weeks) - 1, -1, -1)])


def backtest_model(
    portfolio: Portfolio,
    start: Any,
    *,
    horizon_days: int = 90,
    every_days: int = 28,
    n_estimators: int = 100,
    num_threads: int | None = 1,
    **params: Any,
) -> AmicableModel:
    """One light model trained on the history before ``start``, for the backtest.

    The snapshots are those of
    :func:`~recovery_analytics.amicable.training_snapshots` on
    :func:`history_before` ``start``: their labels end by ``start``, so the
    model has seen none of the outcomes the backtest scores. It is trained
    once, on all those snapshots (no holdout evaluation, no refit), with
    fewer snapshot dates and trees than the weekly model: it is a stand-in
    for "the model we would have had then", cheap enough for the weekly job
    (a few seconds on 100k claims, one thread).

    Parameters
    ----------
    portfolio : Portfolio
        The full history.
    start : date-like
        The first backtest date.
    horizon_days, every_days : int
        Label horizon and snapshot spacing.
    n_estimators : int, default 100
    num_threads : int or None, default 1
        LightGBM threads; one thread is steadier on a shared machine.
    **params
        Other :class:`~recovery_analytics.amicable.AmicableModel` parameters.

    Returns
    -------
    AmicableModel
        Fitted, with ``horizon_days_`` set.

    Raises
    ------
    InputError
        Too little history before ``start`` to train (see ``training_snapshots``).

    Examples
    --------
    >>> from recovery_analytics.demo import generate_demo
    >>> p = generate_demo(120, seed=1)
    >>> m = backtest_model(p, backtest_dates(p)[0], n_estimators=10)
    >>> m.horizon_days_
    90
    """
    from recovery_analytics.amicable import AmicableModel, training_snapshots

    extra = portfolio.extra_features or {}
    params.setdefault("extra_numeric", tuple(extra.get("numeric", ())))
    params.setdefault("extra_categorical", tuple(extra.get("categorical", ())))
    params.setdefault("check_features", False)  # a replay model: nobody reads its check
    history = history_before(portfolio, start)
    snaps = training_snapshots(history, horizon_days=horizon_days, every_days=every_days)
    model = AmicableModel(n_estimators=n_estimators, num_threads=num_threads, **params)
    model = model.fit(snaps)
    model.horizon_days_ = horizon_days
    return model
