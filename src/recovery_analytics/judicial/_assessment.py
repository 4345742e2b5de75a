"""Judicial economics: the expected net value of each French recovery plan per claim.

For every open claim of a claim state (``docs/state-contract.md``),
:func:`judicial_assessment` prices the court routes (injonction de payer,
procédure simplifiée, référé-provision, action au fond) and the comparators
(continue amicably, mise en demeure, agency, declare the claim in an
insolvency, enforce a title, write off) as plans (``_plans``), applies the legal
guards of ``_legal`` and recommends the first step of the best plan; a court
route must beat continuing amicably by ``general.minimum_margin_eur``.

Every figure comes from the cost schedule (:func:`~recovery_analytics.judicial.load_schedule`);
the method and the defaults are in ``docs/judicial.md``. Court routes are
priced per dossier = (creditor, debtor): one filing covers all the debtor's
claims eligible for the route, and the dossier's costs are shared pro rata to
the outstanding amounts.

The pricing engine is in ``_routes``; the break-even amounts and the
sensitivity analysis in ``_sensitivity``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from recovery_analytics.judicial._legal import _as_of
from recovery_analytics.judicial._notes import _take, describe_flags
from recovery_analytics.judicial._plans import _decide, _evaluate, _plans_text
from recovery_analytics.judicial._routes import COURT_ROUTES, ROUTES, SIGNALS, _prepare
from recovery_analytics.judicial._schedule import CostSchedule, load_schedule

__all__ = [
    "judicial_assessment",
]


def judicial_assessment(
    state: pd.DataFrame, schedule: CostSchedule | None = None, *, as_of: Any = None
) -> pd.DataFrame:
    """Expected net value of every route, the recommended route and the legal guards.

    Parameters
    ----------
    state : DataFrame
        Claim state (``docs/state-contract.md``): at least ``claim_id,
        debtor_id, debtor_type, invoice_date, due_date`` and ``outstanding_eur``
        (or ``amount``); optionally ``p_amicable`` and ``expected_recovery_eur``
        from the amicable model (else a prior by days past due, see the
        schedule's ``prior``), and the event columns the guards use.
    schedule : CostSchedule, optional
        Defaults to the shipped schedule.
    as_of : date, optional
        Defaults to the state's ``as_of`` column.

    Returns
    -------
    DataFrame
        One row per open claim, sorted by ``claim_id``: ``claim_id, debtor_id,
        as_of, debtor_type, outstanding_eur, p_amicable_used, solvency_signal``,
        ``net_<route>_eur`` and ``cost_<route>_eur`` for each of :data:`ROUTES`
        (net is NaN where the route is not allowed; cost = what the route costs
        the creditor if it runs to full recovery; a route's net is the value of
        the plan it starts, see ``docs/judicial.md``), ``recommended_route``
        (the plan's next step), ``plan`` (its steps, route codes joined by
        " > ", a court step's fallback in brackets), ``next_step_date``,
        ``plan_p_title`` (chance of a title over the plan, NaN without a court
        step), ``plan_expected_net_eur``, ``judicial_route`` (best allowed court
        route, NA if none), ``judicial_cost_eur, judicial_expected_net_eur,
        amicable_expected_net_eur, expected_gain_eur`` (recommended minus
        continuing amicably, or minus writing off when that is not allowed),
        ``legal_flags, legal_notes`` (French), ``prescription_date,
        days_to_prescription, declaration_deadline`` (« au plus tard »),
        ``relief_deadline`` (relevé de forclusion, L622-26), ``title_date``.

    Examples
    --------
    >>> st = pd.DataFrame({"claim_id": ["c1"], "debtor_id": ["d1"], "debtor_type": ["B2B"],
    ...     "invoice_date": [pd.Timestamp("2026-01-02")], "due_date": [pd.Timestamp("2026-02-01")],
    ...     "outstanding_eur": [4000.0], "n_payments": [1]})
    >>> out = judicial_assessment(st, as_of="2026-06-01")
    >>> out.loc[0, "recommended_route"], out.loc[0, "plan"]
    ('formal_notice', 'formal_notice > injonction_de_payer > enforce_title')
    """
    s = schedule if schedule is not None else load_schedule()
    day = _as_of(state, as_of)
    p = _prepare(state, s, day)
    ev = _evaluate(p, s)
    dec = _decide(p, ev, s)
    return _frame(p, ev, dec, s)


def _next_step_date(p: dict, dec: dict, s: CostSchedule) -> np.ndarray:
    """When the next step is due: today, or for a court step after the deadline of a
    mise en demeure sent recently."""
    day = np.datetime64(p["day"], "D")
    court = np.isin(dec["best"], [ROUTES.index(r) for r in COURT_ROUTES])
    wait = p["fn_date"].astype("datetime64[D]") + np.timedelta64(
        int(s.value("routes.formal_notice.deadline_days")), "D"
    )
    later = court & ~np.isnat(wait) & (wait > day)
    return np.where(later, wait, day).astype("datetime64[ns]")


def _frame(p: dict, ev: dict, dec: dict, s: CostSchedule) -> pd.DataFrame:
    st, g = p["state"], p["guards"]
    n = len(st)
    out = pd.DataFrame(
        {
            "claim_id": st["claim_id"].astype("str"),
            "debtor_id": st["debtor_id"].astype("str"),
            "as_of": pd.Series(p["day"], index=st.index, dtype="datetime64[ns]"),
            "debtor_type": st["debtor_type"].astype("str"),
            "outstanding_eur": p["o"],
            "p_amicable_used": p["p_am"],
            "solvency_signal": _take(list(SIGNALS), p["signal"]),
        }
    )
    for route in ROUTES:
        out[f"net_{route}_eur"] = np.where(ev["ok"][route], ev["net"][route], np.nan)
    for route in ROUTES:
        out[f"cost_{route}_eur"] = ev["cost"][route]
    out["recommended_route"] = _take(list(ROUTES), dec["best"])
    plan, p_title = _plans_text(ev, dec)
    out["plan"] = pd.array(plan, dtype="str")
    out["next_step_date"] = _next_step_date(p, dec, s)
    out["plan_p_title"] = p_title
    out["plan_expected_net_eur"] = dec["net"]
    out["court"] = _take(["tribunal_judiciaire", "tribunal_de_commerce"], p["tc"].astype(int))
    out["judicial_route"] = _take(
        [*COURT_ROUTES, None], np.where(dec["has_court"], dec["jbest"], 4)
    )
    rows = np.arange(n)
    court_net = np.column_stack([ev["net"][r] for r in COURT_ROUTES]) if n else np.empty((0, 4))
    court_cost = np.column_stack([ev["cost"][r] for r in COURT_ROUTES]) if n else np.empty((0, 4))
    out["judicial_cost_eur"] = np.where(dec["has_court"], court_cost[rows, dec["jbest"]], np.nan)
    out["judicial_expected_net_eur"] = np.where(
        dec["has_court"], court_net[rows, dec["jbest"]], np.nan
    )
    out["amicable_expected_net_eur"] = out["net_continue_amicable_eur"]
    out["expected_gain_eur"] = dec["gain"]
    flags = g.assign(below_court_cost=ev["below_court_cost"])
    text = describe_flags(flags)
    out["legal_flags"] = text["legal_flags"].to_numpy()
    out["legal_notes"] = text["legal_notes"].to_numpy()
    out["prescription_date"] = g["prescription_date"].to_numpy()
    out["days_to_prescription"] = g["days_to_prescription"].to_numpy()
    out["declaration_deadline"] = g["declaration_deadline"].to_numpy()
    out["relief_deadline"] = g["relief_deadline"].to_numpy()
    out["title_date"] = g["title_date"].to_numpy()
    return out.reset_index(drop=True)
