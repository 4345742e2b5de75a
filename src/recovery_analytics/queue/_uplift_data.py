"""The cases an uplift learner reads: claim-weeks of the history, called or not (private).

At weekly reference dates ``d`` before ``as_of``, every claim open and overdue
at ``d`` whose debtor could be called (not insolvent, a valid phone when the
ledger has phones, no court step, no write-off, no open dispute) is a case:
*treated* when a call (attempt or reached) is logged on it in ``[d, d + 7)``,
with the euros paid on it in ``[d, d + 30)`` as outcome. Its covariates use
only the events dated before ``d``: the claim's age, outstanding and dunning so
far, the debtor's open book, its payment habit, its reach and promise record,
its response to earlier calls, and the debtor attributes of the ledger
(``debtor_type``; the ledger's extra features are not read, so that a
portfolio read with or without its mapping gets the same effects). The same
function gives the covariates of the claims open at ``as_of`` (``d = as_of +
1``: every event up to ``as_of`` known), so training and scoring share one
code path. See ``docs/call-queue.md`` section 3.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from recovery_analytics.portfolio import Portfolio
from recovery_analytics.queue._value import _CALL_TYPES, _History, _Track

__all__: list[str] = []

#: Covariates of a case, in the order the learner reads them.
FEATURES: tuple[str, ...] = (
    "days_past_due",
    "log_outstanding",
    "paid_share",
    "claim_dials",
    "claim_reached",
    "claim_letters",
    "formal_notice",
    "days_since_dial",
    "debtor_open_claims",
    "debtor_log_outstanding",
    "debtor_settled",
    "debtor_settle_days",
    "debtor_reach",
    "debtor_promises",
    "debtor_broken",
    "debtor_paid_after_call",
    "debtor_writeoffs",
    "is_b2b",
)
_LETTERS = ("reminder_letter", "reminder_email", "sms")
#: The event types that make a case *treated*, by channel.
CHANNELS: dict[str, tuple[str, ...]] = {
    "call": _CALL_TYPES,
    "letter": _LETTERS,
    "formal_notice": ("formal_notice",),
}


class _Cases:
    """The event history of a portfolio, indexed once for many reference dates."""

    def __init__(self, portfolio: Portfolio, as_of: pd.Timestamp, channel: str = "call"):
        a = int(as_of.to_datetime64().astype("datetime64[D]").astype("int64"))
        self.a = a
        self.h = h = _History(portfolio, as_of, a)
        claims = portfolio.claims.sort_values("claim_id", kind="stable").reset_index(drop=True)
        self.claim_id = claims["claim_id"].astype("str").to_numpy(dtype=object)
        dcode, duniq = pd.factorize(claims["debtor_id"].astype("str"), sort=True)
        self.dcode, self.debtor_ids, self.nd = dcode, np.asarray(duniq, dtype=object), len(duniq)
        ev = portfolio.events
        ev = ev[(ev["date"] <= as_of).to_numpy()]
        code = pd.Index(claims["claim_id"]).get_indexer(ev["claim_id"])
        ev, self.ecode = ev[code >= 0], code[code >= 0]
        self.eday, self.etype = h.eday, h.etype
        m = np.isin(self.etype, CHANNELS[channel])
        amount = ev["amount"].to_numpy(dtype="float64", na_value=np.nan)
        self.treat = _Track(self.ecode[m], self.eday[m], amount[m], a - 40_000)
        # a call needs a valid phone; a letter or a formal notice does not
        n = len(claims)
        self.end = h.end if channel == "call" else np.minimum(
            h.money.settled_day(h.amt), h.blocked.first_day(n)
        )  # fmt: skip
        pdate = ev["promise_date"] if "promise_date" in ev else pd.Series(pd.NaT, index=ev.index)
        self.pday = np.where(pd.isna(pdate).to_numpy(), 10**9, _days(pdate))
        self.settled = h.money.settled_day(h.amt)
        self.ins_day = h.ins_day
        # disputes: opened and not resolved at a date
        self.dispute = _intervals(self, "dispute_opened", "dispute_resolved")
        deb = portfolio.debtors.drop_duplicates("debtor_id").set_index("debtor_id")
        deb = deb.reindex(pd.Index(self.debtor_ids, dtype="str"))
        self.attrs = pd.DataFrame(index=range(self.nd))
        self.attrs["is_b2b"] = (
            (deb["debtor_type"].astype("str") == "B2B").to_numpy(dtype="float64")
            if "debtor_type" in deb
            else np.ones(self.nd)
        )
        self.attrs = self.attrs.astype("float64")

    def at(self, d: int, *, outcome: bool) -> pd.DataFrame:
        """Cases of reference day ``d`` (events before ``d`` known), with outcome if asked."""
        h = self.h
        n = len(self.claim_id)
        cand = (h.inv < d) & (h.due < d) & (self.ins_day >= d) & (self.end >= d)
        cand &= (self.settled >= d) & ~self.dispute(d)
        idx = np.flatnonzero(cand)
        prev = np.full(len(idx), d - 1)
        out = h.amt[idx] - h.money.total(idx, prev)
        ok = (out > 0.01) & (h.blocked.total(idx, prev) == 0)
        idx, out, prev = idx[ok], out[ok], prev[ok]
        known = self.eday < d
        kinds = ("call_reached", "formal_notice", "promise_to_pay", "write_off")
        cnt = {t: np.bincount(self.ecode[known & (self.etype == t)], minlength=n) for t in kinds}
        dial_m = known & np.isin(self.etype, _CALL_TYPES)
        dials = np.bincount(self.ecode[dial_m], minlength=n)
        letters = np.bincount(self.ecode[known & np.isin(self.etype, _LETTERS)], minlength=n)
        last_dial = np.full(self.nd, -(10**9))
        np.maximum.at(last_dial, self.dcode[self.ecode[dial_m]], self.eday[dial_m])
        # a promise broken: its date (+3 days) passed before d and the claim not settled by then
        pm = known & (self.etype == "promise_to_pay") & (self.pday + 3 < d)
        broken = pm & (self.settled[self.ecode] > self.pday + 3)
        # a reached call followed by a payment within 14 days (both before d)
        rm = known & (self.etype == "call_reached")
        after = self.settled[self.ecode[rm]]
        moved = (after > self.eday[rm]) & (after <= self.eday[rm] + 14) & (after < d)

        def by_debtor(values: np.ndarray, codes: np.ndarray | None = None) -> np.ndarray:
            c = self.dcode if codes is None else codes
            return np.bincount(c, weights=values, minlength=self.nd)

        settled_before = self.settled < d
        age_settled = np.where(settled_before, self.settled - h.due, 0).clip(-60, 720)
        n_settled = by_debtor(settled_before.astype(float))
        dc = self.dcode[idx]
        deb_out = np.zeros(self.nd)
        np.add.at(deb_out, dc, out)
        dials_d, reached_d = by_debtor(dials.astype(float)), by_debtor(cnt["call_reached"] * 1.0)
        frame = pd.DataFrame(
            {
                "claim_id": self.claim_id[idx],
                "debtor_id": self.debtor_ids[dc],
                "day": d,
                "outstanding_eur": out,
                "days_past_due": d - h.due[idx],
                "log_outstanding": np.log1p(out),
                "paid_share": 1.0 - out / np.maximum(h.amt[idx], 0.01),
                "claim_dials": dials[idx],
                "claim_reached": cnt["call_reached"][idx],
                "claim_letters": letters[idx],
                "formal_notice": cnt["formal_notice"][idx],
                "days_since_dial": np.minimum(d - last_dial[dc], 999),
                "debtor_open_claims": np.bincount(dc, minlength=self.nd)[dc],
                "debtor_log_outstanding": np.log1p(deb_out[dc]),
                "debtor_settled": n_settled[dc],
                "debtor_settle_days": (by_debtor(age_settled * 1.0) / np.maximum(n_settled, 1))[dc],
                "debtor_reach": ((reached_d + 0.9) / (dials_d + 2.0))[dc],
                "debtor_promises": by_debtor(cnt["promise_to_pay"] * 1.0)[dc],
                "debtor_broken": by_debtor(np.ones(broken.sum()), self.dcode[self.ecode[broken]])[
                    dc
                ],
                "debtor_paid_after_call": by_debtor(
                    moved.astype(float), self.dcode[self.ecode[rm]]
                )[dc],
                "debtor_writeoffs": by_debtor(cnt["write_off"] * 1.0)[dc],
            }
        )
        frame = pd.concat([frame, self.attrs.iloc[dc].reset_index(drop=True)], axis=1)
        if outcome:
            dd = np.full(len(idx), d)
            frame["treated"] = self.treat.first_in(idx, dd, dd + 7) >= 0
            paid = h.cash.total(idx, dd + 29) - h.cash.total(idx, dd - 1)
            frame["paid_eur"] = np.clip(paid, 0.0, out)
        return frame


def _days(values: Any) -> np.ndarray:
    d = pd.to_datetime(pd.Series(values)).to_numpy(dtype="datetime64[D]")
    out = d.astype("int64")
    out[np.isnat(d)] = 10**9
    return out


def _intervals(c: _Cases, start: str, stop: str):
    """A function of ``d``: claims with a ``start`` event before ``d`` and no later ``stop``."""
    n = len(c.claim_id)
    first = np.full(n, 10**9)
    m = c.etype == start
    np.minimum.at(first, c.ecode[m], c.eday[m])
    last_stop = np.full(n, -(10**9))
    m = c.etype == stop
    np.maximum.at(last_stop, c.ecode[m], c.eday[m])
    return lambda d: (first < d) & ~((last_stop >= first) & (last_stop < d))


def history_cases(
    portfolio: Portfolio,
    as_of: Any,
    *,
    lookback_days: int = 365,
    every_days: int = 7,
    window_days: int = 30,
    max_cases_per_date: int = 2_000,
    channel: str = "call",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The history's cases (with ``treated`` and ``paid_eur``) and today's open claims.

    Reference dates run weekly back from ``as_of - window_days - 7`` over
    ``lookback_days``; above ``max_cases_per_date`` cases at a date an even,
    deterministic subsample (by ``claim_id``) is kept. ``channel`` (a key of
    :data:`CHANNELS`) says which events make a case treated: a call (the
    default; debtors without a valid phone are left out), a letter (reminder
    letter, e-mail, SMS) or a formal notice.
    """
    as_of = pd.Timestamp(as_of).normalize()
    c = _Cases(portfolio, as_of, channel)
    last = c.a - int(window_days) - 6
    dates = np.arange(last, c.a - int(lookback_days), -max(int(every_days), 1))[::-1]
    parts = []
    for d in dates:
        f = c.at(int(d), outcome=True)
        if len(f) > max_cases_per_date:
            f = f.iloc[np.linspace(0, len(f) - 1, max_cases_per_date).astype("int64")]
        parts.append(f)
    empty = c.at(-(10**8), outcome=True)
    hist = pd.concat([empty, *parts], ignore_index=True) if parts else empty
    today = c.at(c.a + 1, outcome=False)
    return hist, today
