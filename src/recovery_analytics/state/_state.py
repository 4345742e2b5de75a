"""The state of every claim at an as_of date, from what was known on that date.

:func:`portfolio_state` implements the claim-state contract of
``docs/state-contract.md``: one row per claim invoiced on or before ``as_of``,
computed only from events dated on or before ``as_of`` (nothing later can leak
into it). :func:`portfolio_states` computes the same table for many snapshot
dates at once (the amicable model's training snapshots) and
:func:`debtor_history` gives each debtor's payment behaviour on the claims it
had settled by ``as_of``.

How it is computed: the events are split once into *tracks* (one per group of
event types, e.g. all reminders, all payments), each sorted by
``(claim, date)`` with per-claim running sums. The state at a date is then a
handful of binary searches per claim (``numpy.searchsorted``) instead of a
filter and group-by over the whole event table, so many snapshot dates cost
little more than one: building the tracks is ``O(E log E)`` once, each date
costs ``O(C log E)`` for ``C`` claims and ``E`` events. The index and its
look-ups live in the private module ``_index``, the debtor history
aggregation in ``_history``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from recovery_analytics.portfolio import Portfolio
from recovery_analytics.state._history import _HISTORY_COLUMNS, _history, _window_start
from recovery_analytics.state._index import (
    _NAT,
    _TRACKS,
    _balances,
    _build_index,
    _count,
    _dates,
    _Index,
    _last,
    _legal_dates,
    _promises,
)

__all__ = [
    "HISTORY_DAYS",
    "STAGES",
    "debtor_history",
    "open_claims",
    "portfolio_state",
    "portfolio_states",
]

#: Escalation stages, from none to forced enforcement (``stage_rank`` = index).
STAGES: tuple[str, ...] = (
    "none",
    "reminder",
    "call",
    "visit",
    "formal_notice",
    "judicial",
    "judgment",
    "enforcement",
)
#: Default look-back of the debtor history: claims settled (or written off) in
#: the 365 days before as_of. A fixed window keeps ``debtor_hist_*`` comparable
#: across as_of dates, whatever the length of the export.
HISTORY_DAYS: int = 365
_ACTIONS = ("reminder", "call", "visit", "formal_notice", "judicial", "enforcement")
_CONTACTS = ("reached", "promise", "payment", "dispute_opened", "dispute_resolved", "visit")


def _state_at(
    ix: _Index, a: int, history_days: int | None = HISTORY_DAYS, only_open: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Claim state and debtor history at day ``a`` (see the contract).

    The balances, the debtor history and the exposure need every claim; the
    rest of the state is computed only for the open claims if ``only_open``.
    """
    codes = np.flatnonzero(ix.inv_day <= a)
    paid, credited, wo_day, outstanding, is_open = _balances(ix, codes, a)
    kept, broken, pending, next_day, pending_eur = _promises(ix, codes, a)
    history = _history(ix, codes, a, is_open, wo_day, kept, broken, _window_start(a, history_days))
    dcode = ix.debtor_code[codes]
    nd = len(ix.debtor_ids)
    exposure = np.bincount(dcode, weights=np.where(is_open, outstanding, 0.0), minlength=nd)
    n_open = np.bincount(dcode, weights=is_open, minlength=nd)
    if only_open:
        per_claim = (codes, dcode, paid, credited, wo_day, outstanding, kept, broken, pending)
        codes, dcode, paid, credited, wo_day, outstanding, kept, broken, pending = (
            x[is_open] for x in per_claim
        )
        next_day, pending_eur, is_open = next_day[is_open], pending_eur[is_open], is_open[is_open]

    tr, d0, sp = ix.tracks, ix.day0, ix.span
    cnt, last = {}, {}
    for name, t in tr.items():
        if name in ("credit", "money", "write_off"):  # balances: done above
            continue
        pos, n = _count(t, codes, a, d0, sp)
        cnt[name] = n.astype(np.int64)
        last[name] = _last(t.day, pos, n, _NAT)
    written_off = wo_day != _NAT
    cnt["write_off"] = written_off.astype(np.int64)
    amount, due = ix.amount[codes], ix.due_day[codes]
    stage_rank = np.zeros(len(codes), np.int64)
    for name, (_, rank) in _TRACKS.items():
        if rank:
            stage_rank = np.maximum(stage_rank, rank * (cnt[name] > 0))

    pending &= is_open
    next_day[~is_open] = _NAT
    pending_eur[~is_open] = 0.0

    # Disputes: open if the last opening is later than the last resolution.
    opened, resolved = last["dispute_opened"], last["dispute_resolved"]
    event_open = (opened != _NAT) & (opened > resolved)
    since = np.where(resolved == _NAT, d0 - 1, resolved)
    pos, _ = _count(tr["dispute_opened"], codes, since, d0, sp)
    dispute_start = np.full(len(codes), _NAT)
    dispute_start[event_open] = tr["dispute_opened"].day[pos[event_open]]

    last_action = np.max([last[k] for k in _ACTIONS], axis=0, initial=_NAT)
    last_contact = np.max([last[k] for k in _CONTACTS], axis=0, initial=_NAT)
    # Acknowledgement that interrupts prescription (art. 2240 C. civ.): unequivocal
    # and provable, so a payment (also partial), a written acknowledgement or a
    # promise marked as written; a promise of unknown form is given apart.
    last_ack = np.max([last["payment"], last["acknowledgement"], last["promise_written"]], axis=0)

    def first(name: str) -> np.ndarray:
        t = tr[name]
        out = np.full(len(codes), _NAT)
        ok = cnt[name] > 0
        out[ok] = t.day[t.start[codes[ok]]]
        return out

    def since_days(days: np.ndarray) -> np.ndarray:
        return np.where(days == _NAT, np.nan, a - days.astype(np.float64))

    c = ix.claims.iloc[codes].reset_index(drop=True)
    ins_day = c["insolvency_date"].to_numpy()
    status = c["insolvency_status"].fillna("none")
    ins_known = (ins_day != _NAT) & (ins_day <= a)
    ins_counts = ins_known | ((ins_day == _NAT) & (status != "none"))
    state = pd.DataFrame(
        {
            "claim_id": c["claim_id"],
            "debtor_id": c["debtor_id"],
            "creditor_id": c["creditor_id"],
            "as_of": np.repeat(_dates(np.array([a])), len(codes)),
            "debtor_type": c["debtor_type"],
            "invoice_date": _dates(ix.inv_day[codes]),
            "due_date": _dates(due),
            "amount": amount,
            "paid_eur": paid,
            "credited_eur": credited,
            "written_off": written_off,
            "outstanding_eur": outstanding,
            "is_open": is_open,
            "days_past_due": (a - due).astype(np.int64),
            "payment_terms_days": (due - ix.inv_day[codes]).astype(np.int64),
            "stage": pd.Series(np.asarray(STAGES, dtype=object)[stage_rank], dtype="str"),
            "stage_rank": stage_rank,
            "n_reminders": cnt["reminder"],
            "n_call_attempts": cnt["call"],
            "n_calls_reached": cnt["reached"],
            "n_promises": cnt["promise"],
            "n_promises_kept": kept,
            "n_promises_broken": broken,
            "promise_pending": pending,
            "next_promise_date": _dates(next_day),
            "promised_eur_pending": pending_eur,
            "last_action_date": _dates(last_action),
            "days_since_last_action": since_days(last_action),
            "last_contact_date": _dates(last_contact),
            "days_since_last_contact": since_days(last_contact),
            "last_payment_date": _dates(last["payment"]),
            "n_payments": cnt["payment"],
            "partial_payment": (cnt["payment"] > 0) & is_open,
            "open_dispute": c["disputed"].to_numpy() | event_open,
            "dispute_opened_date": _dates(dispute_start),
            "dispute_age_days": since_days(dispute_start),
            "n_formal_notices": cnt["formal_notice"],
            "formal_notice_date": _dates(last["formal_notice"]),
            "judicial_filing_date": _dates(first("judicial")),
            "judgment_date": _dates(first("judgment")),
            "last_acknowledgement_date": _dates(last_ack),
            "insolvency_status": status.where(ins_counts, "none").astype("str"),
            "insolvency_date": _dates(np.where(ins_known, ins_day, _NAT)),
        },
        copy=False,  # every column is a new array: no copy into one block
    )
    state["debtor_open_exposure_eur"] = np.round(exposure, 2)[dcode]
    state["debtor_open_claims"] = n_open[dcode].astype(np.int64)
    _legal_dates(state, last, c)
    state["naf_code"] = c["naf_code"]
    state["department"] = c["department"]
    for col in _HISTORY_COLUMNS:
        state[col] = history[col].to_numpy()[dcode]
    return state, history


def _check_history_days(history_days: int | None) -> int | None:
    if history_days is None:
        return None
    if isinstance(history_days, bool) or int(history_days) != history_days or history_days < 1:
        raise ValueError(
            f"history_days must be a positive number of days or None, got {history_days!r}"
        )
    return int(history_days)


def _as_day(as_of) -> int:
    return int(pd.Timestamp(as_of).normalize().to_datetime64().astype("datetime64[D]").astype(int))


def portfolio_state(
    portfolio: Portfolio,
    as_of,
    *,
    history_days: int | None = HISTORY_DAYS,
    only_open: bool = False,
) -> pd.DataFrame:
    """State of every claim at ``as_of``, from events dated on or before it.

    Implements ``docs/state-contract.md``: one row per claim whose
    ``invoice_date <= as_of``, sorted by ``claim_id``. Nothing dated after
    ``as_of`` is used: not events, not claims invoiced later, not an
    insolvency published later.

    Parameters
    ----------
    portfolio : Portfolio
        A validated portfolio. ``events`` may be empty (a ledger with no
        history, or scoring from the current state): counts are then 0 and
        dates NaT.
    as_of : date-like
        The snapshot date (``"2026-03-31"``, a ``Timestamp``...); the time of
        day is ignored.
    history_days : int or None, default :data:`HISTORY_DAYS` (365)
        Look-back of the ``debtor_hist_*`` columns: only claims settled (or
        written off) in the ``history_days`` days up to ``as_of`` count.
        None counts everything since the start of the data (the counts then
        grow with the length of the export).
    only_open : bool, default False
        Return only the open claims (``is_open``), index reset. Their rows are
        identical to those of the full state (the debtor history and
        exposure still read every claim), but the rest of the state is
        computed for the open claims only: faster when most claims are
        closed (scoring).

    Returns
    -------
    pandas.DataFrame
        The columns of the contract, then these extra columns:

        ``naf_code``, ``department`` (str)
            from ``debtors`` (NA if the column is absent);
        ``debtor_hist_*``
            the debtor's payment history at ``as_of``, as in
            :func:`debtor_history`.

        ``attrs["history_days"]`` records the look-back used.

    Examples
    --------
    >>> import pandas as pd
    >>> from recovery_analytics.portfolio import Portfolio
    >>> debtors = pd.DataFrame({"debtor_id": ["D1"], "debtor_type": ["B2B"]})
    >>> claims = pd.DataFrame({"claim_id": ["C1"], "debtor_id": ["D1"],
    ...     "invoice_date": pd.to_datetime(["2026-01-01"]),
    ...     "due_date": pd.to_datetime(["2026-01-31"]), "amount": [1000.0]})
    >>> events = pd.DataFrame({"claim_id": ["C1", "C1"],
    ...     "date": pd.to_datetime(["2026-02-10", "2026-04-01"]),
    ...     "type": ["payment", "payment"], "amount": [400.0, 600.0]})
    >>> state = portfolio_state(Portfolio(debtors, claims, events), "2026-03-02")
    >>> state[["outstanding_eur", "days_past_due", "partial_payment"]]
       outstanding_eur  days_past_due  partial_payment
    0            600.0             30             True
    """
    history_days = _check_history_days(history_days)
    state = _state_at(_build_index(portfolio), _as_day(as_of), history_days, only_open)[0]
    state.attrs["history_days"] = history_days
    return state


def portfolio_states(
    portfolio: Portfolio,
    as_of_dates: Iterable,
    *,
    only_open: bool = False,
    columns: Sequence[str] | None = None,
    history_days: int | None = HISTORY_DAYS,
) -> pd.DataFrame:
    """Claim states at many snapshot dates, stacked (training snapshots).

    The result is exactly ``pd.concat([portfolio_state(portfolio, d) for d in
    sorted(set(as_of_dates))])`` (with a fresh index), but the events are
    indexed once, so each extra date costs a few binary searches per claim
    rather than a pass over the whole event table.

    Parameters
    ----------
    portfolio : Portfolio
        A validated portfolio.
    as_of_dates : iterable of date-like
        Snapshot dates; duplicates are dropped and the dates sorted.
    only_open : bool, default False
        Keep only the rows with ``is_open`` (the claims a model is trained
        on); saves memory and time (see :func:`portfolio_state`).
    columns : sequence of str, optional
        Keep only these columns (``as_of`` and ``claim_id`` are always kept).
        A full row takes about 450 bytes: 20 dates of a million claims are
        about 9 GB, so select what the model needs.
    history_days : int or None, default :data:`HISTORY_DAYS` (365)
        Look-back of the debtor history, as in :func:`portfolio_state`.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`portfolio_state`, sorted by ``as_of`` then
        ``claim_id``.

    Examples
    --------
    >>> import pandas as pd
    >>> from recovery_analytics.portfolio import Portfolio
    >>> debtors = pd.DataFrame({"debtor_id": ["D1"], "debtor_type": ["B2C"]})
    >>> claims = pd.DataFrame({"claim_id": ["C1"], "debtor_id": ["D1"],
    ...     "invoice_date": pd.to_datetime(["2026-01-01"]),
    ...     "due_date": pd.to_datetime(["2026-01-31"]), "amount": [100.0]})
    >>> events = pd.DataFrame({"claim_id": ["C1"], "date": pd.to_datetime(["2026-03-01"]),
    ...     "type": ["payment"], "amount": [100.0]})
    >>> states = portfolio_states(Portfolio(debtors, claims, events),
    ...                           ["2026-02-15", "2026-03-15"])
    >>> states[["as_of", "outstanding_eur", "is_open"]]
           as_of  outstanding_eur  is_open
    0 2026-02-15            100.0     True
    1 2026-03-15              0.0    False
    """
    history_days = _check_history_days(history_days)
    days = sorted({_as_day(d) for d in as_of_dates})
    ix = _build_index(portfolio)
    keep = None
    if columns is not None:
        keep = ["claim_id", "as_of", *(c for c in columns if c not in ("claim_id", "as_of"))]
    frames = []
    for a in days or [_as_day("1970-01-01")]:
        state = _state_at(ix, a, history_days, only_open)[0]
        frames.append(state if keep is None else state[keep])
    out = pd.concat(frames, ignore_index=True)
    out = out if days else out.iloc[0:0]
    out.attrs["history_days"] = history_days
    return out


def debtor_history(
    portfolio: Portfolio, as_of, *, history_days: int | None = HISTORY_DAYS
) -> pd.DataFrame:
    """Each debtor's payment behaviour on the claims it settled before ``as_of``.

    Only the claims settled in the ``history_days`` days up to ``as_of``
    (default 365: from ``as_of - 364 days`` to ``as_of`` included) count, so
    that the figures mean the same at every as_of date, whatever the length
    of the export. A claim counts as *settled* at ``as_of`` when payments and credit notes
    dated on or before ``as_of`` cover its amount (within 1 cent), at least one
    payment was made (a claim cancelled by a credit note says nothing about
    how its debtor pays) and it was not written off. Its settlement day is the
    day the balance first reached zero. Only events dated on or before
    ``as_of`` are used, so a claim settled later is not in the history.

    Parameters
    ----------
    portfolio : Portfolio
        A validated portfolio.
    as_of : date-like
        The snapshot date.
    history_days : int or None, default :data:`HISTORY_DAYS` (365)
        Look-back in days; None counts every claim settled since the start of
        the data.

    Returns
    -------
    pandas.DataFrame
        One row per debtor (those of ``debtors`` and any referenced by a
        claim), sorted by ``debtor_id``:

        ``debtor_id`` (str), ``as_of`` (datetime64[ns]);
        ``debtor_hist_claims`` (int64)
            number of claims settled in the look-back;
        ``debtor_hist_share_late`` (float64)
            share of them settled after their due date;
        ``debtor_hist_median_days_late``, ``debtor_hist_mean_days_late`` (float64)
            days from due date to settlement, 0 when settled on time or early;
        ``debtor_hist_share_partial`` (float64)
            share settled in two payments or more;
        ``debtor_hist_promises_kept_ratio`` (float64)
            promises kept / (kept + broken) on the settled claims;
        ``debtor_hist_written_off`` (int64)
            number of the debtor's claims written off in the look-back.

        Shares, days and ratios are NaN when there is no history (a new
        customer, a ledger without payments).

    Examples
    --------
    >>> import pandas as pd
    >>> from recovery_analytics.portfolio import Portfolio
    >>> debtors = pd.DataFrame({"debtor_id": ["D1", "D2"], "debtor_type": ["B2B", "B2B"]})
    >>> claims = pd.DataFrame({"claim_id": ["C1", "C2"], "debtor_id": ["D1", "D1"],
    ...     "invoice_date": pd.to_datetime(["2026-01-01", "2026-01-01"]),
    ...     "due_date": pd.to_datetime(["2026-01-31", "2026-01-31"]),
    ...     "amount": [100.0, 50.0]})
    >>> events = pd.DataFrame({"claim_id": ["C1", "C2"],
    ...     "date": pd.to_datetime(["2026-02-10", "2026-01-20"]),
    ...     "type": ["payment", "payment"], "amount": [100.0, 50.0]})
    >>> h = debtor_history(Portfolio(debtors, claims, events), "2026-03-01")
    >>> h[["debtor_id", "debtor_hist_claims", "debtor_hist_share_late"]]
      debtor_id  debtor_hist_claims  debtor_hist_share_late
    0        D1                   2                     0.5
    1        D2                   0                     NaN
    >>> float(h.loc[0, "debtor_hist_median_days_late"])  # C1 10 days late, C2 early: 0
    5.0
    """
    history_days = _check_history_days(history_days)
    return _state_at(_build_index(portfolio), _as_day(as_of), history_days)[1]


def open_claims(state: pd.DataFrame) -> pd.DataFrame:
    """The open claims of a state (rows with ``is_open``), index reset.

    Examples
    --------
    >>> import pandas as pd
    >>> open_claims(pd.DataFrame({"claim_id": ["A", "B"], "is_open": [False, True]}))
      claim_id  is_open
    0        B     True
    """
    return state[state["is_open"].to_numpy(dtype=bool)].reset_index(drop=True)
