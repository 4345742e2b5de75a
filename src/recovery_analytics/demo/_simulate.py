"""Claims and event histories of the demo portfolio (vectorised simulation).

Private helper of :mod:`recovery_analytics.demo`. Times are integer days
relative to each claim's due date (``t``) or to ``as_of`` (absolute ``day``,
``0`` = as_of, negative = past).

The mechanism is "competing candidates": every claim gets a natural payment
time, and every dunning action scheduled for it may *trigger* a payment at a
later time with a probability that depends on the debtor. The claim is paid at
the earliest candidate. An action scheduled at ``a`` only happens if the claim
is still unpaid at ``a``; because its candidate is always later than ``a``, the
earliest candidate is the same whether or not the later actions are counted, so
no day-by-day loop is needed. Actions that happen are those scheduled before
the payment; they become events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from recovery_analytics.demo._debtors import RESPONDER_SHIFTS, DebtorDraw

__all__: list[str] = []

INF = np.inf
#: order of event types on the same day for the same claim
EVENT_ORDER = (
    "reminder_email",
    "reminder_letter",
    "sms",
    "call_attempt",
    "call_reached",
    "promise_to_pay",
    "visit",
    "formal_notice",
    "dispute_opened",
    "dispute_resolved",
    "credit_note",
    "summons",
    "judgment",
    "enforcement",
    "payment",
    "write_off",
)
_CODE = {t: i for i, t in enumerate(EVENT_ORDER)}
_SEG_MEDIAN = np.array([6000.0, 2200.0, 700.0, 120.0])
_SEG_SIGMA = np.array([1.2, 1.1, 1.0, 1.0])
#: share of payments still made after the publication of each insolvency status
_SURVIVE = np.array([1.0, 0.10, 0.05, 0.02])

# Effect sizes (probability that an action triggers a payment, before the debtor
# trait scales it) -- documented in docs/demo-generator.md.
EFFECTS: dict[str, float] = {
    "reminder": 0.25,  # x responsiveness, per email / letter / SMS
    "no_promise_call": 0.6,  # x responsiveness, a reached call without a promise
    "visit": 0.45,
    "filing": 0.30,
    "judgment": 0.25,
    "enforcement": 0.45,
}


def partial_promise(amount):
    """Probability that a promise covers part of the claim only (rises with the amount)."""
    return np.clip(0.15 + 0.3 * np.log10(np.maximum(amount, 1.0) / 500.0), 0.1, 0.85)


def _sig(x):
    return 1.0 / (1.0 + np.exp(-x))


@dataclass
class Sim:
    """Simulated claims (arrays in final claim order) and events (arrays)."""

    debtor: np.ndarray
    invoice_day: np.ndarray
    due_day: np.ndarray
    amount: np.ndarray
    disputed_now: np.ndarray
    creditor: np.ndarray
    events: dict[str, np.ndarray]
    #: per claim, what the 30-day simulator of the demo world needs (days from as_of)
    latent: dict[str, np.ndarray] = field(default_factory=dict)


class _Events:
    """Accumulates event rows as arrays, filtering on the fly."""

    def __init__(self, due_day: np.ndarray, invoice_day: np.ndarray) -> None:
        self.due, self.inv = due_day, invoice_day
        self.parts: list[tuple[np.ndarray, ...]] = []

    def add(self, kind, mask, t, amount=None, promise_t=None, sub=0) -> None:
        """Add events of ``kind`` at due-relative day ``t`` where ``mask`` holds."""
        idx = np.flatnonzero(mask & np.isfinite(t))
        day = self.due[idx] + t[idx].astype(np.int64)
        keep = (day <= 0) & (day >= self.inv[idx])
        idx, day = idx[keep], day[keep]
        amt = np.full(idx.size, np.nan) if amount is None else amount[idx]
        pday = (
            np.full(idx.size, np.iinfo(np.int64).min)
            if promise_t is None
            else self.due[idx] + promise_t[idx].astype(np.int64)
        )
        sub_a = np.full(idx.size, sub, dtype=np.int64)
        self.parts.append((idx, day, np.full(idx.size, _CODE[kind]), amt, pday, sub_a))

    def arrays(self) -> dict[str, np.ndarray]:
        cols = [np.concatenate(c) for c in zip(*self.parts, strict=True)]
        claim, day, code, amount, pday, sub = cols
        order = np.lexsort((sub, code, claim, day))
        return {
            "claim": claim[order],
            "day": day[order],
            "code": code[order],
            "amount": amount[order],
            "promise_day": pday[order],
        }


def _uint(rng, lo, hi, n):
    """Integer days uniform on [lo, hi] (inclusive), as float for inf arithmetic."""
    return rng.integers(lo, hi + 1, size=n).astype(float)


def _call_round(rng, start, selected, reach, gate, max_attempts=3):
    """Up to ``max_attempts`` dials a few days apart until the debtor answers."""
    n = start.size
    gaps = rng.integers(1, 5, size=(n, max_attempts)).astype(float)
    gaps[:, 0] = 0.0
    days = start[:, None] + np.cumsum(gaps, axis=1)
    for j in range(max_attempts):  # no dial once a dispute is open or an insolvency published
        days[:, j] = np.where(gate(days[:, j]), days[:, j], INF)
    ok = (rng.random((n, max_attempts)) < reach[:, None]) & np.isfinite(days)
    reached = ok.any(axis=1) & selected
    first = np.argmax(ok, axis=1)
    n_att = np.where(reached, first + 1, max_attempts)
    reached_t = np.where(reached, days[np.arange(n), first], INF)
    return days, n_att, reached, reached_t


def simulate(rng: np.random.Generator, deb: DebtorDraw, policy: Any, span_days: int) -> Sim:
    """Draw the claims of every debtor over ``span_days`` and simulate their histories."""
    d = np.repeat(np.arange(deb.n_claims.size), deb.n_claims)
    last = deb.last_invoice[d]
    inv = np.floor(rng.uniform(-span_days, last + 1)).astype(np.int64)
    order = np.lexsort((d, inv))
    d, inv = d[order], inv[order]
    n = d.size

    seg = deb.segment[d]
    b2b = deb.is_b2b[d]
    terms = deb.terms[d]
    due = inv + terms
    median = _SEG_MEDIAN[seg] * deb.amount_mult[d]
    amount = np.round(
        np.clip(median * np.exp(_SEG_SIGMA[seg] * rng.standard_normal(n)), 15.0, 750_000.0), 2
    )
    log_rel = np.log(amount / median)

    # claim-level latent quality: distressed debtors deteriorate after their start day,
    # until the episode ends (those who recover are back to their usual quality)
    worse = np.clip((inv - deb.distress_start[d]) / 365.0, 0.0, 1.5)
    worse = np.where(inv < deb.distress_end[d], worse, 0.0)
    q = deb.quality[d] - 2.0 * np.nan_to_num(worse, nan=0.0)
    nz = deb.noise[d]
    # the customer's habit: its own delay (changing once for some) and its own leaning
    # to let invoices run, visible in its payment history
    habit = deb.habit[d] * np.where(inv >= deb.drift_day[d], deb.drift[d], 1.0)
    typical = (
        np.exp(np.log(7.0) - 0.6 * q + 0.06 * log_rel) * np.where(deb.chronic[d], 3.0, 1.0) * habit
    )
    p_never = _sig(-4.6 - 1.1 * q + 0.15 * log_rel + 0.6 * deb.slow_bias[d])
    p_slow = _sig(-2.4 - 0.8 * q + deb.slow_bias[d])
    phone_ok = deb.phone_status[d] == 0
    # the responder type shifts the natural timing and the response to a call
    # (ordinary, sure_thing, persuadable, lost_cause: see docs/demo-generator.md)
    sh = {k: np.asarray(v)[deb.responder[d]] for k, v in RESPONDER_SHIFTS.items()}
    typical = typical * sh["typical"]
    p_never = _sig(np.log(p_never / (1 - p_never)) + sh["never"])
    p_slow = _sig(np.log(p_slow / (1 - p_slow)) + sh["slow"])
    reach = _sig(np.where(b2b, -0.2, -0.6) + 0.3 * q + 0.5 * nz[:, 0]) * phone_ok
    resp = _sig(-0.9 + 0.5 * q + 0.6 * nz[:, 1] + sh["resp"])
    p_promise = _sig(0.3 + 0.3 * q + 0.5 * nz[:, 1] + sh["promise"])
    keep = _sig(0.9 + 0.8 * q + 0.7 * nz[:, 2] + sh["keep"])
    p_part = partial_promise(amount)
    fn_sens = _sig(-1.0 + 0.4 * q + 0.5 * b2b + 0.7 * nz[:, 3])

    # -- natural payment time (days after due; may be before due, never before invoice)
    t0 = np.floor(typical * np.exp(0.45 * rng.standard_normal(n)) - 6.0)
    slow = rng.random(n) < p_slow  # a long tail: paid months later, without any push
    t0 = np.where(slow, np.floor(np.exp(rng.uniform(np.log(50), np.log(900), n))), t0)
    t0 = np.maximum(t0, -terms)
    cand = {"natural": np.where(rng.random(n) < p_never, INF, t0)}

    # -- gates: dunning only by creditors that run a policy, before a dispute opens,
    # before an insolvency is published
    active = deb.creditor[d] != 4  # creditor 4 keeps a ledger: payments only
    disp_flag = rng.random(n) < 0.07 * deb.dispute_mult[d]
    t_disp = np.where(disp_flag, _uint(rng, -10, 35, n), INF)
    t_disp = np.maximum(t_disp, -terms + 2)
    t_ins = deb.insolvency_day[d] - due  # due-relative, inf if none

    def gate(a):
        return active & (a < t_disp) & (a < t_ins)

    def trigger(a, p, delay):
        return np.where(gate(a) & (rng.random(n) < p), a + delay, INF)

    a_email = np.where(deb.has_email[d], float(policy.email_day), INF)
    a_letter = np.full(n, float(policy.letter_day))
    a_sms = np.where(deb.mobile[d] & phone_ok & ~b2b, float(policy.sms_day), INF)
    a_last = np.full(n, float(policy.last_letter_day))
    p_rem = EFFECTS["reminder"] * resp
    for name, a in (("email", a_email), ("letter", a_letter), ("sms", a_sms), ("last", a_last)):
        cand[name] = trigger(a, p_rem, 1 + np.floor(rng.exponential(4.0, n)))

    # -- calls: capacity means only a share of the overdue claims are called
    p_sel = policy.call_share * np.clip(np.exp(0.25 * np.log(amount / 1000.0)), 0.5, 1.8)
    callable_ = deb.phone_status[d] != 1
    rounds = []
    pending_until = np.full(n, -INF)
    # two rounds on young claims, then a review round at a random older age: the logging
    # policy is randomized (a known share of the claims, by amount), so every age is seen
    # both called and not called
    review = (policy.review_call_from, policy.review_call_to - policy.review_call_from)
    share = policy.review_call_share * np.clip(np.exp(0.25 * np.log(amount / 1000.0)), 0.5, 1.8)
    for k, (day0, width, p_k) in enumerate(
        ((policy.call_day, policy.call_window, p_sel),
         (policy.second_call_day, policy.call_window, p_sel), (*review, share), (*review, share))
    ):  # fmt: skip
        start = _uint(rng, day0, day0 + width, n)
        sel = callable_ & (rng.random(n) < np.minimum(p_k, 0.95)) & gate(start)
        sel &= pending_until < start
        days, n_att, reached, r_t = _call_round(rng, start, sel, reach, gate)
        promise = reached & (rng.random(n) < p_promise)
        p_t = r_t + _uint(rng, 3, 21, n)
        # the larger the claim, the likelier a promise of a part only (what one can pay)
        frac = np.where(rng.random(n) < p_part, np.round(rng.uniform(0.2, 0.6, n), 2), 1.0)
        kept = promise & (rng.random(n) < keep)
        jitter = rng.choice([-1.0, 0.0, 1.0, 2.0], size=n, p=[0.1, 0.6, 0.15, 0.15])
        c_kept = np.where(kept, np.maximum(p_t + jitter, r_t + 1), INF)
        c_talk = np.where(
            reached & ~promise & (rng.random(n) < EFFECTS["no_promise_call"] * resp),
            r_t + 1 + np.floor(rng.exponential(6.0, n)),
            INF,
        )
        cand[f"promise{k}"] = c_kept
        cand[f"call{k}"] = c_talk
        pending_until = np.where(promise, p_t, pending_until)
        rounds.append((sel, days, n_att, reached, r_t, promise, p_t, frac))

    a_visit = np.where(b2b & (amount >= 5000) & (rng.random(n) < 0.05), _uint(rng, 50, 80, n), INF)
    cand["visit"] = trigger(a_visit, EFFECTS["visit"], _uint(rng, 1, 15, n))
    a_fn = _uint(rng, policy.formal_notice_day, policy.formal_notice_day + 15, n)
    a_fn = np.where(rounds[0][5] & (rounds[0][6] >= a_fn), rounds[0][6] + 5, a_fn)
    a_fn = np.where((amount >= policy.formal_notice_min_eur) & (rng.random(n) < 0.9), a_fn, INF)
    cand["formal_notice"] = trigger(a_fn, fn_sens, _uint(rng, 3, 14, n))

    big = (amount >= policy.judicial_min_eur) & (rng.random(n) < policy.judicial_share)
    a_jf = np.where(big, _uint(rng, policy.judicial_day, policy.judicial_day + 120, n), INF)
    a_jf = np.where(gate(a_jf), a_jf, INF)
    a_jg = np.where(rng.random(n) < 0.85, a_jf + _uint(rng, 20, 120, n), INF)
    a_en = np.where(rng.random(n) < 0.6, a_jg + _uint(rng, 30, 120, n), INF)
    for name, a in (("filing", a_jf), ("judgment", a_jg), ("enforcement", a_en)):
        cand[name] = np.where(rng.random(n) < EFFECTS[name], a + _uint(rng, 10, 60, n), INF)

    # -- insolvency: after the publication, payments mostly stop
    cancel = rng.random(n) >= _SURVIVE[deb.insolvency_code[d]]
    names = list(cand)
    mat = np.column_stack([cand[k] for k in names])
    mat = np.where(cancel[:, None] & (mat > t_ins[:, None]), INF, mat)
    win = np.argmin(mat, axis=1)
    t_pay = mat[np.arange(n), win]

    # -- disputes: opened if unpaid at t_disp, resolved later, often with a credit note
    disputed = disp_flag & (t_pay > t_disp)
    t_res = t_disp + np.ceil(np.exp(np.log(40.0) + 0.7 * rng.standard_normal(n)))
    credit_frac = np.where(rng.random(n) < 0.25, 1.0, rng.uniform(0.05, 0.5, n))
    credit_frac = np.where(rng.random(n) < 0.55, credit_frac, 0.0)
    c_post = np.where(rng.random(n) < 0.8, t_res + 1 + np.floor(rng.exponential(12.0, n)), INF)
    c_post = np.where(cancel & (c_post > t_ins), INF, c_post)
    t_pay = np.where(disputed, np.where(credit_frac < 1.0, c_post, INF), t_pay)
    win = np.where(disputed, -1, win)

    # -- commercial credit notes outside disputes (returns, gestures)
    cn_flag = ~disp_flag & (rng.random(n) < 0.015)
    t_cn = np.where(cn_flag, np.floor(rng.uniform(-terms + 1, 21)), INF)
    cn_frac = np.where(disputed, credit_frac, np.where(t_cn < t_pay, rng.uniform(0.05, 0.3, n), 0))
    t_credit = np.where(disputed, t_res, np.where(cn_frac > 0, t_cn, INF))
    credit = np.round(amount * cn_frac, 2)
    net = np.round(amount - credit, 2)

    # -- payment plans: instalments about a month apart, the plan may stop
    promise_win = np.zeros(n, dtype=bool)
    first_frac = np.ones(n)
    for k, rnd in enumerate(rounds):
        w = win == names.index(f"promise{k}")
        promise_win |= w & (rnd[7] < 1.0)
        first_frac = np.where(w & (rnd[7] < 1.0), rnd[7], first_frac)
    plan = rng.random(n) < 0.02 + 0.06 * (amount > 2000) + 0.03 * ~b2b
    n_inst = np.where(plan | promise_win, rng.integers(2, 5, size=n), 1)
    first_frac = np.where(promise_win, first_frac, 1.0 / n_inst)
    goes_on = np.cumprod(rng.random((n, 3)) < 0.85, axis=1).astype(bool)
    # instalment k at t_pay + ~30 k, while the plan goes on (and not cut by an insolvency)
    t_inst = (
        t_pay[:, None]
        + 30.0 * np.arange(4)
        + np.column_stack([np.zeros(n), *(_uint(rng, -3, 4, n) for _ in range(3))])
    )
    paid_k = np.isfinite(t_pay)[:, None] & (net > 0)[:, None] & (np.arange(4) < n_inst[:, None])
    paid_k[:, 1:] &= goes_on & ~(cancel[:, None] & (t_inst[:, 1:] > t_ins[:, None]))
    last_k = np.minimum(n_inst - 1, 3)
    t_done = np.where(paid_k[np.arange(n), last_k], t_inst[np.arange(n), last_k], INF)

    # -- write-offs of small old claims, of claims of liquidated debtors; and the book is
    # closed: B2C claims at prescription (2 years), B2B files returned as irrecoverable
    # after `close_day`, so that no claim stays open forever
    # small claims: each file is looked at when someone gets to it (a policy with
    # randomness: the threshold and the age vary from file to file)
    small = net < policy.write_off_max_eur * np.exp(0.5 * rng.standard_normal(n))
    wo_age = np.clip(policy.write_off_day * np.exp(0.45 * rng.standard_normal(n)), 120, 900)
    wo = np.where(small & (rng.random(n) < 0.7), np.floor(wo_age), INF)
    wo = np.minimum(wo, np.where(~b2b, _uint(rng, 700, 760, n), INF))
    wo = np.minimum(wo, np.where(b2b, _uint(rng, policy.close_day, policy.close_day + 180, n), INF))
    liq = deb.insolvency_code[d] == 3
    wo = np.minimum(wo, np.where(liq & (rng.random(n) < 0.6), t_ins + _uint(rng, 60, 365, n), INF))
    wo = np.where(disputed, np.maximum(wo, t_res + 1), wo)  # not while a dispute is open
    wo = np.where((t_done > wo) & (net > 0), wo, INF)  # only what is not paid by then
    paid_k &= t_inst < wo[:, None]
    t_pay = np.where(t_pay > wo, INF, t_pay)

    ev = _Events(due, inv)
    # dunning events (only those before the payment, before a dispute and insolvency)
    for kind, a in (
        ("reminder_email", a_email),
        ("reminder_letter", a_letter),
        ("sms", a_sms),
        ("reminder_letter", a_last),
    ):
        ev.add(kind, gate(a) & (a < t_pay) & (a < wo), a)
    for sel, days, n_att, reached, r_t, promise, p_t, frac in rounds:
        for j in range(days.shape[1]):
            a = days[:, j]
            live = sel & (j < n_att) & (a < t_pay) & (a < wo)
            is_reached = reached & (j == n_att - 1)
            ev.add("call_attempt", live & ~is_reached, a, sub=j)
            ev.add("call_reached", live & is_reached, a, sub=j)
        p_amt = np.round(np.round(amount - np.where(t_credit <= r_t, credit, 0.0), 2) * frac, 2)
        ev.add("promise_to_pay", promise & (r_t < t_pay) & (r_t < wo), r_t, p_amt, p_t)
    ev.add("visit", gate(a_visit) & (a_visit < t_pay), a_visit)
    ev.add("formal_notice", gate(a_fn) & (a_fn < t_pay) & (a_fn < wo), a_fn)
    for kind, a in (("summons", a_jf), ("judgment", a_jg), ("enforcement", a_en)):
        ev.add(kind, (a < t_pay) & (a < wo) & (a < t_ins), a)  # suspended by an insolvency
    ev.add("dispute_opened", disputed, t_disp)
    ev.add("dispute_resolved", disputed & (t_res < wo), t_res)
    ev.add("credit_note", (cn_frac > 0) & (t_credit < wo), t_credit, credit)
    # payments: cumulative shares of the instalments rounded to the cent
    prev = np.zeros(n)
    plan30 = np.zeros(n)  # instalments of a plan begun by as_of that fall in days 1-30
    for k in range(4):
        cum_share = np.minimum(first_frac + (1 - first_frac) * k / np.maximum(n_inst - 1, 1), 1)
        cum = np.where(k >= n_inst - 1, net, np.round(net * cum_share, 2))
        ev.add("payment", paid_k[:, k], t_inst[:, k], np.round(cum - prev, 2), sub=k)
        day_k = due + t_inst[:, k]
        plan30 += np.where(paid_k[:, k] & (due + t_pay <= 0) & (day_k > 0) & (day_k <= 30),
                           np.round(cum - prev, 2), 0.0)  # fmt: skip
        prev = cum
    ev.add("write_off", np.isfinite(wo), wo)

    open_disp = disputed & (due + t_disp <= 0) & (due + t_res > 0)
    # what the next 30 days hold without any call from as_of on (calls reached after as_of
    # removed from the candidates), and the traits a call today acts through
    base = mat.copy()
    for k, rnd in enumerate(rounds):
        for col in (names.index(f"promise{k}"), names.index(f"call{k}")):
            base[:, col] = np.where(due + rnd[4] > 0, INF, base[:, col])
    base_t = np.where(disputed, t_pay, base.min(axis=1))
    latent = {
        "base_day": due + np.where(base_t > wo, INF, base_t),
        "writeoff_day": due + wo,
        "cancel_day": np.where(cancel, due + t_ins, INF),
        "plan30": plan30,
        "reach": reach,
        "p_promise": p_promise,
        "keep": keep,
        "talk": EFFECTS["no_promise_call"] * resp,
        "p_partial": p_part,
        "dispute_day": np.where(disputed, due + t_disp, INF),
    }
    return Sim(
        debtor=d,
        invoice_day=inv,
        due_day=due,
        amount=amount,
        disputed_now=open_disp,
        creditor=deb.creditor[d],
        events=ev.arrays(),
        latent=latent,
    )


def export_window(sim: Sim, start_day: int) -> tuple[Sim, np.ndarray]:
    """What an export of the window ``[start_day, 0]`` holds.

    The claims invoiced in the window, with their events; and the claims invoiced
    earlier that are still open at ``start_day`` (the book carried over), with
    their events from ``start_day`` on and, as amount, their balance at that day
    (earlier payments and credit notes deducted, as an open-item migration
    does). Claims closed before the window are not exported. Returns the
    exported simulation and the indices of the kept claims.
    """
    e = sim.events
    n = sim.debtor.size
    before = e["day"] < start_day
    money = before & np.isin(e["code"], [_CODE["payment"], _CODE["credit_note"]])
    paid_before = np.bincount(e["claim"][money], weights=e["amount"][money], minlength=n)
    written = np.zeros(n, dtype=bool)
    written[e["claim"][before & (e["code"] == _CODE["write_off"])]] = True
    balance = np.round(sim.amount - paid_before, 2)
    old = sim.invoice_day < start_day
    keep = ~old | (~written & (balance >= 0.01))
    idx = np.flatnonzero(keep)
    new_pos = np.cumsum(keep) - 1
    ev_keep = keep[e["claim"]] & ~before
    events = {k: v[ev_keep] for k, v in e.items()}
    events["claim"] = new_pos[events["claim"]]
    amount = np.where(old, balance, sim.amount)[idx]
    out = Sim(
        debtor=sim.debtor[idx],
        invoice_day=sim.invoice_day[idx],
        due_day=sim.due_day[idx],
        amount=amount,
        disputed_now=sim.disputed_now[idx],
        creditor=sim.creditor[idx],
        events=events,
        latent={k: v[idx] for k, v in sim.latent.items()},
    )
    return out, idx
