"""The pricing engine behind :mod:`recovery_analytics.judicial`: state -> parts of each step.

:func:`_prepare` turns a claim state into arrays (with the legal guards);
:func:`_court_parts` and :func:`_enforce_parts` price one court step or the
enforcement of a title (costs, value once a title is held, probability, months).
``_plans`` chains the steps into plans, values them and decides. The method
is in ``docs/judicial.md``. The route tuples are public from
:mod:`recovery_analytics.judicial`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from recovery_analytics.judicial._legal import _date_col, court_of, legal_guards
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
    "enforce_title",
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
        "title_date": guards["title_date"].to_numpy("datetime64[ns]"),
        "tc": court_of(st, s),
    }


# ---------------------------------------------------------------------------
# pricing


def _dossier_sum(codes: np.ndarray, values: np.ndarray) -> np.ndarray:
    return np.bincount(codes, weights=values, minlength=codes.max(initial=-1) + 1)[codes]


def _discount(months: Any, s: CostSchedule) -> np.ndarray:
    return (1.0 + s.value("general.cost_of_capital")) ** (-np.asarray(months, dtype="float64") / 12)


def _court_spec(route: str, p: dict, s: CostSchedule) -> dict[str, Any]:
    """Route-specific inputs of the common court formula."""
    court_tc, disputed, day = p["tc"], p["guards"]["disputed"].to_numpy(), p["day"]
    r = f"routes.{route}."
    n = len(court_tc)
    in_force = day.date() >= s.item("courts.contribution_tj_eur")["valid_from"]
    contribution = np.where(~court_tc & in_force, s.value("courts.contribution_tj_eur"), 0.0)
    hours = s.value(f"{r}lawyer_hours") if route in ("refere_provision", "action_au_fond") else 0
    lawyer = hours * s.value("lawyers.hourly_rate_eur")
    spec: dict[str, Any] = {"acts": ("assignation", "signification"), "recoverable": True}
    if route == "injonction_de_payer":
        tc, tj = s.value("courts.greffe_ip_tc_eur"), s.value("courts.greffe_ip_tj_eur")
        p_t = (1 - s.value(f"{r}refused_rate")) * (1 - s.value(f"{r}opposition_rate"))
        spec.update(
            greffe=np.where(court_tc, tc, tj) * _vat_ttc(s)
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
            np.where(court_tc, s.value(f"{r}months_to_cash_b2b"), s.value(f"{r}months_to_cash_b2c"))
            if route == "action_au_fond"
            else np.full(n, s.value(f"{r}months_to_cash"))
        )
        spec.update(
            greffe=np.where(court_tc, s.value("courts.greffe_assignation_tc_eur"), 0.0)
            * _vat_ttc(s)
            + contribution,
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


def _vat_ht(s: CostSchedule) -> float:
    """Factor turning an HT tariff into the creditor's cost (1 if it recovers VAT)."""
    return (
        1.0
        if s.value("general.vat_regime") == "recovers_vat"
        else 1.0 + s.value("general.vat_rate")
    )


def _vat_ttc(s: CostSchedule) -> float:
    """Factor turning a TTC fee (greffe) into the creditor's cost (HT if it recovers VAT)."""
    return (
        1.0 / (1.0 + s.value("general.vat_rate"))
        if s.value("general.vat_regime") == "recovers_vat"
        else 1.0
    )


def _vat_relief_share(s: CostSchedule) -> float:
    """Share of a TTC claim the creditor gets back as VAT once the claim is definitively
    lost (art. 272 CGI): VAT / TTC under recovers_vat, else 0."""
    if s.value("general.vat_regime") != "recovers_vat":
        return 0.0
    rate = s.value("general.claims_vat_rate")
    return rate / (1.0 + rate)


def _interest_start(p: dict, s: CostSchedule) -> np.ndarray:
    """Start of late interest: B2B the due date; B2C the mise en demeure (art. 1231-6
    C. civ.), NaT without one (interest then runs from the filing), or the due date."""
    by_due = s.value("rates.b2c_interest_start") == "due_date"
    start_b2c = p["due"] if by_due else p["fn_date"]
    return np.where(p["b2b"], p["due"], start_b2c).astype("datetime64[ns]")


def _accrued(p: dict, s: CostSchedule) -> np.ndarray:
    """Late interest accrued at as_of (0 when it has not started)."""
    day = np.datetime64(p["day"], "ns")
    return np.nan_to_num(_interest(p["o"], _interest_start(p, s), day, p["b2b"], s))


def _court_parts(route: str, p: dict, s: CostSchedule, legal_ok: np.ndarray) -> dict[str, Any]:
    """One court step, per claim (shares of the dossier's costs).

    ``file`` is paid on filing, ``serve`` once the order is granted (injonction
    only); with a title the claim is worth ``p_enf * G - En`` at the cash date.
    """
    o, codes = p["o"], p["dossier"]
    spec = _court_spec(route, p, s)
    vat = _vat_ht(s)
    # Dossier = (creditor, debtor) claims eligible for the route; others priced alone.
    total = np.where(legal_ok, _dossier_sum(codes, o * legal_ok), o)
    # art. 750-1 CPC: a prior conciliation before a référé or au fond at the tribunal
    # judiciaire for <= 5,000 EUR (not when prescription leaves no time for it)
    prior = np.zeros(len(o), dtype=bool)
    if route in ("refere_provision", "action_au_fond"):
        urgent = p["guards"]["prescription_urgent"].to_numpy(dtype=bool)
        prior = ~p["tc"] & (total <= 5000.0) & ~urgent
        spec["months"] = spec["months"] + prior * s.value("courts.conciliation_750_1_months")
        spec["greffe"] = spec["greffe"] + prior * s.value("courts.conciliation_750_1_cost_eur")
    x = _additions(p, s, spec["months"]) * spec["add_share"]
    if route == "procedure_simplifiee":  # principal AND interest (R125-1 CPCE)
        accrued = _accrued(p, s)
        with_interest = np.where(legal_ok, _dossier_sum(codes, (o + accrued) * legal_ok), o)
        legal_ok = legal_ok & (
            with_interest <= s.value("routes.procedure_simplifiee.max_principal_eur")
        )
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
    serve = acts if route == "injonction_de_payer" else np.zeros_like(o)
    return {
        "ok": legal_ok,
        "file": share * (upfront - serve),
        "serve": share * serve,
        "G": o + x + share * (recovered + enforce - fee32),
        "En": share * enforce,
        "d": _discount(spec["months"], s),
        "pt": spec["p_title"],
        "months": spec["months"],
        "cost": share * (upfront + enforce + fee32),
        "prior_750_1": prior,
    }


def _enforce_parts(p: dict, s: CostSchedule, legal_ok: np.ndarray) -> dict[str, Any]:
    """Enforcing a title already held: saisie-attribution and its dénonciation, droit
    d'engagement, and for a consumer the commandement before a saisie des rémunérations
    or a saisie-vente. The acts are advanced and recovered from the debtor on success
    (L111-8 CPCE). Interest runs on, +5 points two months after the title for the
    taux légal (L313-3 C. mon. fin.)."""
    o, codes = p["o"], p["dossier"]
    r = "routes.enforce_title."
    vat = _vat_ht(s)
    months = np.full(len(o), float(s.value(f"{r}months_to_cash")))
    x = _additions(p, s, months)
    day = np.datetime64(p["day"], "D")
    cash = day + np.round(months * _DAYS_PER_MONTH).astype("timedelta64[D]")
    raised = (p["title_date"].astype("datetime64[D]") + np.timedelta64(61, "D")).astype("int64")
    days_raised = np.clip(cash.astype("int64") - raised, 0, None)
    days_raised = np.where(np.isnat(p["title_date"]) | p["b2b"], 0, days_raised)
    x = x + o * s.value("rates.judgment_majoration_points") * days_raised / s.value(
        "general.day_count"
    )
    total = np.where(legal_ok, _dossier_sum(codes, o * legal_ok), o)
    x_total = np.where(legal_ok, _dossier_sum(codes, x * legal_ok), x)
    share = np.divide(o, total, out=np.ones_like(o), where=total > 0)
    acts = (
        s.value("tariffs.cj_acts.saisie_attribution_eur")
        + act_cost(total, "signification", s)  # the dénonciation to the debtor
        + droit_engagement_fee(total, s)
        + np.where(p["b2b"], 0.0, act_cost(total, "commandement_de_payer", s))
    ) * vat
    fee32 = a444_32_fee(total + x_total, s) * vat
    return {
        "ok": legal_ok,
        "G": o + x + share * (acts - fee32),
        "En": share * acts,
        "d": _discount(months, s),
        "cost": share * (acts + fee32),
    }
