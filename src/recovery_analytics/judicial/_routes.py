"""The pricing engine behind :mod:`recovery_analytics.judicial`: state -> nets per route.

:func:`_prepare` turns a claim state into arrays (with the legal guards),
:func:`_evaluate` prices every route (expected net, cost if it runs to full
recovery, eligibility) and :func:`_decide` picks the recommended route. Used
by :func:`~recovery_analytics.judicial.judicial_assessment` and by the
break-even and sensitivity analyses (``_sensitivity``); the method is in
``docs/judicial.md``. The route tuples are public from
:mod:`recovery_analytics.judicial`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from recovery_analytics.judicial._legal import _date_col, legal_guards
from recovery_analytics.judicial._money import (
    _interest,
    a444_32_fee,
    act_cost,
    droit_engagement_fee,
)
from recovery_analytics.judicial._schedule import CostSchedule

__all__ = ["COURT_ROUTES", "ROUTES", "SIGNALS"]

#: All routes, in tie-breaking order (the first of equal nets wins).
ROUTES: tuple[str, ...] = (
    "continue_amicable",
    "formal_notice",
    "agency",
    "declare_claim",
    "injonction_de_payer",
    "procedure_simplifiee",
    "refere_provision",
    "action_au_fond",
    "write_off",
)
COURT_ROUTES: tuple[str, ...] = (
    "injonction_de_payer",
    "procedure_simplifiee",
    "refere_provision",
    "action_au_fond",
)
_DAYS_PER_MONTH = 365.25 / 12
#: Solvency signals, in code order.
SIGNALS: tuple[str, ...] = ("good", "unknown", "poor")


# ---------------------------------------------------------------------------
# preparation: state -> arrays


def _num(state: pd.DataFrame, col: str, default: float = 0.0) -> np.ndarray:
    if col not in state:
        return np.full(len(state), default, dtype="float64")
    return pd.to_numeric(state[col]).astype("float64").fillna(default).to_numpy()


def _prior_p(days_past_due: np.ndarray, s: CostSchedule) -> np.ndarray:
    pts = np.asarray(s.item("prior.p_amicable_by_days_past_due")["points"], dtype="float64")
    return np.interp(days_past_due, pts[:, 0], pts[:, 1])


def _prepare(state: pd.DataFrame, s: CostSchedule, day: pd.Timestamp) -> dict[str, Any]:
    """Open claims sorted by claim_id, as arrays, with their legal guards."""
    st = state
    if "is_open" in st:
        st = st[st["is_open"].astype("boolean").fillna(False).to_numpy(dtype=bool)]
    outstanding = "outstanding_eur" if "outstanding_eur" in st else "amount"
    st = st[_num(st, outstanding) > 0.01]
    st = st.sort_values("claim_id", kind="stable").reset_index(drop=True)
    o = _num(st, outstanding)
    due = _date_col(st, "due_date")
    dpd = (np.datetime64(day, "D") - due.astype("datetime64[D]")).astype("float64")
    dpd[np.isnat(due)] = 0.0
    p_model = _num(st, "p_amicable", np.nan)
    p_am = np.clip(np.where(np.isnan(p_model), _prior_p(dpd, s), p_model), 0.0, 1.0)
    r_model = _num(st, "expected_recovery_eur", np.nan)
    r_am = np.clip(np.where(np.isnan(r_model), p_am * o, r_model), 0.0, o)
    paid = (_num(st, "n_payments") > 0) | (_num(st, "n_promises_kept") > 0)
    broken = _num(st, "n_promises_broken") >= s.value("enforcement.poor_signal_broken_promises")
    signal = np.where(paid, 0, np.where(broken, 2, 1))  # codes into SIGNALS
    if "solvency_signal" in st:  # a user-supplied signal wins where valid
        given = pd.Categorical(st["solvency_signal"].astype("str"), categories=SIGNALS).codes
        signal = np.where(given >= 0, given, signal)
    debtor = pd.factorize(st["debtor_id"])[0]
    if "creditor_id" in st:
        creditor = pd.factorize(st["creditor_id"].astype("str").fillna(""))[0]
        debtor = pd.factorize(creditor * (debtor.max(initial=0) + 1) + debtor)[0]
    guards = legal_guards(st, s, as_of=day)
    return {
        "state": st,
        "day": day,
        "o": o,
        "p_am": p_am,
        "r_am": r_am,
        "signal": signal,
        "dossier": debtor,
        "guards": guards,
        "b2b": (st["debtor_type"] == "B2B").to_numpy(dtype=bool),
        "due": due,
        "fn_date": _date_col(st, "formal_notice_date"),
        "n_notices": _num(st, "n_formal_notices"),
        "status": guards["insolvency_status"].to_numpy(dtype=object),
    }


# ---------------------------------------------------------------------------
# pricing


def _dossier_sum(codes: np.ndarray, values: np.ndarray) -> np.ndarray:
    return np.bincount(codes, weights=values, minlength=codes.max(initial=-1) + 1)[codes]


def _discount(months: Any, s: CostSchedule) -> np.ndarray:
    return (1.0 + s.value("general.cost_of_capital")) ** (-np.asarray(months, dtype="float64") / 12)


def _court_spec(route: str, p: dict, s: CostSchedule) -> dict[str, Any]:
    """Route-specific inputs of the common court formula."""
    b2b, disputed, day = p["b2b"], p["guards"]["disputed"].to_numpy(), p["day"]
    r = f"routes.{route}."
    n = len(b2b)
    in_force = day.date() >= s.item("courts.contribution_tj_eur")["valid_from"]
    contribution = np.where(~b2b & in_force, s.value("courts.contribution_tj_eur"), 0.0)
    hours = s.value(f"{r}lawyer_hours") if route in ("refere_provision", "action_au_fond") else 0
    lawyer = hours * s.value("lawyers.hourly_rate_eur")
    spec: dict[str, Any] = {"acts": ("assignation", "signification"), "recoverable": True}
    if route == "injonction_de_payer":
        tc, tj = s.value("courts.greffe_ip_tc_eur"), s.value("courts.greffe_ip_tj_eur")
        p_t = (1 - s.value(f"{r}refused_rate")) * (1 - s.value(f"{r}opposition_rate"))
        spec.update(
            greffe=np.where(b2b, tc, tj)
            + contribution * bool(s.value("courts.contribution_applies_to_ip")),
            acts=("signification",),
            lawyer=s.value(f"{r}lawyer_fee_eur"),
            p_title=np.full(n, p_t),
            months=np.full(n, s.value(f"{r}months_to_cash")),
        )
    elif route == "procedure_simplifiee":
        acc, acc_d = s.value(f"{r}acceptance_rate"), s.value(f"{r}acceptance_rate_disputed")
        spec.update(
            greffe=np.zeros(n),
            acts=(),
            lawyer=s.value(f"{r}cj_fee_eur"),
            recoverable=False,  # all costs stay with the creditor
            p_title=np.where(disputed, acc_d, acc),
            months=np.full(n, s.value(f"{r}months_to_cash")),
        )
    else:
        pu, pd_ = s.value(f"{r}p_title_undisputed"), s.value(f"{r}p_title_disputed")
        months = (
            np.where(b2b, s.value(f"{r}months_to_cash_b2b"), s.value(f"{r}months_to_cash_b2c"))
            if route == "action_au_fond"
            else np.full(n, s.value(f"{r}months_to_cash"))
        )
        spec.update(
            greffe=np.where(b2b, s.value("courts.greffe_assignation_tc_eur"), 0.0) + contribution,
            lawyer=lawyer,
            p_title=np.where(disputed, pd_, pu),
            months=months,
        )
    spec["add_share"] = 0.0 if route == "procedure_simplifiee" else 1.0
    return spec


def _additions(p: dict, s: CostSchedule, months: np.ndarray) -> np.ndarray:
    """B2B indemnity + late interest until the expected cash date."""
    b2b, day = p["b2b"], np.datetime64(p["day"], "D")
    if s.value("rates.b2c_interest_start") == "due_date":
        start_b2c = p["due"]
    else:  # from the mise en demeure, else from the filing (today)
        start_b2c = np.where(np.isnat(p["fn_date"]), day, p["fn_date"])
    start = np.where(b2b, p["due"], start_b2c).astype("datetime64[ns]")
    end = day + np.round(months * _DAYS_PER_MONTH).astype("timedelta64[D]")
    interest = np.nan_to_num(_interest(p["o"], start, end, b2b, s))
    return interest + b2b * s.value("rates.b2b_indemnity_eur")


def _court_route(route: str, p: dict, s: CostSchedule, legal_ok: np.ndarray):
    o, codes = p["o"], p["dossier"]
    spec = _court_spec(route, p, s)
    vat = 1.0 if s.value("general.creditor_recovers_vat") else 1.0 + s.value("general.vat_rate")
    x = _additions(p, s, spec["months"]) * spec["add_share"]
    # Dossier = (creditor, debtor) claims eligible for the route; others priced alone.
    total = np.where(legal_ok, _dossier_sum(codes, o * legal_ok), o)
    if route == "procedure_simplifiee":
        legal_ok = legal_ok & (total <= s.value("routes.procedure_simplifiee.max_principal_eur"))
    x_total = np.where(legal_ok, _dossier_sum(codes, x * legal_ok), x)
    share = np.divide(o, total, out=np.ones_like(o), where=total > 0)
    acts = sum((act_cost(total, a, s) for a in spec["acts"]), np.zeros_like(o)) * vat
    lawyer = spec["lawyer"] * vat
    upfront = spec["greffe"] + acts + lawyer
    recovered = (spec["greffe"] + acts) * spec["recoverable"] + lawyer * s.value(
        "lawyers.fee_recovered_share"
    ) * spec["recoverable"]
    enforce = (
        act_cost(total, "commandement_de_payer", s)
        + s.value("tariffs.cj_acts.saisie_attribution_eur")
        + droit_engagement_fee(total, s)
    ) * vat
    fee32 = a444_32_fee(total + x_total, s) * vat
    s_sig = np.array([s.value(f"enforcement.success_share_{g}") for g in SIGNALS])[p["signal"]]
    p_enf = p["p_am"] + (1 - p["p_am"]) * s_sig
    p_t = spec["p_title"]
    d = _discount(spec["months"], s)
    fallback = s.value("general.fallback_amicable_factor") * p["r_am"]
    net = (
        d * p_t * p_enf * (o + x + share * (recovered + enforce - fee32))
        - share * upfront
        - d * p_t * share * enforce
        + d * (1 - p_t) * fallback
    )
    cost = share * (upfront + enforce + fee32)
    return net, cost, legal_ok


def _evaluate(p: dict, s: CostSchedule) -> dict[str, Any]:
    """Nets, costs and eligibility of every route (arrays n x len(ROUTES))."""
    g = p["guards"]
    o, r_am, codes = p["o"], p["r_am"], p["dossier"]
    n = len(o)
    insolvent, not_due = g["insolvency"].to_numpy(), g["not_due"].to_numpy()
    prescribed = g["prescribed"].to_numpy()
    court_ok = ~(prescribed | insolvent | not_due | g["judicial_pending"].to_numpy())
    net = dict.fromkeys(ROUTES, np.zeros(n))
    cost = dict.fromkeys(ROUTES, np.zeros(n))
    ok = dict.fromkeys(ROUTES, np.ones(n, dtype=bool))

    r = "routes.continue_amicable."
    net["continue_amicable"] = _discount(s.value(f"{r}months_to_cash"), s) * r_am - s.value(
        f"{r}cost_eur"
    )
    cost["continue_amicable"] = np.full(n, float(s.value(f"{r}cost_eur")))
    ok["continue_amicable"] = ~insolvent

    r = "routes.formal_notice."
    ok["formal_notice"] = ~(insolvent | not_due | prescribed)
    letters = np.maximum(_dossier_sum(codes, ok["formal_notice"].astype(float)), 1.0)
    cost["formal_notice"] = s.value(f"{r}cost_eur") / letters  # one letter per dossier
    uplift = s.value(f"{r}uplift") * (p["n_notices"] == 0)
    net["formal_notice"] = (
        _discount(s.value(f"{r}months_to_cash"), s) * (r_am + (o - r_am) * uplift)
        - cost["formal_notice"]
    )

    r = "routes.agency."
    ok["agency"] = ok["formal_notice"]
    fee = s.value(f"{r}fee_share")
    r_ag = r_am + (o - r_am) * s.value(f"{r}uplift")
    net["agency"] = _discount(s.value(f"{r}months_to_cash"), s) * (1 - fee) * r_ag
    cost["agency"] = fee * o  # fee if everything is recovered

    r = "routes.declare_claim."
    status = p["status"]
    dividend = np.zeros(n)
    for st in ("sauvegarde", "redressement", "liquidation"):
        dividend = np.where(status == st, s.value(f"{r}dividend_{st}"), dividend)
    net["declare_claim"] = _discount(s.value(f"{r}months_to_cash"), s) * dividend * o - s.value(
        f"{r}cost_eur"
    )
    cost["declare_claim"] = np.full(n, float(s.value(f"{r}cost_eur")))
    ok["declare_claim"] = insolvent

    for route in COURT_ROUTES:
        legal = court_ok & ~g["disputed"].to_numpy() if route == "injonction_de_payer" else court_ok
        net[route], cost[route], ok[route] = _court_route(route, p, s, legal)
    cheapest = np.min([cost[rt] for rt in COURT_ROUTES], axis=0)
    below = court_ok & (o <= cheapest)
    for route in COURT_ROUTES:  # never court for a claim the route costs more than
        ok[route] = ok[route] & (cost[route] < o)
    return {"net": net, "cost": cost, "ok": ok, "below_court_cost": below}


def _decide(p: dict, ev: dict, s: CostSchedule) -> dict[str, np.ndarray]:
    net, ok = ev["net"], ev["ok"]
    n = len(p["o"])
    margin = s.value("general.minimum_margin_eur")
    amicable = np.where(ok["continue_amicable"], net["continue_amicable"], -np.inf)
    cand = np.full((n, len(ROUTES)), -np.inf)
    for j, route in enumerate(ROUTES):
        allowed = ok[route]
        if route in COURT_ROUTES:
            allowed = allowed & (net[route] >= amicable + margin)
        cand[:, j] = np.where(allowed, net[route], -np.inf)
    best = np.argmax(cand, axis=1)  # first maximum: ROUTES order breaks ties
    court = (
        np.column_stack([np.where(ok[rt], net[rt], -np.inf) for rt in COURT_ROUTES])
        if n
        else np.empty((0, len(COURT_ROUTES)))
    )
    jbest = np.argmax(court, axis=1)
    has_court = np.isfinite(court[np.arange(n), jbest]) if n else np.zeros(0, bool)
    baseline = np.where(ok["continue_amicable"], net["continue_amicable"], 0.0)
    rec_net = cand[np.arange(n), best]
    return {
        "best": best,
        "jbest": jbest,
        "has_court": has_court,
        "gain": rec_net - baseline,
    }
