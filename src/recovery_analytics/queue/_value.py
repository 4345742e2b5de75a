"""The value of a call: the uplift of a reached call seen in the history, and its net euros.

:func:`estimate_call_uplift` compares, week by week over the year before
``as_of``, the share of the outstanding paid within 30 days after a reached
call with the share paid by uncalled claims of the same age, and shrinks the
ratio (the *lift*) towards a prior. :func:`call_value` turns the model's
expected recovery, the lift and a debtor's reach rate into the expected euros
of a call net of its cost, per minute of collector time: the call queue's
ranking key. Method and limits: ``docs/call-queue.md`` section 3.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from recovery_analytics.portfolio import COURT_EVENT_TYPES, Portfolio
from recovery_analytics.queue._phones import check_french_phone

__all__ = ["AGE_BUCKETS", "call_value", "estimate_call_uplift"]

#: Upper bounds (days past due) of the age buckets of the call uplift.
AGE_BUCKETS: tuple[tuple[str, int], ...] = (
    ("1-30", 30),
    ("31-60", 60),
    ("61-90", 90),
    ("91-180", 180),
    ("181-365", 365),
    ("365+", 10**9),
)
_CALL_TYPES = ("call_attempt", "call_reached")
_FAR = 10**9  # a day number later than any date


def _age_bucket(days: np.ndarray) -> np.ndarray:
    edges = np.array([b for _, b in AGE_BUCKETS])
    idx = np.searchsorted(edges, np.asarray(days), side="left")
    return np.asarray([n for n, _ in AGE_BUCKETS], dtype=object)[np.minimum(idx, len(edges) - 1)]


def _day(values: Any) -> np.ndarray:
    """Dates as integer days since 1970 (NaT -> a very large number)."""
    d = pd.to_datetime(pd.Series(values)).to_numpy(dtype="datetime64[D]")
    out = d.astype("int64")
    out[np.isnat(d)] = _FAR
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
        out = np.full(n, _FAR, dtype="int64")
        codes, first = np.unique(self.key // self._SHIFT, return_index=True)
        out[codes] = self.day[first]
        return out

    def settled_day(self, amount: np.ndarray) -> np.ndarray:
        """First day each claim's running sum covers ``amount`` (within 1 cent)."""
        codes = self.key // self._SHIFT
        start = np.searchsorted(self.key, codes * self._SHIFT - 1, side="right")
        within = self.cum[1:] - self.cum[start]
        hit = within >= amount[codes] - 0.01
        out = np.full(len(amount), _FAR, dtype="int64")
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
    h = _History(portfolio, as_of, a)
    every = max(int(every_days), 1)
    last = a - int(window_days) - 7
    dates = np.arange(last, a - int(lookback_days) - 1, -every)[::-1]
    parts = [h.cases(d, int(window_days), max_cases_per_date) for d in dates]
    cases = pd.concat([_NO_CASES, *parts], ignore_index=True)
    out = _lift_table(cases.astype(_NO_CASES.dtypes.to_dict()), prior_lift, prior_weight, max_lift)
    recent = (h.eday > a - int(lookback_days)) & np.isin(h.etype, _CALL_TYPES)
    n_dials = int(recent.sum())
    n_reached = int((recent & (h.etype == "call_reached")).sum())
    out["reach_rate"] = (n_reached + 20.0 * prior_reach) / (n_dials + 20.0)
    return out


_NO_CASES = pd.DataFrame(
    {
        "bucket": pd.Series([], dtype="str"),
        "called": pd.Series([], dtype="bool"),
        "share": pd.Series([], dtype="float64"),
    }
)


class _History:
    """Events dated on or before as_of, indexed by claim for the uplift's reference dates."""

    def __init__(self, portfolio: Portfolio, as_of: pd.Timestamp, a: int):
        claims = portfolio.claims.sort_values("claim_id", kind="stable").reset_index(drop=True)
        ev = portfolio.events
        ev = ev[(ev["date"] <= as_of).to_numpy()]
        code = pd.Index(claims["claim_id"]).get_indexer(ev["claim_id"])
        ev, code = ev[code >= 0], code[code >= 0]
        self.eday, self.etype = _day(ev["date"]), ev["type"].to_numpy(dtype=object)
        amount = ev["amount"].to_numpy(dtype="float64", na_value=np.nan)
        base = a - 40_000

        def track(*types: str) -> _Track:
            m = np.isin(self.etype, types)
            return _Track(code[m], self.eday[m], amount[m], base)

        self.money, self.cash = track("payment", "credit_note"), track("payment")
        self.reached, self.dial = track("call_reached"), track(*_CALL_TYPES)
        self.blocked = track("write_off", *COURT_EVENT_TYPES)
        self.due, self.inv = _day(claims["due_date"]), _day(claims["invoice_date"])
        self.amt = claims["amount"].to_numpy(dtype="float64")
        deb = portfolio.debtors.drop_duplicates("debtor_id").reset_index(drop=True)
        pos = pd.Index(deb["debtor_id"]).get_indexer(claims["debtor_id"])  # -1: unknown debtor
        self.ins_day = np.full(len(claims), _FAR)
        if "insolvency_date" in deb:
            self.ins_day = np.append(_day(deb["insolvency_date"].to_numpy()), _FAR)[pos]
        phone_ok = np.ones(len(claims), dtype=bool)
        if "phone" in deb:
            status = check_french_phone(deb["phone"])["phone_status"].isin(["ok", "foreign"])
            phone_ok = np.append(status.to_numpy(dtype=bool), False)[pos]
        end = np.minimum(self.money.settled_day(self.amt), self.blocked.first_day(len(claims)))
        self.end = np.where(phone_ok, end, -_FAR)  # only claims whose debtor could be called

    def cases(self, d: int, window: int, max_cases: int) -> pd.DataFrame:
        """Called and uncalled cases of the week starting on day ``d``: bucket, called, share."""
        amt, money = self.amt, self.money
        cand = np.flatnonzero(
            (self.inv <= d) & (self.due < d) & (self.ins_day > d) & (self.end > d)
        )
        if len(cand) > max_cases:  # an even, deterministic subsample (by claim_id)
            cand = cand[np.linspace(0, len(cand) - 1, max_cases).astype("int64")]
        dd = np.full(len(cand), d)
        out_d = amt[cand] - money.total(cand, dd)
        live = (out_d > 0.01) & (self.blocked.total(cand, dd) == 0)
        cand, out_d, dd = cand[live], out_d[live], dd[live]
        t = self.reached.first_in(cand, dd, dd + 7)
        called = t >= 0
        uncalled = self.dial.first_in(cand, dd, dd + 7) < 0
        start = np.where(called, t, d)
        out_t = np.where(called, amt[cand] - money.total(cand, start - 1), out_d)
        paid = self.cash.total(cand, start + window) - self.cash.total(cand, start)
        share = np.clip(paid / np.maximum(out_t, 0.01), 0.0, 1.0)
        keep = (called | uncalled) & (out_t > 0.01)
        return pd.DataFrame(
            {"bucket": _age_bucket(d - self.due[cand][keep]), "called": called[keep],
             "share": share[keep]}
        )  # fmt: skip


def _lift_table(
    cases: pd.DataFrame, prior_lift: float, prior_weight: float, max_lift: float
) -> pd.DataFrame:
    """Per age bucket and all ages: counts, mean shares, raw and shrunk lifts."""
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
    return out.astype({"age_bucket": "str", "n_called": "int64", "n_uncalled": "int64"})


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
        ``debtor_id, outstanding_eur, expected_recovery_eur, lift``; or with
        ``effect_eur``, the incremental euros of a dial learned from the
        history (:func:`estimate_call_effects`, the reach rate inside it):
        then ``call_eur`` is their sum, clipped to ``[0, outstanding]`` claim
        by claim, and neither the lift, the reach rate nor the boost applies.
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
    learned = "effect_eur" in claims
    if learned:  # incremental euros of a dial learned from the history (reach inside)
        extra = np.clip(claims["effect_eur"].to_numpy(dtype="float64"), 0.0, o)
    else:
        e = np.minimum(claims["expected_recovery_eur"].to_numpy(dtype="float64"), o)
        lift = claims["lift"].to_numpy(dtype="float64")
        extra = np.clip(np.minimum((lift - 1.0) * e, o - e), 0.0, None)
    d = debtors.sort_values("debtor_id", kind="stable").reset_index(drop=True)
    summed = pd.Series(extra, index=claims["debtor_id"].to_numpy()).groupby(level=0).sum()
    gain = summed.reindex(d["debtor_id"].to_numpy()).fillna(0.0).to_numpy()
    r = d["reach_rate"].to_numpy(dtype="float64")
    boost = np.where(d["broken_promise"].to_numpy(dtype=bool), broken_promise_boost, 1.0)
    call_eur = gain if learned else r * gain * boost
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
