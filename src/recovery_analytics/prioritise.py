"""The collectors' call queue: who to call today, why, and what else to send this week.

:func:`build_call_queue` turns a portfolio at an ``as_of`` date into a
:class:`CallQueue`: one line per debtor to call (all of its overdue claims in
one call), ranked by the euros a call is expected to bring net of its cost per
minute of collector time, cut to the team's capacity and assigned to
collectors; every other debtor with an overdue claim is in ``excluded`` with a
visible reason. :func:`next_best_action` gives the next step of the escalation
scenario for every open claim (courtesy reminder, letter, call, second letter,
visit, mise en demeure, court route), and the letters, emails and formal
notices due this week go to their own list.

The method (value of a call, the uplift of a reached call estimated from the
history and shrunk towards a prior, the reach rate, capacity and assignment)
and its limits are in ``docs/call-queue.md``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from recovery_analytics.schema import Portfolio

__all__ = [
    "ACTIONS",
    "AGE_BUCKETS",
    "DEFAULT_CALL_MINUTES",
    "EXCLUSION_REASONS",
    "LETTER_ACTIONS",
    "QUEUE_COLUMNS",
    "CallQueue",
    "EscalationPolicy",
    "build_call_queue",
    "call_value",
    "check_french_phone",
    "estimate_call_uplift",
    "format_french_phone",
    "next_best_action",
]

#: Upper bounds (days past due) of the age buckets of the call uplift.
AGE_BUCKETS: tuple[tuple[str, int], ...] = (
    ("1-30", 30),
    ("31-60", 60),
    ("61-90", 90),
    ("91-180", 180),
    ("181-365", 365),
    ("365+", 10**9),
)
#: Talk minutes of a reached call, looked up by ``segment`` then ``debtor_type``.
DEFAULT_CALL_MINUTES: dict[str, float] = {"grand compte": 12.0, "B2B": 8.0, "B2C": 6.0}

#: Why a debtor with an overdue claim is not in the queue, in the order they are tested.
EXCLUSION_REASONS: dict[str, tuple[str, str]] = {
    "insolvency": ("procédure collective", "insolvency proceedings"),
    "in_court": ("procédure judiciaire en cours", "court case under way"),
    "routed_to_court": ("orientée vers une procédure judiciaire", "routed to court"),
    "routed_to_declaration": ("créance à déclarer", "claim to declare"),
    "write_off": ("passage en perte proposé", "write-off proposed"),
    "open_dispute": ("litige à résoudre", "dispute to resolve"),
    "contact_missing": ("téléphone manquant", "phone number missing"),
    "contact_malformed": ("téléphone invalide", "phone number invalid"),
    "promise_pending": ("promesse en cours : attendre", "promise pending: wait"),
    "cooled_off": ("appelé récemment", "called recently"),
    "too_many_attempts": ("trop d'appels sur 30 jours", "too many calls in 30 days"),
    "not_worth_a_call": ("appel non rentable", "call not worth its cost"),
    "no_matching_collector": ("aucun chargé compétent", "no collector with the skills"),
    "segment_cap": ("plafond du segment atteint", "segment cap reached"),
    "below_capacity": ("au-delà de la capacité du jour", "below the capacity cut-off"),
}
_ROUTED = {
    "follow_court_case": "in_court",
    "court": "routed_to_court",
    "declare_claim": "routed_to_declaration",
    "write_off": "write_off",
}

_CALL_TYPES = ("call_attempt", "call_reached")
_DAY = np.timedelta64(1, "D")


# ----------------------------------------------------------------------------- phones
_PHONE_DOM = ("262", "269", "590", "594", "596")  # Réunion, Mayotte, Guadeloupe, Guyane, Martinique


def check_french_phone(phone: pd.Series) -> pd.DataFrame:
    """Validate and normalise French phone numbers (metropolitan, +33 and DOM).

    Accepted: ``06 12 34 56 78``, ``06.12.34.56.78``, ``0612345678``,
    ``+33 6 12 34 56 78``, ``+33 (0)6 ...``, ``0033 6 ...`` and the DOM
    international prefixes ``+262``, ``+269``, ``+590``, ``+594``, ``+596``
    (``+262 692 12 34 56`` is ``0692 12 34 56``). Other international numbers
    (``+44 ...``, 8 to 15 digits) are kept as ``foreign`` and callable.
    Truncated numbers, letters and placeholders such as ``00 00 00 00 00`` or
    ``06 11 11 11 11`` are ``malformed``.

    Parameters
    ----------
    phone : pandas.Series
        Phone numbers as written (missing allowed).

    Returns
    -------
    pandas.DataFrame
        Same index: ``phone_national`` (``0612345678``, ``+44...`` for foreign
        numbers, NA when not valid) and ``phone_status`` (``ok``, ``foreign``,
        ``missing`` or ``malformed``).

    Examples
    --------
    >>> s = pd.Series(["+33 6 12 34 56 78", "+262 692 12 34 56", "06 12 34", None, "0611111111"])
    >>> check_french_phone(s)["phone_status"].tolist()
    ['ok', 'ok', 'malformed', 'missing', 'malformed']
    >>> check_french_phone(s)["phone_national"].tolist()[:2]
    ['0612345678', '0692123456']
    """
    text = phone.astype("str").str.strip()
    missing = text.isna() | (text == "")
    t = text.fillna("").str.replace("(0)", "", regex=False)
    t = t.str.replace(r"^\s*00", "+", regex=True)
    plus = t.str.startswith("+")
    digits = t.str.replace(r"\D", "", regex=True)
    bad_chars = t.str.contains(r"[^\d\s.\-+/()]", regex=True)
    national = pd.Series(pd.NA, index=phone.index, dtype="str")
    fr = plus & digits.str.startswith("33")
    rest = digits.str.slice(2)
    rest = rest.where(~(fr & (rest.str.len() == 10) & rest.str.startswith("0")), rest.str.slice(1))
    national = national.mask(fr & (rest.str.len() == 9), "0" + rest)
    dom = plus & digits.str.slice(0, 3).isin(_PHONE_DOM) & (digits.str.len() == 12)
    national = national.mask(dom, "0" + digits.str.slice(3))
    local = ~plus & (digits.str.len() == 10)
    national = national.mask(local, digits)
    good = national.str.fullmatch(r"0[1-9]\d{8}").fillna(False)
    fake = national.str.slice(2).str.fullmatch(r"(\d)\1{7}").fillna(False)
    ok = good & ~fake & ~bad_chars
    foreign = plus & ~fr & ~dom & digits.str.len().between(8, 15) & ~bad_chars
    foreign &= digits.str.match(r"[1-9]") & ~digits.str.fullmatch(r"(\d)\1+")
    out_national = national.where(ok, pd.NA).mask(foreign, "+" + digits)
    status = np.select(
        [missing.to_numpy(bool), ok.to_numpy(bool), foreign.to_numpy(bool)],
        ["missing", "ok", "foreign"],
        "malformed",
    )
    return pd.DataFrame(
        {"phone_national": out_national.astype("str"), "phone_status": status},
        index=phone.index,
    ).astype({"phone_status": "str"})


def format_french_phone(national: pd.Series) -> pd.Series:
    """Write normalised numbers the French way, in pairs: ``06 12 34 56 78``.

    Foreign numbers (``+44...``) and missing values are returned unchanged.

    Examples
    --------
    >>> format_french_phone(pd.Series(["0612345678", "+442071234567", None])).tolist()
    ['06 12 34 56 78', '+442071234567', nan]
    """
    s = national.astype("str")
    pairs = s.str.replace(r"^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$", r"\1 \2 \3 \4 \5", regex=True)
    return pairs.where(s.str.fullmatch(r"\d{10}").fillna(False), s)


# ----------------------------------------------------------------------------- uplift
def _age_bucket(days: np.ndarray) -> np.ndarray:
    edges = np.array([b for _, b in AGE_BUCKETS])
    idx = np.searchsorted(edges, np.asarray(days), side="left")
    return np.asarray([n for n, _ in AGE_BUCKETS], dtype=object)[np.minimum(idx, len(edges) - 1)]


def _day(values: Any) -> np.ndarray:
    """Dates as integer days since 1970 (NaT -> a very large number)."""
    d = pd.to_datetime(pd.Series(values)).to_numpy(dtype="datetime64[D]")
    out = d.astype("int64")
    out[np.isnat(d)] = 10**9
    return out


class _Track:
    """Events of some types sorted by (claim code, day), with a running sum of amounts."""

    _SHIFT = 2**24

    def __init__(self, codes: np.ndarray, days: np.ndarray, amounts: np.ndarray, base: int):
        key = codes.astype("int64") * self._SHIFT + (days - base)
        order = np.argsort(key, kind="stable")
        self.key = key[order]
        self.day = days[order]
        self.cum = np.concatenate([[0.0], np.cumsum(np.nan_to_num(amounts[order]))])
        self.base = base

    def _pos(self, codes: np.ndarray, days: np.ndarray, side: str) -> np.ndarray:
        d = np.clip(days - self.base, -1, self._SHIFT - 1)
        return np.searchsorted(self.key, codes.astype("int64") * self._SHIFT + d, side=side)

    def total(self, codes: np.ndarray, upto: np.ndarray) -> np.ndarray:
        """Sum of amounts of each claim's events dated <= ``upto``."""
        first = self._pos(codes, np.full(len(codes), self.base - 1), "right")
        return self.cum[self._pos(codes, upto, "right")] - self.cum[first]

    def first_day(self, n: int) -> np.ndarray:
        """Day of each claim's first event (a very large number if none)."""
        out = np.full(n, 10**9, dtype="int64")
        codes, first = np.unique(self.key // self._SHIFT, return_index=True)
        out[codes] = self.day[first]
        return out

    def settled_day(self, amount: np.ndarray) -> np.ndarray:
        """First day each claim's running sum covers ``amount`` (within 1 cent)."""
        codes = self.key // self._SHIFT
        start = np.searchsorted(self.key, codes * self._SHIFT - 1, side="right")
        within = self.cum[1:] - self.cum[start]
        hit = within >= amount[codes] - 0.01
        out = np.full(len(amount), 10**9, dtype="int64")
        done, first = np.unique(codes[hit], return_index=True)
        out[done] = self.day[hit][first]
        return out

    def first_in(self, codes: np.ndarray, start: np.ndarray, stop: np.ndarray) -> np.ndarray:
        """Day of each claim's first event in ``[start, stop)``, or -1."""
        pos = self._pos(codes, start - 1, "right")
        ok = pos < len(self.key)
        posc = np.minimum(pos, max(len(self.key) - 1, 0))
        if not len(self.key):
            return np.full(len(codes), -1)
        same = ok & (self.key[posc] // self._SHIFT == codes) & (self.day[posc] < stop)
        return np.where(same, self.day[posc], -1)


def estimate_call_uplift(
    portfolio: Portfolio,
    as_of: Any,
    *,
    window_days: int = 30,
    lookback_days: int = 365,
    every_days: int = 7,
    prior_lift: float = 1.5,
    prior_weight: float = 30.0,
    max_lift: float = 3.0,
    prior_reach: float = 0.45,
    max_cases_per_date: int = 20_000,
) -> pd.DataFrame:
    """Share of the outstanding paid within ``window_days`` after a reached call, vs uncalled.

    At weekly reference dates ``d`` in the ``lookback_days`` before ``as_of``
    (the last one ``window_days + 7`` days before it, so that every outcome is
    observed by ``as_of``), every claim open and overdue at ``d``, not written
    off, not in court, whose debtor is not insolvent and has a valid phone
    (when ``debtors`` has a ``phone`` column) is a *called* case
    when a ``call_reached`` is logged in ``[d, d + 7)`` (outcome: payments in
    ``(t, t + window_days]`` over the outstanding at the call day ``t``) and an
    *uncalled* case when no call at all (attempt or reached) is logged that
    week (outcome: payments in ``(d, d + window_days]`` over the outstanding at
    ``d``). Only events dated on or before ``as_of`` are read.

    The lift of a bucket is the ratio of the mean shares of the called and
    uncalled cases of that age (each plus 0.05, so that a bucket of a few
    cases cannot give an infinite ratio). On the log scale, the all-ages lift
    is the average of the bucket lifts weighted by their called cases (an
    age-standardised comparison: called claims are younger than uncalled
    ones), shrunk towards ``prior_lift`` with ``prior_weight`` pseudo-cases;
    each bucket is shrunk towards it the same way. The result is clipped to
    ``[1, max_lift]``: a call is not assumed to lower payments. A ledger with
    no calls logged gets ``prior_lift`` everywhere.

    Parameters
    ----------
    portfolio : Portfolio
    as_of : date-like
    window_days, lookback_days, every_days : int
    prior_lift : float, default 1.5
        Prior ratio of the shares paid within the window with and without a
        reached call (an assumption, see ``docs/call-queue.md``).
    prior_weight : float, default 30
        Pseudo-cases (called cases) given to the prior, and to the all-ages
        lift in each bucket.
    max_lift : float, default 3
    prior_reach : float, default 0.45
        Prior share of dials that reach the debtor.
    max_cases_per_date : int, default 20,000
        Above this many open overdue claims at a reference date, an even
        subsample in ``claim_id`` order is used (deterministic; keeps large
        portfolios fast).

    Returns
    -------
    pandas.DataFrame
        One row per :data:`AGE_BUCKETS` bucket, then ``all``: ``age_bucket,
        n_called, n_uncalled, paid_called, paid_uncalled`` (raw mean shares,
        NaN without cases), ``lift_raw`` (before shrinkage; NaN without
        cases), ``lift`` (used) and ``reach_rate`` (share of the dials logged
        in the lookback that reached the debtor, shrunk towards
        ``prior_reach`` with 20 pseudo-dials; the same on every row).

    Examples
    --------
    >>> from recovery_analytics.demo import generate_demo
    >>> up = estimate_call_uplift(generate_demo(200, seed=1), "2026-06-30")
    >>> bool((up["lift"] >= 1).all()), up["age_bucket"].iloc[-1]
    (True, 'all')
    """
    as_of = pd.Timestamp(as_of).normalize()
    a = int(as_of.to_datetime64().astype("datetime64[D]").astype("int64"))
    claims = portfolio.claims.sort_values("claim_id", kind="stable").reset_index(drop=True)
    ids = pd.Index(claims["claim_id"])
    ev = portfolio.events
    ev = ev[(ev["date"] <= as_of).to_numpy()]
    code = ids.get_indexer(ev["claim_id"])
    ev = ev[code >= 0]
    code = code[code >= 0]
    eday, etype = _day(ev["date"]), ev["type"].to_numpy(dtype=object)
    amount = ev["amount"].to_numpy(dtype="float64", na_value=np.nan)
    base = a - 40_000

    def track(*types: str) -> _Track:
        m = np.isin(etype, types)
        return _Track(code[m], eday[m], amount[m], base)

    money, cash = track("payment", "credit_note"), track("payment")
    reached, dial, blocked = (
        track("call_reached"),
        track(*_CALL_TYPES),
        track("write_off", "judicial_filing"),
    )
    due, inv, amt = _day(claims["due_date"]), _day(claims["invoice_date"]), claims["amount"]
    amt = amt.to_numpy(dtype="float64")
    deb = portfolio.debtors.drop_duplicates("debtor_id").reset_index(drop=True)
    pos = pd.Index(deb["debtor_id"]).get_indexer(claims["debtor_id"])  # -1: unknown debtor
    ins_day = np.full(len(claims), 10**9)
    if "insolvency_date" in deb:
        ins_day = np.append(_day(deb["insolvency_date"].to_numpy()), 10**9)[pos]
    phone_ok = np.ones(len(claims), dtype=bool)
    if "phone" in deb:
        status = check_french_phone(deb["phone"])["phone_status"].isin(["ok", "foreign"])
        phone_ok = np.append(status.to_numpy(dtype=bool), False)[pos]
    every = max(int(every_days), 1)
    last = a - int(window_days) - 7
    dates = np.arange(last, a - int(lookback_days) - 1, -every)[::-1]
    parts = []
    allc = np.arange(len(claims))
    end = np.minimum(money.settled_day(amt), blocked.first_day(len(claims)))
    end = np.where(phone_ok, end, -(10**9))  # only claims whose debtor could be called
    for d in dates:
        cand = allc[(inv <= d) & (due < d) & (ins_day > d) & (end > d)]
        if len(cand) > max_cases_per_date:  # an even, deterministic subsample (by claim_id)
            cand = cand[np.linspace(0, len(cand) - 1, max_cases_per_date).astype("int64")]
        if not len(cand):
            continue
        out_d = amt[cand] - money.total(cand, np.full(len(cand), d))
        live = (out_d > 0.01) & (blocked.total(cand, np.full(len(cand), d)) == 0)
        cand, out_d = cand[live], out_d[live]
        dd = np.full(len(cand), d)
        t = reached.first_in(cand, dd, dd + 7)
        called = t >= 0
        uncalled = dial.first_in(cand, dd, dd + 7) < 0
        start = np.where(called, t, d)
        out_t = np.where(called, amt[cand] - money.total(cand, start - 1), out_d)
        paid = cash.total(cand, start + window_days) - cash.total(cand, start)
        share = np.clip(paid / np.maximum(out_t, 0.01), 0.0, 1.0)
        keep = (called | uncalled) & (out_t > 0.01)
        parts.append(
            pd.DataFrame(
                {"bucket": _age_bucket(d - due[cand][keep]), "called": called[keep]}
            ).assign(share=share[keep])
        )
    cases = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame({"bucket": [], "called": [], "share": []})
    )
    cases = cases.astype({"bucket": "str", "called": "bool", "share": "float64"})
    g = cases.groupby(["bucket", "called"])["share"].agg(["sum", "count"])
    names = [name for name, _ in AGE_BUCKETS]
    full = pd.MultiIndex.from_product([names, [True, False]], names=["bucket", "called"])
    g = g.reindex(full, fill_value=0)
    s_c, n_c = g.xs(True, level="called")["sum"], g.xs(True, level="called")["count"]
    s_u, n_u = g.xs(False, level="called")["sum"], g.xs(False, level="called")["count"]
    eps = 0.05
    raw = np.log((s_c / n_c.where(n_c > 0) + eps) / (s_u / n_u.where(n_u > 0) + eps))
    w = n_c.where(raw.notna(), 0).astype("float64")
    k = float(prior_weight)
    pooled_raw = float((w * raw.fillna(0)).sum() / w.sum()) if w.sum() > 0 else 0.0
    pooled = (w.sum() * pooled_raw + k * np.log(prior_lift)) / (w.sum() + k)
    shrunk = (w * raw.fillna(0) + k * pooled) / (w + k)
    out = pd.DataFrame(
        {
            "age_bucket": [*names, "all"],
            "n_called": [*n_c.to_numpy(), int(n_c.sum())],
            "n_uncalled": [*n_u.to_numpy(), int(n_u.sum())],
            "paid_called": [*(s_c / n_c.where(n_c > 0)).to_numpy(), np.nan],
            "paid_uncalled": [*(s_u / n_u.where(n_u > 0)).to_numpy(), np.nan],
            "lift_raw": [*np.exp(raw).to_numpy(), np.exp(pooled_raw) if w.sum() > 0 else np.nan],
            "lift": np.clip(np.exp([*shrunk.to_numpy(), pooled]), 1.0, max_lift),
        }
    )
    if n_c.sum():
        out.loc[len(names), "paid_called"] = s_c.sum() / n_c.sum()
    if n_u.sum():
        out.loc[len(names), "paid_uncalled"] = s_u.sum() / n_u.sum()
    recent = (eday > a - int(lookback_days)) & np.isin(etype, _CALL_TYPES)
    n_dials = int(recent.sum())
    n_reached = int((recent & (etype == "call_reached")).sum())
    out["reach_rate"] = (n_reached + 20.0 * prior_reach) / (n_dials + 20.0)
    return out.astype({"age_bucket": "str", "n_called": "int64", "n_uncalled": "int64"})


# ----------------------------------------------------------------------------- value of a call
def call_value(
    claims: pd.DataFrame,
    debtors: pd.DataFrame,
    *,
    minute_cost_eur: float = 0.60,
    call_cost_eur: float = 0.0,
    unanswered_minutes: float = 1.0,
    broken_promise_boost: float = 1.25,
) -> pd.DataFrame:
    """Expected euros a call brings, net of its cost, per minute of collector time.

    For each claim ``c`` in the call, with outstanding ``O``, the model's
    expected recovery ``E`` and the lift ``L`` of a reached call for its age
    (:func:`estimate_call_uplift`), a reached call brings
    ``extra = min((L - 1) x E, O - E)`` (never negative, never more than what
    the model does not already expect). For the debtor, with reach rate
    ``r``, talk minutes ``m`` and ``u`` minutes lost on an unanswered dial::

        call_eur         = r x sum(extra) x (boost if a promise was broken)
        expected_minutes = r x m + (1 - r) x u
        cost_eur         = call_cost_eur + minute_cost_eur x expected_minutes
        net_eur          = call_eur - cost_eur
        value_per_minute = net_eur / expected_minutes

    Parameters
    ----------
    claims : pandas.DataFrame
        ``debtor_id, outstanding_eur, expected_recovery_eur, lift``.
    debtors : pandas.DataFrame
        ``debtor_id, reach_rate, talk_minutes, broken_promise`` (one row each).
    minute_cost_eur : float, default 0.60
        Loaded cost of a collector minute (36 € an hour).
    call_cost_eur : float, default 0.0
        Fixed cost of a dial (telephony), on top of the minutes.
    unanswered_minutes : float, default 1.0
    broken_promise_boost : float, default 1.25

    Returns
    -------
    pandas.DataFrame
        One row per debtor of ``debtors``, sorted by ``debtor_id``:
        ``debtor_id, call_eur, expected_minutes, cost_eur, net_eur,
        value_per_minute``.

    Examples
    --------
    >>> claims = pd.DataFrame({"debtor_id": ["D1", "D1"], "outstanding_eur": [1000.0, 300.0],
    ...                        "expected_recovery_eur": [400.0, 280.0], "lift": [1.5, 2.0]})
    >>> debtors = pd.DataFrame({"debtor_id": ["D1"], "reach_rate": [0.5], "talk_minutes": [8.0],
    ...                         "broken_promise": [True]})
    >>> call_value(claims, debtors).iloc[0, 1:].astype(float).round(3).tolist()
    [137.5, 4.5, 2.7, 134.8, 29.956]
    """
    o = claims["outstanding_eur"].to_numpy(dtype="float64")
    e = np.minimum(claims["expected_recovery_eur"].to_numpy(dtype="float64"), o)
    lift = claims["lift"].to_numpy(dtype="float64")
    extra = np.clip(np.minimum((lift - 1.0) * e, o - e), 0.0, None)
    d = debtors.sort_values("debtor_id", kind="stable").reset_index(drop=True)
    summed = pd.Series(extra, index=claims["debtor_id"].to_numpy()).groupby(level=0).sum()
    gain = summed.reindex(d["debtor_id"].to_numpy()).fillna(0.0).to_numpy()
    r = d["reach_rate"].to_numpy(dtype="float64")
    boost = np.where(d["broken_promise"].to_numpy(dtype=bool), broken_promise_boost, 1.0)
    call_eur = r * gain * boost
    minutes = r * d["talk_minutes"].to_numpy(dtype="float64") + (1 - r) * unanswered_minutes
    cost = call_cost_eur + minute_cost_eur * minutes
    return pd.DataFrame(
        {
            "debtor_id": d["debtor_id"].astype("str"),
            "call_eur": call_eur,
            "expected_minutes": minutes,
            "cost_eur": cost,
            "net_eur": call_eur - cost,
            "value_per_minute": (call_eur - cost) / np.maximum(minutes, 1e-9),
        }
    )


# ----------------------------------------------------------------------------- next best action
@dataclass(frozen=True)
class EscalationPolicy:
    """The escalation scenario, in days relative to the due date.

    Steps in order: courtesy reminder before the due date (large or risky
    invoices), reminder letter, call, second letter, visit (optional),
    mise en demeure, court route (the judicial module's recommendation).
    Defaults follow the recommended practice of the facts file (section 6):
    reminder day 7, call day 15, last notice day 30, a 10-day deadline after
    the mise en demeure.

    Parameters
    ----------
    courtesy_days_before : int
        Courtesy reminder this many days before the due date ...
    courtesy_min_eur, courtesy_max_p : float
        ... for invoices of at least this amount, or whose ``p_amicable`` is
        below this (risky).
    reminder_day, call_day, second_letter_day, visit_day, formal_notice_day, court_day : int
        Earliest day after the due date of each step.
    visit_min_eur : float or None
        Visits only for B2B debtors owing at least this (None: no visits).
    notice_deadline_days : int
        Days left to the debtor after a mise en demeure before court.
    min_gap_days : int
        Minimum days between two actions on a claim.
    promise_grace_days : int
        Wait this long after a promised date before acting again.
    recall_days : int
        When court is not worth it, call again this many days after the last action.

    Examples
    --------
    >>> EscalationPolicy(call_day=10).call_day
    10
    """

    courtesy_days_before: int = 5
    courtesy_min_eur: float = 5000.0
    courtesy_max_p: float = 0.5
    reminder_day: int = 7
    call_day: int = 15
    second_letter_day: int = 30
    visit_day: int = 40
    formal_notice_day: int = 45
    court_day: int = 60
    visit_min_eur: float | None = 10_000.0
    notice_deadline_days: int = 10
    min_gap_days: int = 7
    promise_grace_days: int = 3
    recall_days: int = 14


#: Next-best-action codes -> (channel, French label, English label).
ACTIONS: dict[str, tuple[str, str, str]] = {
    "courtesy_reminder": ("email", "rappel de courtoisie avant échéance", "courtesy reminder"),
    "reminder_letter": ("letter", "lettre de relance", "reminder letter"),
    "call": ("phone", "appel", "call"),
    "second_letter": ("letter", "seconde lettre de relance", "second reminder letter"),
    "visit": ("visit", "visite", "visit"),
    "formal_notice": ("registered_letter", "mise en demeure (LRAR)", "formal notice"),
    "court": ("court", "procédure judiciaire", "court route"),
    "agency": ("agency", "confier à une agence", "hand to an agency"),
    "declare_claim": ("declaration", "déclarer la créance", "declare the claim"),
    "write_off": ("internal", "passer en perte", "write off"),
    "resolve_dispute": ("phone", "résoudre le litige", "resolve the dispute"),
    "wait_promise": ("none", "attendre la promesse", "wait for the promise"),
    "follow_court_case": ("court", "suivre la procédure", "follow the court case"),
    "not_due": ("none", "pas encore échue", "not yet due"),
}
#: Actions that are a letter, an email or a formal notice (the ``letters`` list).
LETTER_ACTIONS: tuple[str, ...] = (
    "courtesy_reminder",
    "reminder_letter",
    "second_letter",
    "formal_notice",
)
_LADDER = ("reminder_letter", "call", "second_letter", "visit", "formal_notice", "court")


def _col(df: pd.DataFrame, name: str, default: Any) -> pd.Series:
    return df[name] if name in df.columns else pd.Series(default, index=df.index)


def next_best_action(
    state: pd.DataFrame,
    judicial: pd.DataFrame | None = None,
    policy: EscalationPolicy | None = None,
) -> pd.DataFrame:
    """The next step of the escalation scenario for every open claim, and when.

    Rules, first match wins: insolvency -> declare the claim (by the
    declaration deadline) or write it off when the judicial module says so;
    a court filing exists -> follow the court case; open dispute -> resolve
    it; not yet due -> a courtesy reminder ``courtesy_days_before`` the due
    date for large (``courtesy_min_eur``) or risky (``p_amicable <
    courtesy_max_p``) invoices not reminded yet, else nothing; a promise
    pending -> wait until the promised date + grace; otherwise the step after
    the furthest one done (reminder, call, second letter, visit, mise en
    demeure, court). A step is dated ``due_date + its day``, at least
    ``min_gap_days`` after the last action (court: after the notice deadline).
    At the court step the judicial module's ``recommended_route`` decides: a
    court route, write-off, an agency, or (continuing amicably) another call
    ``recall_days`` after the last action.

    Parameters
    ----------
    state : pandas.DataFrame
        Claim state (``docs/state-contract.md``), optionally with ``p_amicable``;
        only rows with ``is_open`` are used.
    judicial : pandas.DataFrame, optional
        :func:`~recovery_analytics.judicial.judicial_assessment` output
        (``claim_id, recommended_route, declaration_deadline``). Without it
        the court step means "court" with no route named.
    policy : EscalationPolicy, optional

    Returns
    -------
    pandas.DataFrame
        One row per open claim, sorted by ``claim_id``: ``claim_id, debtor_id,
        as_of, outstanding_eur, days_past_due, action`` (a key of
        :data:`ACTIONS`), ``channel, action_date, late`` (the action was due
        before as_of), ``route`` (the court route, or NA).

    Examples
    --------
    >>> st = pd.DataFrame({"claim_id": ["C1"], "debtor_id": ["D1"], "is_open": [True],
    ...     "as_of": [pd.Timestamp("2026-06-30")], "due_date": [pd.Timestamp("2026-06-20")],
    ...     "outstanding_eur": [800.0], "days_past_due": [10], "n_reminders": [0]})
    >>> out = next_best_action(st)
    >>> out.loc[0, "action"], str(out.loc[0, "action_date"].date())
    ('reminder_letter', '2026-06-27')
    """
    from recovery_analytics.judicial import COURT_ROUTES

    pol = policy or EscalationPolicy()
    st = state[_col(state, "is_open", True).to_numpy(dtype=bool)]
    st = st.sort_values("claim_id", kind="stable").reset_index(drop=True)
    n = len(st)
    as_of = pd.to_datetime(st["as_of"]).to_numpy(dtype="datetime64[D]")
    due = pd.to_datetime(st["due_date"]).to_numpy(dtype="datetime64[D]")
    dpd = st["days_past_due"].to_numpy(dtype="int64")
    num = {
        c: _col(st, c, 0).fillna(0).to_numpy(dtype="float64")
        for c in ("n_reminders", "n_call_attempts", "n_formal_notices", "stage_rank")
    }
    rec = pd.Series("continue_amicable", index=st.index, dtype="str")
    deadline = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    if judicial is not None and len(judicial):
        j = judicial.drop_duplicates("claim_id").set_index("claim_id")
        rec = j["recommended_route"].reindex(st["claim_id"]).fillna("continue_amicable")
        rec = pd.Series(rec.to_numpy(dtype=object), index=st.index).astype("str")
        if "declaration_deadline" in j:
            dl = pd.to_datetime(j["declaration_deadline"].reindex(st["claim_id"]))
            deadline = dl.to_numpy(dtype="datetime64[D]")
    rec_arr = rec.to_numpy(dtype=object)

    def dates(name: str) -> np.ndarray:
        return pd.to_datetime(_col(st, name, pd.NaT)).to_numpy(dtype="datetime64[D]")

    filed = ~np.isnat(dates("judicial_filing_date")) | (num["stage_rank"] >= 5)
    done = np.column_stack(
        [
            num["n_reminders"] >= 1,
            num["n_call_attempts"] >= 1,
            (num["n_reminders"] >= 2) & (num["n_call_attempts"] >= 1),
            num["stage_rank"] >= 3,
            (num["n_formal_notices"] >= 1) | (num["stage_rank"] >= 4),
            filed,
        ]
    ).reshape(n, len(_LADDER))
    reached = np.where(done, np.arange(1, len(_LADDER) + 1), 0).max(axis=1, initial=0)
    exposure = _col(st, "debtor_open_exposure_eur", 0.0).fillna(0).to_numpy(dtype="float64")
    b2b = _col(st, "debtor_type", "B2B").astype("str").to_numpy(dtype=object) == "B2B"
    visit_ok = (pol.visit_min_eur is not None) & b2b & (exposure >= (pol.visit_min_eur or 0))
    step = np.minimum(reached + 1, len(_LADDER))
    step = np.where((step == 4) & ~visit_ok, 5, step)
    offsets = np.array(
        [
            0,
            pol.reminder_day,
            pol.call_day,
            pol.second_letter_day,
            pol.visit_day,
            pol.formal_notice_day,
            pol.court_day,
        ]
    )
    last_action = dates("last_action_date")
    gap = np.where(np.isnat(last_action), due, last_action + pol.min_gap_days * _DAY)
    planned = np.maximum(due + offsets[step] * _DAY, gap)
    notice = dates("formal_notice_date")
    planned = np.where(
        (step == 6) & ~np.isnat(notice),
        np.maximum(planned, notice + pol.notice_deadline_days * _DAY),
        planned,
    )
    ladder = np.asarray(_LADDER, dtype=object)[step - 1]
    court_step = step == 6
    is_court = np.isin(rec_arr, COURT_ROUTES)
    ladder = np.where(court_step & is_court, "court", ladder)
    ladder = np.where(court_step & (rec_arr == "write_off"), "write_off", ladder)
    ladder = np.where(court_step & (rec_arr == "agency"), "agency", ladder)
    recall = court_step & ~is_court & ~np.isin(rec_arr, ["write_off", "agency"])
    ladder = np.where(recall, "call", ladder)
    planned = np.where(
        recall, np.maximum(planned, gap + (pol.recall_days - pol.min_gap_days) * _DAY), planned
    )

    insolvent = _col(st, "insolvency_status", "none").fillna("none").astype("str") != "none"
    dispute = _col(st, "open_dispute", False).fillna(False).to_numpy(dtype=bool)
    pending = _col(st, "promise_pending", False).fillna(False).to_numpy(dtype=bool)
    p_am = _col(st, "p_amicable", np.nan).to_numpy(dtype="float64")
    amount = _col(st, "amount", 0.0).fillna(0).to_numpy(dtype="float64")
    outstanding = st["outstanding_eur"].to_numpy(dtype="float64")
    courtesy = (np.maximum(amount, outstanding) >= pol.courtesy_min_eur) | (
        p_am < pol.courtesy_max_p
    )
    courtesy &= num["n_reminders"] == 0
    promise = dates("next_promise_date") + pol.promise_grace_days * _DAY
    conds = [
        insolvent.to_numpy(bool) & (rec_arr == "write_off"),
        insolvent.to_numpy(bool),
        filed,
        dispute,
        (dpd <= 0) & courtesy,
        dpd <= 0,
        pending,
    ]
    action = np.select(
        conds,
        [
            "write_off",
            "declare_claim",
            "follow_court_case",
            "resolve_dispute",
            "courtesy_reminder",
            "not_due",
            "wait_promise",
        ],
        ladder,
    )
    when = np.select(
        conds,
        [
            as_of,
            np.where(np.isnat(deadline), as_of, deadline),
            as_of,
            as_of,
            due - pol.courtesy_days_before * _DAY,
            due + _DAY,
            promise,
        ],
        planned,
    )
    route = np.where(action == "court", rec_arr, None)
    out = pd.DataFrame(
        {
            "claim_id": st["claim_id"].astype("str"),
            "debtor_id": st["debtor_id"].astype("str"),
            "as_of": pd.to_datetime(st["as_of"]).astype("datetime64[ns]"),
            "outstanding_eur": outstanding,
            "days_past_due": dpd,
            "action": pd.Series(action, dtype="str"),
            "channel": pd.Series(action).map({k: v[0] for k, v in ACTIONS.items()}).astype("str"),
            "action_date": pd.Series(when).astype("datetime64[ns]"),
            "late": when < as_of,
            "route": pd.Series(route, dtype="str"),
        }
    )
    return out


# ----------------------------------------------------------------------------- the queue
@dataclass
class CallQueue:
    """The team's week: the call queue and every list that goes with it.

    Attributes
    ----------
    queue : pandas.DataFrame
        One row per debtor to call, ranked (``rank`` 1 = call first), with its
        ``collector`` (columns in ``docs/call-queue.md``).
    claims : pandas.DataFrame
        The overdue open claims behind each queue line.
    excluded : pandas.DataFrame
        Every other debtor with an overdue open claim, with ``reason``
        (a key of :data:`EXCLUSION_REASONS`), ``reason_label`` and ``detail``.
    disputes : pandas.DataFrame
        Open disputed claims (the disputes to resolve), oldest first.
    contact_to_check : pandas.DataFrame
        Debtors whose phone is missing or malformed, largest outstanding first.
    letters : pandas.DataFrame
        Letters, emails and formal notices due this week (as_of to as_of + 6
        days, or late), one row per debtor and action.
    summary : pandas.DataFrame
        One row per collector: debtors, expected minutes, capacity, euros.
    actions : pandas.DataFrame
        :func:`next_best_action` for every open claim.
    uplift : pandas.DataFrame
        :func:`estimate_call_uplift` used for the values.
    debtors : pandas.DataFrame
        One row per debtor with an overdue open claim (queue + excluded):
        ``debtor_id, open_claims, total_outstanding_eur,
        oldest_days_past_due, callable_claims, callable_outstanding_eur,
        p_amicable, expected_recovery_eur, reach_rate, call_eur, net_eur,
        value_per_minute, reason`` (NA when queued) ``, collector`` (NA when
        excluded); no personal data.
    as_of : pandas.Timestamp
    parameters : dict
    timings : dict
        Seconds spent in each stage (``state, score, judicial, actions,
        uplift, queue, reasons``).
    """

    queue: pd.DataFrame
    claims: pd.DataFrame
    excluded: pd.DataFrame
    disputes: pd.DataFrame
    contact_to_check: pd.DataFrame
    letters: pd.DataFrame
    summary: pd.DataFrame
    actions: pd.DataFrame
    uplift: pd.DataFrame
    debtors: pd.DataFrame
    as_of: pd.Timestamp
    parameters: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


_TEXT = {
    "fr": {
        "call": "Appeler",
        "broken": "Appeler : promesse non tenue",
        "then": " ; ensuite : ",
        "none": "aucune",
        "promises": " promesse(s) : ",
        "kept": " tenue(s), ",
        "broken_n": " non tenue(s)",
        "pending": " ; en attente ",
        "on": " au ",
        "claims": " facture(s), la plus ancienne à ",
        "days": " jours",
        "last_call": "dernier appel le ",
        "calls_30d": " appels en 30 jours",
        "since": "depuis le ",
    },
    "en": {
        "call": "Call",
        "broken": "Call: broken promise",
        "then": "; next: ",
        "none": "none",
        "promises": " promise(s): ",
        "kept": " kept, ",
        "broken_n": " broken",
        "pending": "; pending ",
        "on": " on ",
        "claims": " invoice(s), oldest ",
        "days": " days past due",
        "last_call": "last call on ",
        "calls_30d": " calls in 30 days",
        "since": "since ",
    },
}


def _fmt_dates(values: pd.Series, lang: str) -> pd.Series:
    d = pd.to_datetime(values)
    return d.dt.strftime("%d/%m/%Y" if lang == "fr" else "%Y-%m-%d").astype("str")


def _fmt_eur(values: pd.Series) -> pd.Series:
    return values.round(0).astype("int64").astype("str") + " €"


def _minutes(debtors: pd.DataFrame, mapping: Mapping[str, float]) -> np.ndarray:
    base = pd.Series(np.nan, index=debtors.index)
    for col in ("segment", "debtor_type"):
        if col in debtors:
            base = base.fillna(debtors[col].map(dict(mapping)).astype("float64"))
    return base.fillna(float(mapping.get("default", 6.0))).to_numpy(dtype="float64")


def _call_history(portfolio: Portfolio, as_of: pd.Timestamp) -> pd.DataFrame:
    """Per debtor: last call date, distinct call days in the last 30 days, last collector."""
    ev = portfolio.events
    ev = ev[ev["type"].isin(_CALL_TYPES).to_numpy() & (ev["date"] <= as_of).to_numpy()]
    debtor = portfolio.claims.drop_duplicates("claim_id").set_index("claim_id")["debtor_id"]
    ev = ev.assign(debtor_id=debtor.reindex(ev["claim_id"]).to_numpy()).dropna(subset=["debtor_id"])
    g = ev.groupby("debtor_id")
    out = pd.DataFrame({"last_call_date": g["date"].max()})
    recent = ev[(ev["date"] > as_of - pd.Timedelta(days=30)).to_numpy()]
    out["calls_30d"] = recent.drop_duplicates(["debtor_id", "date"]).groupby("debtor_id").size()
    who = next((c for c in ("collector", "agent") if c in ev.columns), None)
    if who is not None:
        named = ev[ev[who].notna().to_numpy()].astype({who: "str"})
        named = named.sort_values(["debtor_id", "date", "claim_id", who], kind="stable")
        out["previous_collector"] = named.groupby("debtor_id")[who].last()
    else:
        out["previous_collector"] = pd.Series(dtype="str")
    out["calls_30d"] = out["calls_30d"].fillna(0).astype("int64")
    out.index = out.index.astype("str")
    return out.astype({"previous_collector": "str"})


def _assign(
    cand: pd.DataFrame,
    names: list[str],
    calls_cap: int | None,
    minutes_cap: float | None,
    skills: Mapping[str, Sequence[str]] | None,
    max_per_segment: Mapping[str, int] | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Greedy assignment in rank order; returns (collector or None, reason or None)."""
    k = len(names)
    n_calls = np.zeros(k, dtype=int)
    minutes = np.zeros(k)
    euros = np.zeros(k)
    seg_count: list[dict[str, int]] = [{} for _ in range(k)]
    types, langs = [], []
    for nm in names:
        sk = {str(s) for s in (skills or {}).get(nm, ())}
        t = {s.upper() for s in sk if s.upper() in ("B2B", "B2C")}
        types.append(t)
        langs.append({s.lower() for s in sk if s.upper() not in ("B2B", "B2C")})
    caps = max_per_segment or {}
    collector = np.full(len(cand), None, dtype=object)
    reason = np.full(len(cand), None, dtype=object)
    dt = cand["debtor_type"].to_numpy(dtype=object)
    lang = cand["language"].to_numpy(dtype=object)
    seg = cand["segment"].to_numpy(dtype=object)
    mins = cand["expected_minutes"].to_numpy(dtype="float64")
    eur = cand["call_eur"].to_numpy(dtype="float64")
    prev = cand["previous_collector"].to_numpy(dtype=object)
    full = np.zeros(k, dtype=bool)
    for i in range(len(cand)):
        if full.all():
            reason[i:] = "below_capacity"
            break
        skilled = [
            j
            for j in range(k)
            if (not types[j] or dt[i] in types[j])
            and (not langs[j] or str(lang[i]).lower() in langs[j])
        ]
        if not skilled:
            reason[i] = "no_matching_collector"
            continue
        room = [
            j
            for j in skilled
            if (calls_cap is None or n_calls[j] < calls_cap)
            and (minutes_cap is None or minutes[j] + mins[i] <= minutes_cap)
        ]
        ok = [j for j in room if seg[i] not in caps or seg_count[j].get(seg[i], 0) < caps[seg[i]]]
        if not ok:
            reason[i] = "segment_cap" if room else "below_capacity"
            continue
        by_name = [j for j in ok if names[j] == prev[i]]
        j = by_name[0] if by_name else min(ok, key=lambda q: (euros[q], n_calls[q], q))
        collector[i] = names[j]
        n_calls[j] += 1
        minutes[j] += mins[i]
        euros[j] += eur[i]
        seg_count[j][seg[i]] = seg_count[j].get(seg[i], 0) + 1
        full[j] = (calls_cap is not None and n_calls[j] >= calls_cap) or (
            minutes_cap is not None and minutes[j] + 1.0 > minutes_cap
        )
    return collector, reason


def build_call_queue(
    portfolio: Portfolio,
    model: Any,
    as_of: Any,
    *,
    collectors: int | Sequence[str] = 3,
    calls_per_collector: int | None = 40,
    minutes_per_day: float | None = None,
    cooloff_days: int = 7,
    max_attempts_30d: int = 4,
    call_minutes: Mapping[str, float] | None = None,
    minute_cost_eur: float = 0.60,
    call_cost_eur: float = 0.0,
    judicial: pd.DataFrame | bool | None = None,
    schedule: Any = None,
    lang: str = "fr",
    skills: Mapping[str, Sequence[str]] | None = None,
    max_per_segment: Mapping[str, int] | None = None,
    policy: EscalationPolicy | None = None,
    uplift: pd.DataFrame | None = None,
    broken_promise_boost: float = 1.25,
    reasons: bool = True,
) -> CallQueue:
    """Build the prioritised call queue of the day, and the week's other lists.

    Parameters
    ----------
    portfolio : Portfolio
    model : AmicableModel or None
        Fitted amicable model. None: the judicial module's prior by days past
        due gives ``p_amicable`` and ``expected_recovery_eur = p x outstanding``.
    as_of : date-like
    collectors : int or sequence of str, default 3
        Number of collectors (named ``C01``, ``C02``...) or their names.
    calls_per_collector : int or None, default 40
    minutes_per_day : float or None
        Expected minutes per collector (both caps apply when both are given).
    cooloff_days : int, default 7
        No call to a debtor called (dialled) fewer than this many days ago.
    max_attempts_30d : int, default 4
        No call to a debtor dialled on this many distinct days in the last 30.
    call_minutes : mapping, optional
        Talk minutes of a reached call by ``segment`` or ``debtor_type``
        (``"default"`` for the rest); default :data:`DEFAULT_CALL_MINUTES`.
        Half a minute is added per extra claim (at most 10).
    minute_cost_eur, call_cost_eur : float
        Cost of a collector minute and fixed cost of a dial.
    judicial : DataFrame, bool or None
        A :func:`~recovery_analytics.judicial.judicial_assessment` frame; None
        computes it; False skips it (no claim is routed to court).
    schedule : CostSchedule, optional
        Cost schedule of the judicial assessment computed here (default: shipped).
    lang : {"fr", "en"}
        Language of labels, suggested actions and talking points.
    skills : mapping, optional
        ``collector -> skills``: ``"B2B"``/``"B2C"`` and language codes
        (``"fr"``, ``"en"``; a debtor's language is the ``language`` column of
        ``debtors``, else ``fr``). A collector without a kind of skill takes all.
    max_per_segment : mapping, optional
        ``segment -> maximum calls per collector`` (``segment`` column of
        ``debtors``, else ``debtor_type``).
    policy : EscalationPolicy, optional
    uplift : DataFrame, optional
        :func:`estimate_call_uplift` output (computed if None).
    broken_promise_boost : float, default 1.25
        A debtor with a broken promise on a callable claim has its call value
        multiplied by this (it moves up the queue).
    reasons : bool, default True
        Compute the model's reasons (talking points) for the queued debtors.

    Returns
    -------
    CallQueue

    Examples
    --------
    >>> from recovery_analytics.demo import generate_demo
    >>> cq = build_call_queue(generate_demo(150, seed=2), None, "2026-06-30",
    ...                       collectors=2, calls_per_collector=5)
    >>> len(cq.queue) <= 10, sorted(cq.summary["collector"])
    (True, ['C01', 'C02'])
    """
    from recovery_analytics.features import portfolio_state
    from recovery_analytics.judicial import judicial_assessment
    from recovery_analytics.snapshots import attach_attributes

    if lang not in _TEXT:
        raise ValueError(f"lang must be 'fr' or 'en', got {lang!r}")
    timings: dict[str, float] = {}
    clock = [time.perf_counter()]

    def tick(name: str) -> None:
        now = time.perf_counter()
        timings[name] = round(now - clock[0], 4)
        clock[0] = now

    as_of = pd.Timestamp(as_of).normalize()
    names = (
        [f"C{i:02d}" for i in range(1, int(collectors) + 1)]
        if isinstance(collectors, int)
        else [str(c) for c in collectors]
    )
    state = portfolio_state(portfolio, as_of)
    open_ = attach_attributes(state[state["is_open"].to_numpy()].reset_index(drop=True), portfolio)
    tick("state")
    if model is not None:
        sc = model.score_frame(open_)
        open_["p_amicable"] = sc["p_amicable"].to_numpy()
        open_["expected_recovery_eur"] = sc["expected_recovery_eur"].to_numpy()
    tick("score")
    jud = judicial if isinstance(judicial, pd.DataFrame) else None
    if jud is None and (judicial is None or model is None):
        jud = judicial_assessment(open_, schedule, as_of=as_of)
    if model is None:
        p = jud.set_index("claim_id")["p_amicable_used"].reindex(open_["claim_id"]).to_numpy()
        open_["p_amicable"] = p
        open_["expected_recovery_eur"] = p * open_["outstanding_eur"].to_numpy()
    if judicial is False:
        jud = None
    tick("judicial")
    actions = next_best_action(open_, jud, policy)
    tick("actions")
    up = uplift if uplift is not None else estimate_call_uplift(portfolio, as_of)
    tick("uplift")

    # ---- claims and debtors
    cl = open_.merge(actions[["claim_id", "action", "action_date", "route"]], on="claim_id")
    cl["route_reason"] = cl["action"].map(_ROUTED).astype("str")
    cl["callable"] = cl["route_reason"].isna()
    lift = up.set_index("age_bucket")["lift"]
    cl["lift"] = lift.reindex(_age_bucket(cl["days_past_due"].to_numpy())).to_numpy()
    cl["insolvent"] = cl["insolvency_status"].fillna("none").astype("str") != "none"
    overdue = cl[(cl["days_past_due"] > 0).to_numpy()].reset_index(drop=True)
    callable_ = overdue[overdue["callable"].to_numpy()]
    route_rank = (
        overdue["route_reason"]
        .map({r: i for i, r in enumerate(EXCLUSION_REASONS)})
        .astype("float64")
    )
    g = overdue.assign(route_rank=route_rank).groupby("debtor_id", sort=True)
    deb = pd.DataFrame(
        {
            "open_claims": g.size(),
            "total_outstanding_eur": g["outstanding_eur"].sum().round(2),
            "oldest_days_past_due": g["days_past_due"].max(),
            "insolvent": g["insolvent"].any(),
            "route_rank": g["route_rank"].min(),
        }
    )
    dispute = cl["open_dispute"].to_numpy(dtype=bool)
    deb["dispute"] = (
        pd.Series(dispute, index=cl["debtor_id"].to_numpy()).groupby(level=0).any()
    ).reindex(deb.index, fill_value=False)
    gc = callable_.groupby("debtor_id", sort=True)
    deb["callable_claims"] = gc.size().reindex(deb.index).fillna(0).astype("int64")
    deb["callable_outstanding_eur"] = gc["outstanding_eur"].sum().reindex(deb.index).fillna(0.0)
    deb["pending"] = gc["promise_pending"].any().reindex(deb.index).fillna(False).astype(bool)
    deb["next_promise_date"] = gc["next_promise_date"].min().reindex(deb.index)
    deb["promised_eur_pending"] = gc["promised_eur_pending"].sum().reindex(deb.index).fillna(0.0)
    broken = callable_["n_promises_broken"].to_numpy() > 0
    deb["broken_promise"] = (
        (pd.Series(broken, index=callable_["debtor_id"].to_numpy()).groupby(level=0).any())
        .reindex(deb.index)
        .fillna(False)
        .astype(bool)
    )
    wsum = (
        (callable_["p_amicable"] * callable_["outstanding_eur"])
        .groupby(callable_["debtor_id"])
        .sum()
    )
    deb["p_amicable"] = (wsum.reindex(deb.index) / deb["callable_outstanding_eur"]).where(
        deb["callable_outstanding_eur"] > 0
    )
    deb["expected_recovery_eur"] = gc["expected_recovery_eur"].sum().reindex(deb.index).fillna(0.0)
    ga = state.groupby("debtor_id", sort=True)
    hist = pd.DataFrame(
        {
            "last_contact_date": ga["last_contact_date"].max(),
            "n_promises": ga["n_promises"].sum(),
            "n_promises_kept": ga["n_promises_kept"].sum(),
            "n_promises_broken": ga["n_promises_broken"].sum(),
            "dials": ga["n_call_attempts"].sum(),
            "reached": ga["n_calls_reached"].sum(),
        }
    )
    deb = deb.join(hist)
    info = portfolio.debtors.drop_duplicates("debtor_id").set_index("debtor_id")
    info = info.reindex(deb.index)
    for col, default in (
        ("name", pd.NA),
        ("phone", pd.NA),
        ("email", pd.NA),
        ("segment", pd.NA),
        ("debtor_type", "B2B"),
        ("language", "fr"),
    ):
        deb[col] = (info[col] if col in info else pd.Series(default, index=deb.index)).astype("str")
    deb["segment"] = deb["segment"].fillna(deb["debtor_type"])
    deb["language"] = deb["language"].fillna("fr")
    phone = check_french_phone(deb["phone"])
    deb["phone_national"] = phone["phone_national"]
    deb["phone_status"] = phone["phone_status"]
    deb = deb.join(_call_history(portfolio, as_of))
    deb["calls_30d"] = deb["calls_30d"].fillna(0).astype("int64")
    deb.index.name = "debtor_id"
    deb = deb.reset_index().astype({"debtor_id": "str"})

    # ---- value of a call
    reach_prior = float(up["reach_rate"].iloc[-1]) if len(up) else 0.45
    deb["reach_rate"] = (deb["reached"] + 2.0 * reach_prior) / (deb["dials"] + 2.0)
    minutes_map = dict(DEFAULT_CALL_MINUTES if call_minutes is None else call_minutes)
    deb["talk_minutes"] = _minutes(deb, minutes_map) + np.minimum(
        0.5 * (deb["callable_claims"].clip(lower=1) - 1), 10.0
    )
    val = call_value(
        callable_[["debtor_id", "outstanding_eur", "expected_recovery_eur", "lift"]],
        deb[["debtor_id", "reach_rate", "talk_minutes", "broken_promise"]],
        minute_cost_eur=minute_cost_eur,
        call_cost_eur=call_cost_eur,
        broken_promise_boost=broken_promise_boost,
    )
    deb = deb.merge(val, on="debtor_id", how="left")

    # ---- eligibility, in the order of EXCLUSION_REASONS
    since_call = (as_of - deb["last_call_date"]).dt.days
    reason_keys = list(EXCLUSION_REASONS)
    route_reason = np.asarray(reason_keys, dtype=object)[
        deb["route_rank"].fillna(0).astype(int).to_numpy()
    ]
    conds = [
        deb["insolvent"].to_numpy(bool),
        (deb["callable_claims"] == 0).to_numpy(),
        deb["dispute"].to_numpy(bool),
        (deb["phone_status"] == "missing").to_numpy(),
        (deb["phone_status"] == "malformed").to_numpy(),
        deb["pending"].to_numpy(bool),
        (since_call < cooloff_days).fillna(False).to_numpy(bool),
        (deb["calls_30d"] >= max_attempts_30d).to_numpy(),
        (deb["net_eur"] <= 0).to_numpy(),
    ]
    choices = [
        "insolvency",
        route_reason,
        "open_dispute",
        "contact_missing",
        "contact_malformed",
        "promise_pending",
        "cooled_off",
        "too_many_attempts",
        "not_worth_a_call",
    ]
    reason = np.select(conds, choices, None).astype(object)
    deb["reason"] = reason
    cand = deb[pd.isna(deb["reason"]).to_numpy()].sort_values(
        ["value_per_minute", "debtor_id"], ascending=[False, True], kind="stable"
    )
    collector, why = _assign(
        cand, names, calls_per_collector, minutes_per_day, skills, max_per_segment
    )
    deb.loc[cand.index, "reason"] = why
    deb["collector"] = pd.Series(pd.NA, index=deb.index, dtype="str")
    deb.loc[cand.index, "collector"] = collector
    tick("queue")

    queued = deb.loc[cand.index[pd.notna(collector)]].copy()
    queued["rank"] = np.arange(1, len(queued) + 1)
    queued["collector_rank"] = queued.groupby("collector").cumcount() + 1
    queue = _queue_table(queued, callable_, overdue, model, open_, lang, reasons)
    tick("reasons")
    claims = _claims_table(queue, overdue, deb)
    excluded = _excluded_table(deb, lang)
    lists = _lists(deb, cl, actions, as_of, portfolio.debtors)
    summary = _summary(queue, names, calls_per_collector, minutes_per_day)
    params = {
        "collectors": names,
        "calls_per_collector": calls_per_collector,
        "minutes_per_day": minutes_per_day,
        "cooloff_days": cooloff_days,
        "max_attempts_30d": max_attempts_30d,
        "call_minutes": minutes_map,
        "minute_cost_eur": minute_cost_eur,
        "call_cost_eur": call_cost_eur,
        "lang": lang,
        "broken_promise_boost": broken_promise_boost,
    }
    return CallQueue(
        queue=queue,
        claims=claims,
        excluded=excluded,
        disputes=lists["disputes"],
        contact_to_check=lists["contact_to_check"],
        letters=lists["letters"],
        summary=summary,
        actions=actions,
        uplift=up,
        debtors=deb[list(_DEBTOR_COLUMNS)].astype({"reason": "str"}),
        as_of=as_of,
        parameters=params,
        timings=timings,
    )


#: Columns of ``CallQueue.queue``.
QUEUE_COLUMNS: tuple[str, ...] = (
    "rank", "collector", "collector_rank", "debtor_id", "name", "phone", "email",
    "debtor_type", "segment", "open_claims", "total_outstanding_eur", "oldest_days_past_due",
    "p_amicable", "expected_recovery_eur", "call_eur", "expected_minutes", "net_eur",
    "value_per_minute", "reach_rate", "broken_promise", "suggested_action", "talking_points",
    "last_contact_date", "promises", "previous_collector",
)  # fmt: skip
_DEBTOR_COLUMNS = (
    "debtor_id", "open_claims", "total_outstanding_eur", "oldest_days_past_due",
    "callable_claims", "callable_outstanding_eur", "p_amicable", "expected_recovery_eur",
    "reach_rate", "call_eur", "net_eur", "value_per_minute", "reason", "collector",
)  # fmt: skip
_ORDER = {"reminder_letter": 1, "call": 2, "second_letter": 3, "visit": 4, "formal_notice": 5,
          "agency": 6}  # fmt: skip


def _promise_text(d: pd.DataFrame, lang: str) -> pd.Series:
    t = _TEXT[lang]
    text = (
        d["n_promises"].astype("int64").astype("str") + t["promises"]
        + d["n_promises_kept"].astype("int64").astype("str") + t["kept"]
        + d["n_promises_broken"].astype("int64").astype("str") + t["broken_n"]
    )  # fmt: skip
    text = text.where(d["n_promises"] > 0, t["none"])
    pending = t["pending"] + _fmt_eur(d["promised_eur_pending"].fillna(0)) + t["on"]
    pending = pending + _fmt_dates(d["next_promise_date"], lang)
    return text.where(~d["pending"].astype(bool), text + pending).astype("str")


def _queue_table(q, callable_, overdue, model, open_, lang, with_reasons) -> pd.DataFrame:
    t = _TEXT[lang]
    q = q.reset_index(drop=True)
    mine = callable_[callable_["debtor_id"].isin(q["debtor_id"]).to_numpy()]
    q["oldest_days_past_due"] = (
        mine.groupby("debtor_id")["days_past_due"].max().reindex(q["debtor_id"]).to_numpy()
    )
    q["open_claims"] = q["callable_claims"]
    q["total_outstanding_eur"] = q["callable_outstanding_eur"].round(2)
    q["phone"] = format_french_phone(q["phone_national"])
    rank = mine["action"].map(_ORDER).fillna(0)
    top_action = (
        mine.assign(_r=rank.to_numpy())
        .sort_values(["debtor_id", "_r"], kind="stable")
        .groupby("debtor_id")["action"]
        .last()
        .reindex(q["debtor_id"])
    )
    labels = {k: v[1 if lang == "fr" else 2] for k, v in ACTIONS.items()}
    base = pd.Series(np.where(q["broken_promise"], t["broken"], t["call"]), dtype="str")
    nxt = pd.Series(top_action.map(labels).to_numpy(), dtype="str")
    follow = (top_action.to_numpy() != "call") & nxt.notna().to_numpy()
    q["suggested_action"] = base.where(~follow, base + t["then"] + nxt)
    q["promises"] = _promise_text(q, lang)
    points = (
        q["open_claims"].astype("str") + t["claims"]
        + q["oldest_days_past_due"].astype("int64").astype("str") + t["days"]
    )  # fmt: skip
    points = points.where(q["n_promises"] == 0, points + " ; " + q["promises"])
    if with_reasons and model is not None and len(q):
        top = mine.sort_values(
            ["debtor_id", "expected_recovery_eur", "claim_id"],
            ascending=[True, False, True],
            kind="stable",
        ).drop_duplicates("debtor_id")
        rows = open_.set_index("claim_id").loc[top["claim_id"]].reset_index()
        long = model.explain(rows, top=3, lang=lang)
        text = (long["effect"] + " " + long["reason"]).groupby(long["claim_id"]).agg(" ; ".join)
        why = pd.Series(
            text.reindex(top["claim_id"]).to_numpy(), index=top["debtor_id"].to_numpy()
        ).reindex(q["debtor_id"])
        why = pd.Series(why.to_numpy(), dtype="str")
        points = (why + " ; " + points).fillna(points)
    q["talking_points"] = points.astype("str")
    return q[list(QUEUE_COLUMNS)].astype(
        {"rank": "int64", "collector_rank": "int64", "open_claims": "int64",
         "oldest_days_past_due": "int64", "broken_promise": "bool"}
    )  # fmt: skip


def _claims_table(queue: pd.DataFrame, overdue: pd.DataFrame, deb: pd.DataFrame) -> pd.DataFrame:
    keep = overdue[overdue["debtor_id"].isin(queue["debtor_id"]).to_numpy()]
    out = queue[["rank", "collector", "debtor_id"]].merge(keep, on="debtor_id")
    out = out.rename(columns={"callable": "in_call"})
    cols = ["rank", "collector", "debtor_id", "claim_id", "invoice_date", "due_date", "amount",
            "outstanding_eur", "days_past_due", "stage", "p_amicable", "expected_recovery_eur",
            "lift", "in_call", "action", "action_date", "route"]  # fmt: skip
    return out[cols].sort_values(["rank", "claim_id"], kind="stable").reset_index(drop=True)


def _excluded_table(deb: pd.DataFrame, lang: str) -> pd.DataFrame:
    t = _TEXT[lang]
    ex = deb[deb["collector"].isna().to_numpy()].copy()
    ex["reason"] = ex["reason"].astype("str")
    labels = {k: v[0 if lang == "fr" else 1] for k, v in EXCLUSION_REASONS.items()}
    ex["reason_label"] = ex["reason"].map(labels).astype("str")
    r = ex["reason"].to_numpy(dtype=object)
    promise = _fmt_eur(ex["promised_eur_pending"].fillna(0)) + t["on"]
    promise = promise + _fmt_dates(ex["next_promise_date"], lang)
    detail = np.select(
        [
            r == "promise_pending",
            r == "cooled_off",
            r == "too_many_attempts",
            np.isin(r, ["contact_missing", "contact_malformed"]),
            r == "not_worth_a_call",
        ],
        [
            promise.to_numpy(dtype=object),
            (t["last_call"] + _fmt_dates(ex["last_call_date"], lang)).to_numpy(dtype=object),
            (ex["calls_30d"].astype("str") + t["calls_30d"]).to_numpy(dtype=object),
            ex["phone"].fillna("").to_numpy(dtype=object),
            _fmt_eur(ex["net_eur"].fillna(0)).to_numpy(dtype=object),
        ],
        "",
    )
    ex["detail"] = pd.Series(detail, index=ex.index).astype("str")
    ex["_order"] = ex["reason"].map({k: i for i, k in enumerate(EXCLUSION_REASONS)})
    ex = ex.sort_values(
        ["_order", "total_outstanding_eur", "debtor_id"],
        ascending=[True, False, True],
        kind="stable",
    )
    cols = ["debtor_id", "name", "phone", "reason", "reason_label", "detail", "open_claims",
            "total_outstanding_eur", "oldest_days_past_due", "value_per_minute"]  # fmt: skip
    return ex[cols].reset_index(drop=True)


def _lists(deb, cl, actions, as_of, debtors) -> dict[str, pd.DataFrame]:
    info = debtors.drop_duplicates("debtor_id").set_index("debtor_id")
    name = info["name"] if "name" in info else pd.Series(dtype="str")
    email = info["email"] if "email" in info else pd.Series(dtype="str")
    d = cl[cl["open_dispute"].to_numpy(dtype=bool)].copy()
    d["name"] = name.reindex(d["debtor_id"]).to_numpy()
    disputes = d.sort_values(
        ["dispute_age_days", "claim_id"], ascending=[False, True], na_position="last",
        kind="stable",
    )[["debtor_id", "name", "claim_id", "amount", "outstanding_eur", "days_past_due",
       "dispute_opened_date", "dispute_age_days"]].reset_index(drop=True)  # fmt: skip
    routed = ["insolvency", "in_court", "routed_to_court", "routed_to_declaration", "write_off"]
    bad = deb["phone_status"].isin(["missing", "malformed"]) & ~deb["reason"].isin(routed)
    contact = deb[bad.to_numpy()].sort_values(
        ["total_outstanding_eur", "debtor_id"], ascending=[False, True], kind="stable"
    )[["debtor_id", "name", "phone", "phone_status", "email", "debtor_type", "open_claims",
       "total_outstanding_eur", "oldest_days_past_due"]].reset_index(drop=True)  # fmt: skip
    week = as_of + pd.Timedelta(days=6)
    a = actions[actions["action"].isin(LETTER_ACTIONS).to_numpy()
                & (actions["action_date"] <= week).to_numpy()]  # fmt: skip
    g = a.groupby(["debtor_id", "action"], sort=True)
    letters = pd.DataFrame(
        {
            "action_date": g["action_date"].min(),
            "claims": g["claim_id"].agg(", ".join),
            "n_claims": g.size(),
            "total_outstanding_eur": g["outstanding_eur"].sum().round(2),
            "late": g["late"].any(),
        }
    ).reset_index()
    letters["name"] = name.reindex(letters["debtor_id"]).to_numpy()
    letters["email"] = email.reindex(letters["debtor_id"]).astype("str").to_numpy()
    has_mail = letters["email"].str.contains("@", regex=False).fillna(False)
    soft = letters["action"].isin(["courtesy_reminder", "reminder_letter"])
    letters["channel"] = np.select(
        [letters["action"] == "formal_notice", soft & has_mail],
        ["registered_letter", "email"],
        "letter",
    )
    letters = letters.astype({"channel": "str", "name": "str", "action": "str"})
    letters = letters.sort_values(["action_date", "debtor_id", "action"], kind="stable")
    cols = ["debtor_id", "name", "email", "action", "channel", "action_date", "late", "claims",
            "n_claims", "total_outstanding_eur"]  # fmt: skip
    return {"disputes": disputes, "contact_to_check": contact,
            "letters": letters[cols].reset_index(drop=True)}  # fmt: skip


def _summary(queue, names, calls_cap, minutes_cap) -> pd.DataFrame:
    g = queue.groupby("collector")
    out = pd.DataFrame(
        {
            "debtors": g.size(),
            "expected_minutes": g["expected_minutes"].sum(),
            "total_outstanding_eur": g["total_outstanding_eur"].sum(),
            "expected_recovery_eur": g["expected_recovery_eur"].sum(),
            "call_eur": g["call_eur"].sum(),
            "net_eur": g["net_eur"].sum(),
        }
    ).reindex(names)
    out = out.fillna(0.0).astype({"debtors": "int64"})
    out.insert(1, "capacity_calls", np.nan if calls_cap is None else float(calls_cap))
    out.insert(3, "capacity_minutes", np.nan if minutes_cap is None else float(minutes_cap))
    out.index.name = "collector"
    return out.reset_index().astype({"collector": "str"})
