"""Training snapshots: past claim states and what happened next.

For a series of past as_of dates (every ``every_days`` days, anchored on the
last usable one, ``last event date - horizon_days``), the claims open at that
date (overdue or not yet due) get their state computed from events dated on or before
it (:func:`recovery_analytics.state.portfolio_states`), and a label from the
events of the next ``horizon_days`` (``as_of < date <= as_of + horizon``):

``recovered``
    the claim was **paid**: payments (and credit notes for the part they
    cancel) bring the outstanding down to at most ``max(1 EUR, 1 %)`` of the
    outstanding at as_of, some cash was paid, and there was no court event
    (``COURT_EVENT_TYPES``: a filing, an injonction request or order, a
    summons...) and no ``write_off`` in the window.
``cancelled``
    the claim was closed by credit notes with no cash (a return, a commercial
    gesture, a dispute settled against the creditor): it was not owed, so it is
    neither recovered nor unrecovered. :func:`training_snapshots` leaves these
    rows out of training and evaluation (their count is in
    ``attrs["cancelled_rows"]``).
``recovered_eur``
    cash: payments dated in the window and before any judicial filing in it,
    capped at the outstanding at as_of.
``recovered_fraction``
    ``recovered_eur / outstanding_eur``, in [0, 1].

Nothing dated after an as_of can reach its features: the state is computed by
the feature code from events ``<= as_of`` only, and the labels are the only
columns that read later events. One input is not dated: the static
``claims.disputed`` flag is what was known on the export date, so in the
snapshots ``open_dispute`` follows the dated dispute events only (a
``dispute_opened`` without a later ``dispute_resolved``, known at as_of); the
flag is ignored there (see :func:`training_snapshots`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from recovery_analytics.portfolio import COURT_EVENT_TYPES, InputError, Portfolio
from recovery_analytics.state import HISTORY_DAYS

__all__ = [
    "LABEL_COLUMNS",
    "MIN_SNAPSHOT_DATES",
    "as_local_days",
    "attach_attributes",
    "label_snapshots",
    "snapshot_dates",
    "static_attribute_warnings",
    "training_snapshots",
]

#: Columns added by :func:`label_snapshots`.
LABEL_COLUMNS: tuple[str, ...] = (
    "label_end",
    "recovered",
    "recovered_eur",
    "recovered_fraction",
    "judicial_in_window",
    "cancelled",
)
#: Fewest snapshot dates training accepts (older slice, later slice, holdout).
MIN_SNAPSHOT_DATES = 4
_ABS_TOL, _REL_TOL = 1.0, 0.01


def snapshot_dates(
    events: pd.DataFrame,
    *,
    horizon_days: int = 90,
    every_days: int = 14,
    start: pd.Timestamp | str | None = None,
    end: pd.Timestamp | str | None = None,
) -> pd.DatetimeIndex:
    """The as_of dates of the training snapshots, oldest first.

    Anchored on the last usable date (``last event date - horizon_days``, or
    ``end`` if earlier) and going back every ``every_days`` down to ``start``
    (default: the first event date).

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"date": pd.to_datetime(["2025-01-01", "2025-06-30"])})
    >>> snapshot_dates(ev, horizon_days=90, every_days=30).strftime("%m-%d").tolist()
    ['01-01', '01-31', '03-02', '04-01']
    """
    if not len(events):
        return pd.DatetimeIndex([], dtype="datetime64[ns]")
    last = events["date"].max() - pd.Timedelta(days=horizon_days)
    if end is not None:
        last = min(last, pd.Timestamp(end))
    first = pd.Timestamp(start) if start is not None else events["date"].min()
    if last < first:
        return pd.DatetimeIndex([], dtype="datetime64[ns]")
    n = int((last - first).days // every_days)
    dates = [last - pd.Timedelta(days=every_days * k) for k in range(n, -1, -1)]
    return pd.DatetimeIndex(dates).astype("datetime64[ns]")


def as_local_days(values: pd.Series) -> pd.Series:
    """Dates as days in France: time-zone-aware values converted to Europe/Paris first.

    Examples
    --------
    >>> s = pd.Series(pd.to_datetime(["2026-03-16T23:30:00Z", "2026-03-16T10:00:00Z"]))
    >>> as_local_days(s).dt.strftime("%Y-%m-%d").tolist()
    ['2026-03-17', '2026-03-16']
    """
    s = pd.to_datetime(values)
    if getattr(s.dt, "tz", None) is not None:
        s = s.dt.tz_convert("Europe/Paris").dt.tz_localize(None)
    return s.dt.normalize().astype("datetime64[ns]")


def static_attribute_warnings(portfolio: Portfolio, snapshots: pd.DataFrame) -> list[str]:
    """What the export date knows that past snapshots may not have known.

    A debtor column is the state on the export date: a bureau score, an extra
    feature column of the mapping, an insolvency status without its date. In a
    snapshot taken months before the export it may reveal what happened since
    (the score dropped because the debtor stopped paying). Returns one sentence
    per risk (empty when there is none).
    """
    out = []
    first = snapshots["as_of"].min() if len(snapshots) else None
    span = (snapshots["as_of"].max() - first).days if first is not None else 0
    extra = [c for k in ("numeric", "categorical") for c in portfolio.extra_features.get(k, [])]
    if extra:
        out.append(
            f"the extra feature column(s) {', '.join(extra)} hold the values of the export date "
            f"and are used in snapshots up to {span} days older: if they changed with the "
            "debtor's payments (a score, a segment), they tell the model what happened later"
        )
    d = portfolio.debtors
    if "insolvency_status" in d.columns:
        status = d["insolvency_status"].astype("string").fillna("none")
        no_date = status.ne("none")
        if "insolvency_date" in d.columns:
            no_date &= d["insolvency_date"].isna()
        n = int(no_date.sum())
        if n:
            out.append(
                f"{n} debtor(s) in insolvency proceedings have no insolvency_date (the BODACC "
                "publication date): their status counts at every snapshot date, also before "
                "it was published; give the date"
            )
    return out


def _cum_at(keys: pd.DataFrame, ev: pd.DataFrame, when: str, value: str) -> np.ndarray:
    """Cumulative ``value`` of each claim's events dated <= ``keys[when]``."""
    left = keys[["claim_id", when]].reset_index().sort_values(when, kind="stable")
    right = ev[["claim_id", "date", value]].sort_values("date", kind="stable")
    merged = pd.merge_asof(left, right, left_on=when, right_on="date", by="claim_id")
    out = merged.set_index("index")[value].reindex(keys.index).fillna(0.0)
    return out.to_numpy(dtype="float64")


def _first_after(keys: pd.DataFrame, dates: pd.DataFrame) -> pd.Series:
    """First event date strictly after each row's as_of (NaT if none)."""
    left = keys[["claim_id", "as_of"]].reset_index().sort_values("as_of", kind="stable")
    right = dates.rename(columns={"date": "next_date"}).sort_values("next_date", kind="stable")
    merged = pd.merge_asof(
        left,
        right,
        left_on="as_of",
        right_on="next_date",
        by="claim_id",
        direction="forward",
        allow_exact_matches=False,
    )
    return merged.set_index("index")["next_date"].reindex(keys.index)


def label_snapshots(
    states: pd.DataFrame, events: pd.DataFrame, horizon_days: int = 90
) -> pd.DataFrame:
    """Add the labels of the ``horizon_days`` after each row's as_of.

    Parameters
    ----------
    states : pandas.DataFrame
        Claim states with at least ``claim_id, as_of, outstanding_eur``.
    events : pandas.DataFrame
        The portfolio's events (all dates).
    horizon_days : int, default 90

    Returns
    -------
    pandas.DataFrame
        ``states`` with :data:`LABEL_COLUMNS` added (``label_end`` = as_of +
        horizon).

    Examples
    --------
    >>> import pandas as pd
    >>> st = pd.DataFrame({"claim_id": ["A", "B"], "as_of": pd.to_datetime(["2025-01-31"] * 2),
    ...                    "outstanding_eur": [100.0, 200.0]})
    >>> ev = pd.DataFrame({"claim_id": ["A", "B", "B"],
    ...     "date": pd.to_datetime(["2025-02-10", "2025-02-01", "2025-03-01"]),
    ...     "type": ["payment", "payment", "judicial_filing"], "amount": [99.5, 50.0, None]})
    >>> label_snapshots(st, ev, 90)[["recovered", "recovered_eur", "recovered_fraction"]]
       recovered  recovered_eur  recovered_fraction
    0       True           99.5               0.995
    1      False           50.0               0.250
    """
    out = states.copy()
    out["as_of"] = out["as_of"].astype("datetime64[ns]").dt.normalize()
    out["label_end"] = out["as_of"] + pd.Timedelta(days=horizon_days)
    ev = events[["claim_id", "date", "type", "amount"]].astype({"claim_id": "str"})
    ev["date"] = as_local_days(ev["date"])  # events count by day, as in the features
    money = ev[ev["type"].isin(["payment", "credit_note"])]
    money = money.assign(
        amount=money["amount"].fillna(0.0).clip(lower=0.0),
        paid=money["amount"].fillna(0.0).clip(lower=0.0).where(money["type"] == "payment", 0.0),
    ).sort_values(["claim_id", "date"], kind="stable")
    money["cum_paid"] = money.groupby("claim_id", sort=False)["paid"].cumsum()
    money["cum_settled"] = money.groupby("claim_id", sort=False)["amount"].cumsum()
    money = money.drop_duplicates(["claim_id", "date"], keep="last")

    filing = _first_after(out, ev.loc[ev["type"].isin(COURT_EVENT_TYPES), ["claim_id", "date"]])
    write_off = _first_after(out, ev.loc[ev["type"] == "write_off", ["claim_id", "date"]])
    judicial = (filing <= out["label_end"]).to_numpy()
    written = (write_off <= out["label_end"]).to_numpy()
    day = pd.Timedelta(days=1)
    keys = (
        out[["claim_id", "as_of"]]
        .astype({"claim_id": "str"})
        .assign(
            cash_end=out["label_end"].where(~judicial, filing - day), label_end=out["label_end"]
        )
    )
    outstanding = out["outstanding_eur"].to_numpy(dtype="float64")
    paid = _cum_at(keys, money, "cash_end", "cum_paid") - _cum_at(keys, money, "as_of", "cum_paid")
    settled = _cum_at(keys, money, "label_end", "cum_settled") - _cum_at(
        keys, money, "as_of", "cum_settled"
    )
    credited = settled - (
        _cum_at(keys, money, "label_end", "cum_paid") - _cum_at(keys, money, "as_of", "cum_paid")
    )
    tol = np.maximum(_ABS_TOL, _REL_TOL * outstanding)
    closed = (outstanding - settled <= tol) & ~judicial & ~written
    cancelled = closed & (paid <= tol) & (credited > tol)
    out["recovered"] = closed & ~cancelled
    out["recovered_eur"] = np.clip(paid, 0.0, outstanding)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(outstanding > 0, out["recovered_eur"] / outstanding, 0.0)
    out["recovered_fraction"] = np.clip(frac, 0.0, 1.0)
    out["judicial_in_window"] = judicial
    out["cancelled"] = cancelled
    return out


def attach_attributes(
    state: pd.DataFrame, portfolio: Portfolio, columns: Iterable[str] = ()
) -> pd.DataFrame:
    """Add debtor/claim columns the model may use and the state lacks.

    ``naf_code`` and ``department`` from ``debtors``, every extra feature
    column of ``portfolio.extra_features`` and every name in ``columns`` (e.g.
    ``model.required_columns()``: a model trained with extra features finds
    them even when the scored portfolio declares none) are merged in from
    ``debtors`` (by ``debtor_id``) or ``claims`` (by ``claim_id``) when the
    state does not already carry them. Names found in neither table are
    skipped (:func:`~recovery_analytics.amicable.check_compatible` reports
    them).

    Examples
    --------
    >>> import pandas as pd
    >>> from recovery_analytics.portfolio import Portfolio
    >>> pf = Portfolio(debtors=pd.DataFrame({"debtor_id": ["D1"], "naf_code": ["4711Z"]}),
    ...                claims=pd.DataFrame({"claim_id": ["C1"], "grade": ["A"], "score": [3]}),
    ...                events=pd.DataFrame(), extra_features={"categorical": ["grade"]})
    >>> st = pd.DataFrame({"claim_id": ["C1"], "debtor_id": ["D1"]})
    >>> attach_attributes(st, pf).columns.tolist()
    ['claim_id', 'debtor_id', 'naf_code', 'grade']
    >>> attach_attributes(st, pf, columns=["score", "absent"]).columns.tolist()
    ['claim_id', 'debtor_id', 'naf_code', 'grade', 'score']
    """
    wanted = ["naf_code", "department"]
    for kind in ("numeric", "categorical"):
        wanted += list(portfolio.extra_features.get(kind, []))
    wanted += [c for c in columns if c not in wanted]
    out = state
    for table, key in ((portfolio.debtors, "debtor_id"), (portfolio.claims, "claim_id")):
        cols = [c for c in wanted if c in table.columns and c not in out.columns and c != key]
        if cols:
            lookup = table.drop_duplicates(key).set_index(key)[cols]
            out = out.join(lookup, on=key)
    return out


def training_snapshots(
    portfolio: Portfolio,
    *,
    horizon_days: int = 90,
    every_days: int = 14,
    start: pd.Timestamp | str | None = None,
    end: pd.Timestamp | str | None = None,
    dates: Sequence[pd.Timestamp] | None = None,
    history_days: int | None = HISTORY_DAYS,
    include_not_due: bool = True,
    max_rows: int | None = None,
) -> pd.DataFrame:
    """Labelled claim states at past as_of dates, for training and evaluation.

    Every claim open at a snapshot date is a row, the claims not yet due
    included (``days_past_due <= 0``, i.e. minus the days to the due date):
    the model scores every open claim, so it is trained on every open claim
    (the courtesy reminder before the due date reads its probability).

    The states are those of :func:`~recovery_analytics.state.portfolio_states`
    with one difference: ``open_dispute`` follows the dated dispute events only
    (``dispute_opened`` without a later ``dispute_resolved``, as of the
    snapshot date, i.e. ``dispute_opened_date`` is known). The static
    ``claims.disputed`` flag is ignored here: it is the state on the export
    date, and in a snapshot taken months earlier it would reveal disputes
    that opened after the snapshot (and tell the model that these claims
    were not paid). At scoring time the flag is current and counts.

    Parameters
    ----------
    portfolio : Portfolio
        A validated portfolio with its events (payments at least).
    horizon_days : int, default 90
        Label window after each as_of.
    every_days : int, default 14
        Spacing of the as_of dates.
    start, end : date, optional
        Limits of the as_of dates (default: first event date, and last event
        date - horizon).
    dates : sequence of dates, optional
        Explicit as_of dates (overrides the schedule).
    history_days : int or None, default 365
        Look-back of the debtor history features
        (:data:`~recovery_analytics.state.HISTORY_DAYS`; None = all the
        history, see :func:`~recovery_analytics.state.portfolio_state`). Recorded in
        ``attrs["history_days"]`` so that the model scores with the same.
    max_rows : int, optional
        Memory budget: when the snapshots would hold more rows, only a sample of
        whole debtors is used (stable hash of ``debtor_id``, estimated on a pilot
        sample; ``attrs["debtor_fraction"]`` says how much). None: every debtor.

    Returns
    -------
    pandas.DataFrame
        One row per (as_of, claim) open at as_of (and overdue,
        ``days_past_due > 0``, with ``include_not_due=False``): the state
        columns (:func:`~recovery_analytics.state.portfolio_state`, plus
        :func:`attach_attributes`) and :data:`LABEL_COLUMNS`; sorted by
        ``as_of, claim_id``.

    Raises
    ------
    InputError
        No events, no payments, fewer than :data:`MIN_SNAPSHOT_DATES` dates,
        no open overdue claims, or a single class: the message says what is
        missing and how much is needed.
    """
    from recovery_analytics.amicable._budget import within_budget
    from recovery_analytics.state import portfolio_states

    events = portfolio.events
    if events is None or not len(events):
        raise InputError(
            "cannot train: the portfolio has no events. Training needs the payment history "
            f"(events of type 'payment') over at least {horizon_days} days after the as_of dates."
        )
    n_pay = int((events["type"] == "payment").sum())
    if n_pay == 0:
        raise InputError(
            "cannot train: the events hold no payment, so no claim can be seen recovered. "
            "Add the payment events (type 'payment', with amount and date)."
        )
    if dates is None:
        dates = snapshot_dates(
            events, horizon_days=horizon_days, every_days=every_days, start=start, end=end
        )
    dates = pd.DatetimeIndex(sorted(pd.DatetimeIndex(dates).unique()))
    if len(dates) < MIN_SNAPSHOT_DATES:
        span = (events["date"].max() - events["date"].min()).days
        need = horizon_days + (MIN_SNAPSHOT_DATES - 1) * every_days
        raise InputError(
            f"cannot train: only {len(dates)} snapshot date(s) fit in the event history "
            f"({span} days of events); training needs at least {MIN_SNAPSHOT_DATES}, i.e. "
            f"at least {need} days of history with horizon_days={horizon_days} and "
            f"every_days={every_days} (shorten them or provide a longer history)."
        )
    portfolio, fraction = within_budget(portfolio, dates, max_rows, history_days)
    events = portfolio.events
    states = portfolio_states(portfolio, list(dates), only_open=True, history_days=history_days)
    keep = (
        states["is_open"] if include_not_due else states["is_open"] & (states["days_past_due"] > 0)
    )
    states = states[keep]
    if not len(states):
        raise InputError("cannot train: no claim is open at any snapshot date.")
    # the static flag is the export date's knowledge: dated dispute events only
    states = states.assign(open_dispute=states["dispute_opened_date"].notna().to_numpy())
    states = attach_attributes(states, portfolio)
    snaps = label_snapshots(states, events, horizon_days)
    n_cancelled = int(snaps["cancelled"].sum())
    snaps = snaps[~snaps["cancelled"]]  # closed by credit notes: not owed, not a payment
    snaps = snaps.sort_values(["as_of", "claim_id"], kind="stable", ignore_index=True)
    n_pos = int(snaps["recovered"].sum())
    if n_pos in (0, len(snaps)):
        raise InputError(
            f"cannot train: all {len(snaps)} snapshot rows are "
            f"{'recovered' if n_pos else 'unrecovered'} within {horizon_days} days; "
            "training needs both recovered and unrecovered claims (a longer history or "
            "another horizon)."
        )
    snaps.attrs["history_days"] = history_days
    snaps.attrs["cancelled_rows"] = n_cancelled
    snaps.attrs["debtor_fraction"] = fraction
    return snaps
