"""A demo world whose truth is known: the next 30 days of any list of calls made today.

:func:`demo_world` generates the demo portfolio (exactly :func:`generate_demo`'s
tables) and keeps, for every claim open at ``as_of``, what its simulation holds
for the days after it: when it would be paid if nobody called (the rest of the
dunning policy goes on, the logging policy's future calls are removed), the
instalments of a running plan, and the traits a call acts through (reach,
promise, keeping it, responsiveness). :func:`simulate_calls` plays the next 30
days for a list of debtors called today, with **common random numbers**: the
same draws for every list, so two lists are compared without simulation noise.
:func:`true_call_effects` gives every debtor's expected incremental euros of a
call today: the oracle a queue is measured against. Method:
``docs/demo-generator.md`` (section "Responder types and the 30-day simulator").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from recovery_analytics.demo._debtors import RESPONDER_TYPES
from recovery_analytics.demo._generate import DunningPolicy, _build
from recovery_analytics.portfolio import Portfolio

__all__ = ["DemoWorld", "demo_world", "simulate_calls", "true_call_effects"]

#: Days simulated after as_of.
WINDOW_DAYS = 30


@dataclass
class DemoWorld:
    """A demo portfolio and the hidden state of its open claims at ``as_of``.

    Attributes
    ----------
    portfolio : Portfolio
        The tables :func:`generate_demo` gives for the same arguments.
    as_of : pandas.Timestamp
    claims : pandas.DataFrame
        One row per claim open at ``as_of`` (outstanding > 1 cent, not written
        off), sorted by ``claim_id``: ``claim_id, debtor_id, outstanding_eur,
        base_day`` (day after as_of of its payment if nobody calls; inf: not
        in sight) ``, plan30_eur`` (instalments of a running plan due in the
        window) ``, writeoff_day, cancel_day, dispute_day, reach, p_promise,
        keep, talk, p_partial`` (hidden traits; days counted from as_of).
    debtors : pandas.DataFrame
        ``debtor_id, responder`` (one of ``ordinary``, ``sure_thing``,
        ``persuadable``, ``lost_cause``) ``, reach`` (probability that a call
        from the queue -- up to 3 dials a few days apart -- reaches it) for
        every debtor with an open claim.
    seed : int
        The seed of the common random numbers of :func:`simulate_calls`.
    """

    portfolio: Portfolio
    as_of: pd.Timestamp
    claims: pd.DataFrame
    debtors: pd.DataFrame
    seed: int


def demo_world(
    n_debtors: int = 2000,
    *,
    seed: int = 0,
    as_of: str | date = "2026-06-30",
    history_days: int = 900,
    policy: DunningPolicy | None = None,
) -> DemoWorld:
    """Generate a demo portfolio and keep the hidden state a 30-day simulation needs.

    Parameters are those of :func:`generate_demo` (same tables for the same
    arguments).

    Examples
    --------
    >>> w = demo_world(100, seed=3)
    >>> bool((w.claims["outstanding_eur"] > 0).all()), w.portfolio.source
    (True, 'demo(seed=3)')
    """
    p, sim, deb = _build(n_debtors, seed, as_of, history_days, policy or DunningPolicy())
    ev = p.events
    money = ev[ev["type"].isin(["payment", "credit_note"]).to_numpy()]
    paid = money.groupby("claim_id")["amount"].sum()
    written = set(ev.loc[(ev["type"] == "write_off").to_numpy(), "claim_id"])
    out = p.claims["amount"].to_numpy() - paid.reindex(p.claims["claim_id"]).fillna(0).to_numpy()
    lat = {k: np.asarray(v, dtype="float64") for k, v in sim.latent.items()}
    frame = pd.DataFrame(
        {
            "claim_id": p.claims["claim_id"],
            "debtor_id": p.claims["debtor_id"],
            "outstanding_eur": np.round(out, 2),
            "days_past_due": (pd.Timestamp(as_of) - p.claims["due_date"]).dt.days.to_numpy(),
            "base_day": lat["base_day"],
            "plan30_eur": np.minimum(lat["plan30"], np.maximum(out, 0)),
            "writeoff_day": lat["writeoff_day"],
            "cancel_day": lat["cancel_day"],
            "dispute_day": lat["dispute_day"],
            "reach": lat["reach"],
            "p_promise": lat["p_promise"],
            "keep": lat["keep"],
            "talk": lat["talk"],
            "p_partial": lat["p_partial"],
        }
    )
    is_open = (frame["outstanding_eur"] > 0.01) & ~frame["claim_id"].isin(written)
    frame = frame[is_open.to_numpy()].sort_values("claim_id").reset_index(drop=True)
    resp = pd.Series(
        np.asarray(RESPONDER_TYPES, dtype=object)[deb.responder], index=p.debtors["debtor_id"]
    )
    g = frame.groupby("debtor_id", sort=True)
    # a debtor put in the queue is dialled up to 3 times a few days apart until it
    # answers (as the logging policy's rounds do): reached with 1 - (1 - r)^3
    debtors = pd.DataFrame({"reach": 1.0 - (1.0 - g["reach"].mean()) ** 3})
    debtors.insert(0, "responder", resp.reindex(debtors.index).astype("str"))
    debtors = debtors.reset_index().astype({"debtor_id": "str"})
    return DemoWorld(p, pd.Timestamp(as_of).normalize(), frame, debtors, int(seed))


def _draws(world: DemoWorld, replicates: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Common random numbers: per replicate, euros without a call and with a reached call,
    claim by claim, and whether each debtor answers (same draws for every list)."""
    c = world.claims
    n, r = len(c), int(replicates)
    rng = np.random.default_rng([world.seed, 20261130])
    u = rng.random((6, r, n))
    answer = rng.random((r, len(world.debtors)))
    o = c["outstanding_eur"].to_numpy()
    base_day = c["base_day"].to_numpy()
    base = np.where((base_day > 0) & (base_day <= WINDOW_DAYS), o, 0.0)
    base = np.maximum(base, c["plan30_eur"].to_numpy())[None, :]
    promise = u[0] < c["p_promise"].to_numpy()
    kept = promise & (u[1] < c["keep"].to_numpy())
    day_kept = 3.0 + np.floor(21.0 * u[2])  # the promised date, +-1-2 days
    talk = ~promise & (u[3] < c["talk"].to_numpy())
    day_talk = 1.0 + np.floor(-6.0 * np.log1p(-u[4]))
    day = np.where(kept, day_kept, np.where(talk, day_talk, np.inf))
    part = c["p_partial"].to_numpy()  # a promise of a part only, likelier on large claims
    frac = np.where(kept & (u[5] < part), 0.2 + 0.4 * u[5] / np.maximum(part, 1e-9), 1.0)
    blocked = (day >= c["writeoff_day"].to_numpy()) | (day >= c["cancel_day"].to_numpy())
    blocked |= c["dispute_day"].to_numpy() <= 0  # an open dispute: no payment before it ends
    blocked |= c["days_past_due"].to_numpy() <= 0  # the call is about overdue claims only
    called = np.where((day <= WINDOW_DAYS) & ~blocked, np.maximum(base, o * frac), base)
    return base, called, answer


def _by_debtor(world: DemoWorld, values: np.ndarray) -> np.ndarray:
    """Sum claim columns of ``values`` (replicates x claims) by debtor (replicates x debtors)."""
    code = pd.Index(world.debtors["debtor_id"]).get_indexer(world.claims["debtor_id"])
    out = np.zeros((values.shape[0], len(world.debtors)))
    np.add.at(out.T, code, values.T)
    return out


def true_call_effects(world: DemoWorld, *, replicates: int = 400) -> pd.DataFrame:
    """Every debtor's expected euros in 30 days without a call, and the increment of a call.

    A call is dialled today; it reaches the debtor with its hidden reach
    rate, and a reached call acts on all its overdue claims (not on the
    invoices not yet due). Averages over
    ``replicates`` common random draws.

    Returns
    -------
    pandas.DataFrame
        ``debtor_id, responder, reach, baseline_eur, incremental_eur``
        (expected, a call's reach included), sorted by ``debtor_id``.

    Examples
    --------
    >>> t = true_call_effects(demo_world(100, seed=3), replicates=50)
    >>> bool((t["incremental_eur"] >= 0).all())
    True
    """
    base, called, answer = _draws(world, replicates)
    reach = world.debtors["reach"].to_numpy()
    inc = _by_debtor(world, called - base) * (answer < reach)
    out = world.debtors.copy()
    out["baseline_eur"] = _by_debtor(world, base).mean(axis=0)
    out["incremental_eur"] = inc.mean(axis=0)
    return out


def simulate_calls(
    world: DemoWorld, called: Iterable[str], *, replicates: int = 400
) -> dict[str, float]:
    """Euros collected in the 30 days after ``as_of`` when ``called`` debtors are dialled today.

    Every list is played on the same random draws (common random numbers): the
    difference between two lists is the difference of their debtors' effects,
    without simulation noise. Debtors not in the world (no open claim) add nothing.

    Returns
    -------
    dict
        ``collected_eur`` (expected euros of every open claim in the window),
        ``baseline_eur`` (calling nobody), ``incremental_eur`` (the
        difference), ``incremental_sd`` (its spread over the replicates),
        ``calls`` (debtors dialled).

    Examples
    --------
    >>> w = demo_world(100, seed=3)
    >>> r = simulate_calls(w, w.debtors["debtor_id"][:5], replicates=50)
    >>> bool(r["collected_eur"] >= r["baseline_eur"])
    True
    """
    ids = pd.Index(world.debtors["debtor_id"])
    pick = np.zeros(len(ids), dtype=bool)
    pos = ids.get_indexer(pd.Index([str(x) for x in called]))
    pick[pos[pos >= 0]] = True
    base, called_eur, answer = _draws(world, replicates)
    reach = world.debtors["reach"].to_numpy()
    inc = (_by_debtor(world, called_eur - base) * ((answer < reach) & pick)).sum(axis=1)
    baseline = float(base.sum(axis=1).mean())
    return {
        "collected_eur": baseline + float(inc.mean()),
        "baseline_eur": baseline,
        "incremental_eur": float(inc.mean()),
        "incremental_sd": float(inc.std()),
        "calls": int(pick.sum()),
    }
