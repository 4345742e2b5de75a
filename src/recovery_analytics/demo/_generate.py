"""A realistic, reproducible demo portfolio of French overdue invoices.

:func:`generate_demo` draws debtors (a French B2B/B2C mix with sectors, départements,
contact details, insolvencies published on a date), their invoices, and the history
of a dunning policy (reminders, calls, promises, formal notices, judicial steps,
disputes, credit notes, payments, write-offs) up to ``as_of``. Debtors have latent
payment behaviour, only partly visible through ``bureau_score``; actions really
change when claims get paid. See ``docs/demo-generator.md`` for the mechanism.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from recovery_analytics.demo._debtors import draw_debtors, mean_claims_per_debtor
from recovery_analytics.demo._simulate import EVENT_ORDER, export_window, simulate
from recovery_analytics.portfolio import Portfolio

__all__ = [
    "BURN_IN_DAYS",
    "CLAIMS_PER_DEBTOR",
    "DunningPolicy",
    "debtors_for_claims",
    "generate_demo",
]

#: Average number of claims (invoices) per demo debtor, to size a portfolio.
CLAIMS_PER_DEBTOR: float = mean_claims_per_debtor()

#: Days simulated before the exported history so that the book is mature at its start:
#: longer than a claim can stay open (B2C prescription at ~760 days past due, B2B
#: files closed by ``close_day + 180``, plus 60 days of payment terms).
BURN_IN_DAYS = 900

# Creditors (agency clients) of the demo; the last one logs no dunning, only payments.
_CREDITORS: tuple[str, ...] = ("CR01", "CR02", "CR03", "CR04", "CR05")


@dataclass(frozen=True)
class DunningPolicy:
    """When the demo creditor acts, in days after the due date.

    Parameters
    ----------
    email_day, letter_day, sms_day, last_letter_day : int
        Reminder email (if an email is known), reminder letter, SMS (B2C with a
        mobile) and last reminder letter before formal notice.
    call_day, second_call_day, call_window : int
        Two call rounds start uniformly in ``[day, day + call_window]``; each
        round dials up to 3 times a few days apart until the debtor answers.
    call_share : float
        Capacity: share of the overdue claims a round calls (scaled up for
        large amounts, down for small ones), drawn at random: the logging
        policy is randomized, with a known propensity.
    review_call_share, review_call_from, review_call_to : float, int, int
        Two more randomized rounds review older claims: in each, this share
        (scaled by amount like ``call_share``) is called at an age drawn
        uniformly in ``[from, to]`` days past due, so that old claims are also
        seen called and not called.
    formal_notice_day, formal_notice_min_eur : int, float
        Mise en demeure sent in ``[day, day + 15]`` (after a pending promise)
        for claims of at least this amount.
    judicial_day, judicial_min_eur, judicial_share : int, float, float
        A share of the claims of at least this amount is filed in court in
        ``[day, day + 120]``; judgment and enforcement follow for most.
    write_off_day, write_off_max_eur : int, float
        Claims below this amount still unpaid are mostly written off in
        ``[day, day + 180]``.
    close_day : int
        B2B claims still unpaid are written off (the file is closed as
        irrecoverable) in ``[day, day + 180]``; B2C claims at prescription
        (days 700-760). No claim stays open forever, so the overdue book
        reaches a steady state.

    Examples
    --------
    >>> DunningPolicy(call_share=0.5).call_share
    0.5
    """

    email_day: int = 1
    letter_day: int = 7
    sms_day: int = 15
    last_letter_day: int = 30
    call_day: int = 15
    second_call_day: int = 40
    call_window: int = 20
    call_share: float = 0.35
    review_call_share: float = 0.6
    review_call_from: int = 61
    review_call_to: int = 420
    formal_notice_day: int = 45
    formal_notice_min_eur: float = 150.0
    judicial_day: int = 90
    judicial_min_eur: float = 1500.0
    judicial_share: float = 0.3
    write_off_day: int = 365
    write_off_max_eur: float = 300.0
    close_day: int = 540


def debtors_for_claims(n_claims: int) -> int:
    """Number of debtors to ask :func:`generate_demo` for to get about ``n_claims`` claims.

    Examples
    --------
    >>> debtors_for_claims(1_000_000)
    171947
    """
    return max(1, math.ceil(n_claims / CLAIMS_PER_DEBTOR))


def _dates(as_of: np.datetime64, days: np.ndarray) -> np.ndarray:
    return (as_of + days.astype("timedelta64[D]")).astype("datetime64[ns]")


def generate_demo(
    n_debtors: int = 2000,
    *,
    seed: int = 0,
    as_of: str | date = "2026-06-30",
    history_days: int = 900,
    policy: DunningPolicy | None = None,
) -> Portfolio:
    """Generate a realistic demo portfolio with its dunning history up to ``as_of``.

    Parameters
    ----------
    n_debtors : int
        Number of debtors; there are about :data:`CLAIMS_PER_DEBTOR` claims per
        debtor (see :func:`debtors_for_claims`).
    seed : int
        Seed of the only random generator used (``numpy.random.default_rng``):
        the same arguments give identical tables.
    as_of : str or date
        The extraction date: no event is dated after it.
    history_days : int
        Length of the exported history: events are dated within
        ``history_days`` before ``as_of``, and so are the invoices, except the
        claims carried over (invoiced earlier, still open at the start of the
        history; exported with their balance at that date). The simulation
        starts :data:`BURN_IN_DAYS` earlier so that the book is in a steady
        state over the whole history.
    policy : DunningPolicy, optional
        The creditor's dunning calendar (defaults to :class:`DunningPolicy`).

    Returns
    -------
    Portfolio
        Canonical ``debtors`` (plus ``segment`` and ``bureau_score``), ``claims``
        and ``events`` tables with the dtypes of :mod:`recovery_analytics.portfolio`,
        sorted by ``debtor_id``, ``claim_id`` and ``(date, claim_id, step)``; an
        empty quarantine.

    Examples
    --------
    >>> p = generate_demo(50, seed=1)
    >>> len(p.debtors), p.claims["claim_id"].is_unique
    (50, True)
    >>> bool(p.events["date"].max() <= pd.Timestamp("2026-06-30"))
    True
    """
    return _build(n_debtors, seed, as_of, history_days, policy)[0]


def _build(
    n_debtors: int, seed: int, as_of: str | date, history_days: int, policy: DunningPolicy | None
) -> tuple[Portfolio, Any, Any]:
    """The portfolio, the exported simulation (with its latent arrays) and the debtor draw."""
    if n_debtors < 1:
        raise ValueError(f"n_debtors must be at least 1, got {n_debtors}")
    if history_days < 1:
        raise ValueError(f"history_days must be at least 1, got {history_days}")
    policy = policy or DunningPolicy()
    day0 = np.datetime64(pd.Timestamp(as_of).date(), "D")
    rng = np.random.default_rng(seed)
    span = history_days + BURN_IN_DAYS
    deb = draw_debtors(rng, n_debtors, history_days, span)
    sim, _ = export_window(simulate(rng, deb, policy, span), -history_days)

    debtors = deb.table
    ins_day = np.where(np.isfinite(deb.insolvency_day), deb.insolvency_day, 0).astype(np.int64)
    ins = pd.Series(_dates(day0, ins_day)).where(np.isfinite(deb.insolvency_day))
    debtors.insert(list(debtors.columns).index("insolvency_status") + 1, "insolvency_date", ins)

    n = sim.debtor.size
    width = max(7, len(str(n)))
    claim_ids = "F" + pd.Series(np.arange(1, n + 1).astype(str), dtype="str").str.zfill(width)
    claims = pd.DataFrame(
        {
            "claim_id": claim_ids,
            "debtor_id": debtors["debtor_id"].take(sim.debtor).reset_index(drop=True),
            "invoice_date": _dates(day0, sim.invoice_day),
            "due_date": _dates(day0, sim.due_day),
            "amount": sim.amount,
            "currency": pd.Series(np.full(n, "EUR", dtype=object), dtype="str"),
            "disputed": sim.disputed_now,
            "creditor_id": pd.Series(
                np.asarray(_CREDITORS, dtype=object)[sim.creditor], dtype="str"
            ),
        }
    )
    e = sim.events
    types = pd.Categorical.from_codes(e["code"], categories=list(EVENT_ORDER))
    has_promise = e["promise_day"] != np.iinfo(np.int64).min
    promise = pd.Series(_dates(day0, np.where(has_promise, e["promise_day"], 0)))
    events = pd.DataFrame(
        {
            "claim_id": claim_ids.take(e["claim"]).reset_index(drop=True),
            "date": _dates(day0, e["day"]),
            "type": pd.Series(types).astype("str"),
            "amount": e["amount"].astype("float64"),
            "promise_date": promise.where(has_promise),
        }
    )
    counts = pd.DataFrame(
        {
            "table": ["debtors", "claims", "events"],
            "rows_read": [len(debtors), len(claims), len(events)],
            "valid": [len(debtors), len(claims), len(events)],
            "quarantined": [0, 0, 0],
        }
    )
    portfolio = Portfolio(
        debtors=debtors,
        claims=claims,
        events=events,
        counts=counts,
        source=f"demo(seed={seed})",
        extra_features={"numeric": ["bureau_score"], "categorical": ["segment"]},
    )
    return portfolio, sim, deb
