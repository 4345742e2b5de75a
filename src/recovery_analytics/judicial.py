"""Judicial economics: the expected net value of each French recovery route per claim.

For every open claim of a claim state (``docs/state-contract.md``),
:func:`judicial_assessment` prices the court routes (injonction de payer,
procédure simplifiée, référé-provision, action au fond) and the comparators
(continue amicably, mise en demeure, agency, declare the claim in an
insolvency, write off), applies the legal guards of :mod:`recovery_analytics.legal`
and recommends the route with the best expected net value; a court route must
beat continuing amicably by ``general.minimum_margin_eur``.

Every figure comes from the cost schedule (:func:`~recovery_analytics.costs.load_schedule`);
the method and the defaults are in ``docs/judicial.md``. Court routes are
priced per dossier = (creditor, debtor): one filing covers all the debtor's
claims eligible for the route, and the dossier's costs are shared pro rata to
the outstanding amounts.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from recovery_analytics.costs import (
    CostSchedule,
    _interest,
    a444_32_fee,
    act_cost,
    droit_engagement_fee,
    load_schedule,
)
from recovery_analytics.legal import _as_of, _date_col, _take, describe_flags, legal_guards

__all__ = [
    "COURT_ROUTES",
    "ROUTES",
    "SENSITIVITY_PARAMETERS",
    "break_even_amount",
    "break_even_curves",
    "judicial_assessment",
    "sensitivity",
]

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
#: Schedule keys moved by :func:`sensitivity` (plus ``p_amicable``, the model input).
SENSITIVITY_PARAMETERS: tuple[str, ...] = (
    "general.cost_of_capital",
    "general.minimum_margin_eur",
    "general.fallback_amicable_factor",
    "courts.greffe_ip_tc_eur",
    "tariffs.cj_acts.signification_eur",
    "tariffs.cj_acts.saisie_attribution_eur",
    "lawyers.hourly_rate_eur",
    "routes.injonction_de_payer.refused_rate",
    "routes.injonction_de_payer.opposition_rate",
    "routes.injonction_de_payer.months_to_cash",
    "routes.procedure_simplifiee.acceptance_rate",
    "routes.refere_provision.p_title_undisputed",
    "routes.action_au_fond.p_title_undisputed",
    "routes.action_au_fond.p_title_disputed",
    "routes.agency.fee_share",
    "enforcement.success_share_good",
    "enforcement.success_share_unknown",
    "enforcement.success_share_poor",
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
        the creditor if it runs to full recovery), ``recommended_route,
        judicial_route`` (best allowed court route, NA if none),
        ``judicial_cost_eur, judicial_expected_net_eur,
        amicable_expected_net_eur, expected_gain_eur`` (recommended minus
        continuing amicably, or minus writing off when that is not allowed),
        ``legal_flags, legal_notes, prescription_date, days_to_prescription,
        declaration_deadline``.

    Examples
    --------
    >>> st = pd.DataFrame({"claim_id": ["c1"], "debtor_id": ["d1"], "debtor_type": ["B2B"],
    ...     "invoice_date": [pd.Timestamp("2026-01-02")], "due_date": [pd.Timestamp("2026-02-01")],
    ...     "outstanding_eur": [4000.0], "n_payments": [1]})
    >>> out = judicial_assessment(st, as_of="2026-06-01")
    >>> out.loc[0, "recommended_route"]
    'injonction_de_payer'
    """
    s = schedule if schedule is not None else load_schedule()
    day = _as_of(state, as_of)
    p = _prepare(state, s, day)
    ev = _evaluate(p, s)
    dec = _decide(p, ev, s)
    return _frame(p, ev, dec)


def _frame(p: dict, ev: dict, dec: dict) -> pd.DataFrame:
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
    return out.reset_index(drop=True)


# ---------------------------------------------------------------------------
# break-even and sensitivity


def _synthetic_state(
    amounts: np.ndarray,
    p_amicable: np.ndarray,
    *,
    debtor_type: str,
    days_past_due: int,
    disputed: bool,
    solvency_signal: str,
    day: pd.Timestamp,
) -> pd.DataFrame:
    """One claim per debtor (no grouping) for each (amount, p_amicable) pair."""
    n = len(amounts)
    due = day - pd.Timedelta(days=int(days_past_due))
    ids = pd.Series(np.arange(n)).astype("str").str.zfill(9)
    return pd.DataFrame(
        {
            "claim_id": ids,
            "debtor_id": ids,
            "debtor_type": debtor_type,
            "invoice_date": due - pd.Timedelta(days=30),
            "due_date": due,
            "outstanding_eur": np.asarray(amounts, dtype="float64"),
            "p_amicable": np.asarray(p_amicable, dtype="float64"),
            "open_dispute": bool(disputed),
            "solvency_signal": solvency_signal,
        }
    )


def _beats(route: str, st: pd.DataFrame, s: CostSchedule, day: pd.Timestamp, margin: float):
    p = _prepare(st, s, day)
    ev = _evaluate(p, s)
    amicable = ev["net"]["continue_amicable"]
    return ev["ok"][route] & (ev["net"][route] >= amicable + margin)


def _break_even_batch(
    route: str, p_amicable: np.ndarray, s: CostSchedule, margin: float | None, **case: Any
) -> np.ndarray:
    if route not in ROUTES or route in ("continue_amicable", "declare_claim"):
        raise ValueError(f"no break-even for route {route!r}: pick one of {ROUTES}")
    day = case["day"]
    if margin is None:
        margin = s.value("general.minimum_margin_eur") if route in COURT_ROUTES else 0.0
    p_amicable = np.atleast_1d(np.asarray(p_amicable, dtype="float64"))
    grid = np.geomspace(1.0, 1e6, 1201)
    k, m = len(p_amicable), len(grid)
    st = _synthetic_state(np.tile(grid, k), np.repeat(p_amicable, m), **case)
    hit = _beats(route, st, s, day, margin).reshape(k, m)
    first = np.where(hit.any(axis=1), hit.argmax(axis=1), -1)
    out = np.full(k, np.inf)
    found = first >= 0
    out[found & (first == 0)] = grid[0]
    refine = np.flatnonzero(found & (first > 0))
    if len(refine):  # a fine linear grid inside the bracket, all cases at once
        lo, hi = grid[first[refine] - 1], grid[first[refine]]
        fine = lo[:, None] + (hi - lo)[:, None] * np.linspace(0.0, 1.0, 2001)[None, :]
        st = _synthetic_state(fine.ravel(), np.repeat(p_amicable[refine], 2001), **case)
        hit = _beats(route, st, s, day, margin).reshape(len(refine), 2001)
        out[refine] = np.round(fine[np.arange(len(refine)), hit.argmax(axis=1)], 2)
    return out


def break_even_amount(
    route: str,
    schedule: CostSchedule | None = None,
    *,
    p_amicable: float = 0.3,
    debtor_type: str = "B2B",
    days_past_due: int = 90,
    disputed: bool = False,
    solvency_signal: str = "unknown",
    margin: float | None = None,
    as_of: Any = None,
) -> float:
    """Smallest outstanding amount for which ``route`` beats continuing amicably.

    A single claim with the given probabilities is priced on a grid of
    amounts from 1 EUR to 1 MEUR; the answer is the first amount where the
    route is allowed and its expected net exceeds that of continuing
    amicably by ``margin`` (default: ``general.minimum_margin_eur`` for court
    routes, 0 for the comparators), to the cent. Tariff steps (A444-46
    multiplier at 128 and 1,280 EUR) can make a route dip just above a step.

    Parameters
    ----------
    route : str
        One of :data:`ROUTES` except ``continue_amicable`` and ``declare_claim``.
    schedule : CostSchedule, optional
    p_amicable, debtor_type, days_past_due, disputed, solvency_signal
        The claim's profile (``solvency_signal`` in good / unknown / poor).
    margin : float, optional
    as_of : date, optional
        Date of the pricing (rates, contribution in force); default today.

    Returns
    -------
    float
        Euros; ``inf`` when the route never wins up to 1 MEUR.

    Examples
    --------
    >>> be = break_even_amount("injonction_de_payer", p_amicable=0.3, as_of="2026-06-30")
    >>> 100 < be < 2000
    True
    """
    s = schedule if schedule is not None else load_schedule()
    day = pd.Timestamp(as_of if as_of is not None else pd.Timestamp.today()).normalize()
    return float(
        _break_even_batch(
            route,
            np.array([p_amicable]),
            s,
            margin,
            debtor_type=debtor_type,
            days_past_due=days_past_due,
            disputed=disputed,
            solvency_signal=solvency_signal,
            day=day,
        )[0]
    )


def break_even_curves(
    schedule: CostSchedule | None = None,
    *,
    routes: tuple[str, ...] = COURT_ROUTES,
    debtor_types: tuple[str, ...] = ("B2B", "B2C"),
    p_amicable: Any = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9),
    days_past_due: int = 90,
    disputed: bool = False,
    solvency_signal: str = "unknown",
    as_of: Any = None,
) -> pd.DataFrame:
    """Break-even amounts over a range of ``p_amicable`` for several routes.

    Returns
    -------
    DataFrame
        Columns ``route, debtor_type, p_amicable, break_even_eur`` (``inf``
        where the route never wins), sorted in that order.

    Examples
    --------
    >>> df = break_even_curves(routes=("injonction_de_payer",), debtor_types=("B2B",),
    ...                        p_amicable=(0.2, 0.6), as_of="2026-06-30")
    >>> bool(df["break_even_eur"].is_monotonic_increasing)
    True
    """
    s = schedule if schedule is not None else load_schedule()
    day = pd.Timestamp(as_of if as_of is not None else pd.Timestamp.today()).normalize()
    ps = np.asarray(p_amicable, dtype="float64")
    frames = []
    for route in routes:
        for dtype in debtor_types:
            be = _break_even_batch(
                route,
                ps,
                s,
                None,
                debtor_type=dtype,
                days_past_due=days_past_due,
                disputed=disputed,
                solvency_signal=solvency_signal,
                day=day,
            )
            frames.append(
                pd.DataFrame(
                    {"route": route, "debtor_type": dtype, "p_amicable": ps, "break_even_eur": be}
                )
            )
    out = pd.concat(frames, ignore_index=True)
    return out.astype({"route": "str", "debtor_type": "str"})


def _total_gain(p: dict, s: CostSchedule) -> float:
    ev = _evaluate(p, s)
    return float(_decide(p, ev, s)["gain"].sum())


def sensitivity(
    state: pd.DataFrame,
    schedule: CostSchedule | None = None,
    rel_range: float = 0.2,
    *,
    as_of: Any = None,
    parameters: tuple[str, ...] = SENSITIVITY_PARAMETERS,
) -> pd.DataFrame:
    """Tornado table: the portfolio's total expected gain when each assumption moves.

    The total expected gain is the sum over open claims of the expected net
    of the recommended route minus that of continuing amicably (writing off
    where amicable recovery is not allowed). Each parameter is moved to
    ``value x (1 - rel_range)`` and ``value x (1 + rel_range)`` (probabilities
    and shares capped to [0, 1]) while the others keep their value; the row
    ``p_amicable`` scales the model's probabilities and expected recoveries.

    Returns
    -------
    DataFrame
        Columns ``parameter, rel_range, base_value, low_value, high_value, gain_low_eur,
        gain_base_eur, gain_high_eur, swing_eur``, largest swing first.

    Examples
    --------
    >>> st = pd.DataFrame({"claim_id": ["c1"], "debtor_id": ["d1"], "debtor_type": ["B2B"],
    ...     "invoice_date": [pd.Timestamp("2026-01-02")], "due_date": [pd.Timestamp("2026-02-01")],
    ...     "outstanding_eur": [4000.0]})
    >>> tab = sensitivity(st, as_of="2026-06-01", parameters=("routes.agency.fee_share",))
    >>> tab["parameter"].tolist()
    ['p_amicable', 'routes.agency.fee_share']
    """
    s = schedule if schedule is not None else load_schedule()
    day = _as_of(state, as_of)
    p = _prepare(state, s, day)
    base = _total_gain(p, s)
    rows = []
    for key in parameters:
        item = s.item(key)
        v = float(item["value"])
        bounded = item.get("unit") in ("probability", "share")
        lo, hi = v * (1 - rel_range), v * (1 + rel_range)
        if bounded:
            lo, hi = min(max(lo, 0.0), 1.0), min(max(hi, 0.0), 1.0)
        g_lo = _total_gain(p, s.with_overrides({key: lo}))
        g_hi = _total_gain(p, s.with_overrides({key: hi}))
        rows.append((key, v, lo, hi, g_lo, base, g_hi))
    gains = []
    for f in (1 - rel_range, 1 + rel_range):
        q = dict(p, p_am=np.clip(p["p_am"] * f, 0, 1), r_am=np.clip(p["r_am"] * f, 0, p["o"]))
        gains.append(_total_gain(q, s))
    mean_p = float(p["p_am"].mean()) if len(p["o"]) else np.nan
    rows.append(
        (
            "p_amicable",
            mean_p,
            mean_p * (1 - rel_range),
            mean_p * (1 + rel_range),
            *gains[:1],
            base,
            gains[1],
        )
    )
    out = pd.DataFrame(
        rows,
        columns=[
            "parameter",
            "base_value",
            "low_value",
            "high_value",
            "gain_low_eur",
            "gain_base_eur",
            "gain_high_eur",
        ],
    )
    out["swing_eur"] = (out["gain_high_eur"] - out["gain_low_eur"]).abs()
    out.insert(1, "rel_range", float(rel_range))
    out = out.sort_values(["swing_eur", "parameter"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True).astype({"parameter": "str"})
