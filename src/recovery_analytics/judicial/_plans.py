"""Routes as plans: court steps chained as a French credit manager chains them, and the decision.

A recommendation is the first step of a plan whose expected net value is
computed over the sequence (``docs/judicial.md``, "Plans"):

* a mise en demeure first when none was sent (it starts consumer interest,
  art. 1231-6 C. civ., and is expected before court); after its deadline, the
  best of continuing amicably or a court plan, with the amicable chance the
  notice raised;
* an injonction de payer: refused (the debtor never learns of it, the amicable
  chance is unchanged, no service is paid) or opposed, the plan goes on au
  fond when that is worth more than stopping; granted and served, a title;
* a référé-provision: refused (serious dispute), au fond;
* the procédure simplifiée: refused by the debtor, an injonction or au fond;
* enforcement once a title exists; a declaration in collective proceedings.

:func:`_evaluate` gives every route's plan value, cost, eligibility and plan;
:func:`_decide` picks the recommended route (the plan's next step).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from recovery_analytics.judicial._routes import (
    COURT_ROUTES,
    ROUTES,
    SIGNALS,
    _court_parts,
    _discount,
    _dossier_sum,
    _enforce_parts,
    _vat_ht,
    _vat_relief_share,
)
from recovery_analytics.judicial._schedule import CostSchedule

__all__: list[str] = []

_NEG = -np.inf


def _amicable(r_am: np.ndarray, s: CostSchedule) -> np.ndarray:
    r = "routes.continue_amicable."
    return _discount(s.value(f"{r}months_to_cash"), s) * r_am - s.value(f"{r}cost_eur")


def _court_plans(parts: dict, p_am: np.ndarray, r_am: np.ndarray, sig: np.ndarray, s) -> dict:
    """Plan value, chance of a title and fallbacks of each court route as first step."""
    p_enf = p_am + (1 - p_am) * sig
    fb = s.value("general.fallback_amicable_factor") * r_am  # after a lost case
    stay = _amicable(r_am, s)  # after a refused request: the debtor never knew
    w = {k: p_enf * v["G"] - v["En"] for k, v in parts.items()}
    f = parts["action_au_fond"]
    v_fond = -f["file"] + f["d"] * f["pt"] * w["action_au_fond"] + f["d"] * (1 - f["pt"]) * fb
    fond = np.where(f["ok"], v_fond, _NEG)
    val, p_title, fallback = {"action_au_fond": v_fond}, {"action_au_fond": f["pt"]}, {}

    ip, r_ip = parts["injonction_de_payer"], "routes.injonction_de_payer."
    refused, opposed = s.value(f"{r_ip}refused_rate"), s.value(f"{r_ip}opposition_rate")
    decide = s.value(f"{r_ip}months_to_decision")
    d_dec = _discount(decide, s)
    d_opp = _discount(decide + s.value("legal.opposition_months"), s)
    fond_if_refused, fond_if_opposed = fond > stay, fond > fb
    val["injonction_de_payer"] = (
        -ip["file"]
        + refused * d_dec * np.maximum(fond, stay)
        + (1 - refused)
        * (-ip["serve"] + opposed * d_opp * np.maximum(fond, fb) + (1 - opposed) * ip["d"] * w[
            "injonction_de_payer"
        ])
    )  # fmt: skip
    p_title["injonction_de_payer"] = (1 - refused) * (1 - opposed) + (
        refused * fond_if_refused + (1 - refused) * opposed * fond_if_opposed
    ) * f["pt"]
    fallback["injonction_de_payer"] = fond_if_refused | fond_if_opposed
    # an order already granted, still to serve: the plan from its service on
    val["serve_order"] = (
        -ip["serve"]
        + opposed * d_opp * np.maximum(fond, fb)
        + (1 - opposed) * ip["d"] * w["injonction_de_payer"]
    )

    rp = parts["refere_provision"]
    val["refere_provision"] = (
        -rp["file"]
        + rp["d"] * rp["pt"] * w["refere_provision"]
        + rp["d"] * (1 - rp["pt"]) * np.maximum(fond, fb)
    )
    p_title["refere_provision"] = rp["pt"] + (1 - rp["pt"]) * (fond > fb) * f["pt"]
    fallback["refere_provision"] = fond > fb

    ps = parts["procedure_simplifiee"]
    v_ip = np.where(ip["ok"], val["injonction_de_payer"], _NEG)
    after = np.maximum(np.maximum(v_ip, fond), fb)
    val["procedure_simplifiee"] = (
        -ps["file"]
        + ps["d"] * ps["pt"] * w["procedure_simplifiee"]
        + (1 - ps["pt"]) * d_dec * after
    )
    then_ip = (v_ip >= fond) & (v_ip > fb)
    then_fond = ~then_ip & (fond > fb)
    p_title["procedure_simplifiee"] = ps["pt"] + (1 - ps["pt"]) * (
        then_ip * p_title["injonction_de_payer"] + then_fond * f["pt"]
    )
    fallback["procedure_simplifiee"] = np.where(then_ip, 1, np.where(then_fond, 2, 0))
    fallback["action_au_fond"] = np.zeros(len(fb), dtype=bool)
    return {"net": val, "p_title": p_title, "fallback": fallback}


def _evaluate(p: dict, s: CostSchedule) -> dict[str, Any]:
    """Plan values, costs, eligibility and plans of every route (arrays per route)."""
    g = p["guards"]
    o, r_am, p_am, codes = p["o"], p["r_am"], p["p_am"], p["dossier"]
    n = len(o)
    col = {c: g[c].to_numpy(dtype=bool) for c in g.columns if g[c].dtype == bool}
    insolvent, not_due, prescribed = col["insolvency"], col["not_due"], col["prescribed"]
    title = col["title"]
    court_ok = ~(prescribed | insolvent | not_due | col["judicial_pending"] | title)
    net = dict.fromkeys(ROUTES, np.zeros(n))
    cost = dict.fromkeys(ROUTES, np.zeros(n))
    ok = dict.fromkeys(ROUTES, np.ones(n, dtype=bool))

    r = "routes.continue_amicable."
    net["continue_amicable"] = _amicable(r_am, s)
    cost["continue_amicable"] = np.full(n, float(s.value(f"{r}cost_eur")))
    ok["continue_amicable"] = ~insolvent

    r = "routes.agency."
    ok["agency"] = ~(insolvent | not_due | prescribed | title)
    fee = s.value(f"{r}fee_share")
    r_ag = r_am + (o - r_am) * s.value(f"{r}uplift")
    fee = fee * _vat_ht(s)  # an HT fee: + VAT for a creditor that cannot recover it
    net["agency"] = _discount(s.value(f"{r}months_to_cash"), s) * (1 - fee) * r_ag
    cost["agency"] = fee * o  # fee if everything is recovered

    r = "routes.declare_claim."
    dividend = np.zeros(n)
    for st in ("sauvegarde", "redressement", "liquidation"):
        dividend = np.where(p["status"] == st, s.value(f"{r}dividend_{st}"), dividend)
    # In a liquidation the unpaid part is definitively lost at the closing: its VAT
    # comes back (art. 272 CGI) when the creditor's regime allows it.
    d_decl = _discount(s.value(f"{r}months_to_cash"), s)
    lost_vat = (p["status"] == "liquidation") * _vat_relief_share(s) * o
    net["declare_claim"] = d_decl * (dividend * o + (1 - dividend) * lost_vat) - s.value(
        f"{r}cost_eur"
    )
    cost["declare_claim"] = np.full(n, float(s.value(f"{r}cost_eur")))
    ok["declare_claim"] = insolvent & ~col["foreclosed"]
    # never write off an insolvent debtor's claim that could still be declared; a
    # declared claim in liquidation written off still gets its VAT back at the closing
    ok["write_off"] = ~(insolvent & ~col["declared"] & ~col["foreclosed"])
    net["write_off"] = np.where(col["declared"], d_decl * lost_vat, 0.0)

    ok["enforce_title"] = title & ~insolvent & ~prescribed
    ep = _enforce_parts(p, s, ok["enforce_title"])
    sig = np.array([s.value(f"enforcement.success_share_{x}") for x in SIGNALS])[p["signal"]]
    p_enf = p_am + (1 - p_am) * sig
    net["enforce_title"] = ep["d"] * p_enf * ep["G"] - ep["En"]
    cost["enforce_title"] = ep["cost"]

    parts = {}
    for route in COURT_ROUTES:
        legal = court_ok
        if route == "injonction_de_payer":
            legal = court_ok & ~col["disputed"] & ~col["ip_refused"] & col["ip_in_time"]
        else:
            legal = court_ok & col["summons_in_time"]
        if route == "procedure_simplifiee":  # no interruption in time to count on
            legal = legal & ~col["prescription_urgent"]
        parts[route] = _court_parts(route, p, s, legal)
        ok[route], cost[route] = parts[route]["ok"], parts[route]["cost"]
    cheapest = np.min([cost[rt] for rt in COURT_ROUTES], axis=0)
    below = court_ok & (o <= cheapest)
    for route in COURT_ROUTES:  # never court for a claim the route costs more than
        ok[route] = ok[route] & (cost[route] < o)
        parts[route]["ok"] = ok[route]
    plans = _court_plans(parts, p_am, r_am, sig, s)
    for route in COURT_ROUTES:
        net[route] = plans["net"][route]
    to_serve = col["ip_order_to_serve"] & ~insolvent & ~prescribed
    net["injonction_de_payer"] = np.where(
        to_serve, plans["net"]["serve_order"], net["injonction_de_payer"]
    )
    ok["injonction_de_payer"] = ok["injonction_de_payer"] | to_serve

    # Mise en demeure, then after its deadline the best of amicable and court, with
    # the amicable chance the notice raised (0 uplift when one was already sent).
    r = "routes.formal_notice."
    ok["formal_notice"] = ~(insolvent | not_due | prescribed | title)
    letters = np.maximum(_dossier_sum(codes, ok["formal_notice"].astype(float)), 1.0)
    cost["formal_notice"] = s.value(f"{r}cost_eur") / letters  # one letter per dossier
    uplift = s.value(f"{r}uplift") * (p["n_notices"] == 0)
    p2, r2 = p_am + (1 - p_am) * uplift, r_am + (o - r_am) * uplift
    after_notice = _court_plans(parts, p2, r2, sig, s)["net"]
    court_after = np.column_stack(
        [np.where(ok[rt], after_notice[rt], _NEG) for rt in COURT_ROUTES]
    ) if n else np.empty((0, len(COURT_ROUTES)))  # fmt: skip
    j_after = np.argmax(court_after, axis=1) if n else np.zeros(0, np.int64)
    best_after = court_after[np.arange(n), j_after]
    d_deadline = _discount(s.value(f"{r}deadline_days") / (365.25 / 12), s)
    amicable_after = _discount(s.value(f"{r}months_to_cash"), s) * r2
    # the court branch bears the margin a court route must beat amicable by (its
    # unpriced staff time), so that the plan's value is the better branch
    court_branch = d_deadline * best_after - s.value("general.minimum_margin_eur")
    to_court = court_branch >= amicable_after
    net["formal_notice"] = np.maximum(court_branch, amicable_after) - cost["formal_notice"]
    return {
        "net": net,
        "cost": cost,
        "ok": ok,
        "below_court_cost": below,
        "p_title": plans["p_title"],
        "fallback": plans["fallback"],
        "notice_then_court": to_court,
        "court_after_notice": j_after,
        "to_serve": to_serve,
        "urgent": col["prescription_urgent"],
        "prior_750_1": {rt: parts[rt]["prior_750_1"] for rt in COURT_ROUTES},
    }


def _decide(p: dict, ev: dict, s: CostSchedule) -> dict[str, np.ndarray]:
    """The recommended route (first step of the best plan), per claim."""
    net, ok = ev["net"], ev["ok"]
    n = len(p["o"])
    margin = s.value("general.minimum_margin_eur")
    amicable = np.where(ok["continue_amicable"], net["continue_amicable"], -np.inf)
    # a mise en demeure comes before court, unless prescription leaves no time for it
    notice_first = (p["n_notices"] == 0) & ~ev["urgent"]
    court = (
        np.column_stack([np.where(ok[rt], net[rt], -np.inf) for rt in COURT_ROUTES])
        if n
        else np.empty((0, len(COURT_ROUTES)))
    )
    jbest = np.argmax(court, axis=1)
    has_court = np.isfinite(court[np.arange(n), jbest]) if n else np.zeros(0, bool)
    best_court = court[np.arange(n), jbest] if n else np.zeros(0)
    # urgent: a route that interrupts prescription in time (no margin, no notice first),
    # when it is worth at least continuing amicably (or anything, where that is not allowed)
    urgent_court = ev["urgent"] & has_court & (best_court >= np.maximum(amicable, 0.0))
    cand = np.full((n, len(ROUTES)), -np.inf)
    for j, route in enumerate(ROUTES):
        allowed = ok[route] & ~urgent_court
        if route in COURT_ROUTES:
            allowed = (ok[route] & (net[route] >= amicable + margin) & ~notice_first) | (
                ok[route] & urgent_court
            )
        cand[:, j] = np.where(allowed, net[route], -np.inf)
    best = np.argmax(cand, axis=1)  # first maximum: ROUTES order breaks ties
    # an order already granted is served, or it is void within 6 months (art. 1411 CPC)
    best = np.where(ev["to_serve"], ROUTES.index("injonction_de_payer"), best)
    baseline = np.where(ok["continue_amicable"], net["continue_amicable"], 0.0)
    rec_net = np.array([net[r] for r in ROUTES]).T[np.arange(n), best] if n else np.zeros(0)
    return {
        "best": best,
        "jbest": jbest,
        "has_court": has_court,
        "gain": rec_net - baseline,
        "net": rec_net,
    }


_TAIL = " > enforce_title"
_PRIOR = "conciliation (art. 750-1 CPC) > "
_FALLBACK = {
    "injonction_de_payer": ("", " (opposition ou rejet : action_au_fond)"),
    "refere_provision": ("", " (rejet : action_au_fond)"),
    "procedure_simplifiee": (
        "",
        " (refus du débiteur : injonction_de_payer)",
        " (refus du débiteur : action_au_fond)",
    ),
    "action_au_fond": ("",),
}


def _court_label(route: str, fallback: np.ndarray) -> np.ndarray:
    labels = np.array([f"{route}{_TAIL}{t}" for t in _FALLBACK[route]], dtype=object)
    return labels[np.asarray(fallback, dtype=np.int64)]


def _plans_text(ev: dict, dec: dict) -> tuple[np.ndarray, np.ndarray]:
    """The plan of the recommended route (route codes joined by " > ", the fallback of a
    court step in brackets) and its chance of a title (NaN without a court step)."""
    best = dec["best"]
    n = len(best)
    plan = np.asarray(ROUTES, dtype=object)[best]
    p_title = np.full(n, np.nan)
    court_text = {rt: _court_label(rt, ev["fallback"][rt]) for rt in COURT_ROUTES}
    for rt in ("refere_provision", "action_au_fond"):  # art. 750-1 CPC step first
        court_text[rt] = np.where(ev["prior_750_1"][rt], _PRIOR + court_text[rt], court_text[rt])
    for rt in COURT_ROUTES:
        mask = best == ROUTES.index(rt)
        plan = np.where(mask, court_text[rt], plan)
        p_title = np.where(mask, ev["p_title"][rt], p_title)
    serve = ev["to_serve"]
    plan = np.where(serve, "injonction_de_payer (signifier l'ordonnance) > enforce_title", plan)
    p_title = np.where(serve, np.nan, p_title)
    fn = (best == ROUTES.index("formal_notice")) & ev["notice_then_court"]
    j = ev["court_after_notice"]
    after = np.full(n, "", dtype=object)
    after_pt = np.full(n, np.nan)
    for k, rt in enumerate(COURT_ROUTES):
        after = np.where(j == k, court_text[rt], after)
        after_pt = np.where(j == k, ev["p_title"][rt], after_pt)
    plan = np.where(fn, "formal_notice > " + after, plan)
    plan = np.where(
        (best == ROUTES.index("formal_notice")) & ~ev["notice_then_court"],
        "formal_notice > continue_amicable",
        plan,
    )
    p_title = np.where(fn, after_pt, p_title)
    return plan, p_title
