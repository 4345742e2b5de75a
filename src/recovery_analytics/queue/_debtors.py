"""The call queue's claim and debtor frames, value of a call and eligibility (private).

Used by :func:`~recovery_analytics.queue.build_call_queue`;
:data:`EXCLUSION_REASONS` is public from :mod:`recovery_analytics.queue`. One
row per open claim with its next action and lift (:func:`_claims`), one row per
debtor with an overdue open claim (:func:`_debtors`): outstanding, promises,
phone, call history, the value of a call (:func:`_value`) and the first
exclusion rule that applies (:func:`_reasons`). See ``docs/call-queue.md``
sections 1 to 3.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from recovery_analytics.portfolio import Portfolio
from recovery_analytics.queue._phones import check_french_phone
from recovery_analytics.queue._value import _CALL_TYPES, _age_bucket, call_value

__all__ = ["EXCLUSION_REASONS"]

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


def _reason_labels(lang: str) -> dict[str, str]:
    """Exclusion reason -> its French (``lang="fr"``) or English label."""
    return {k: v[0 if lang == "fr" else 1] for k, v in EXCLUSION_REASONS.items()}


_ROUTED = {
    "follow_court_case": "in_court",
    "court": "routed_to_court",
    "declare_claim": "routed_to_declaration",
    "write_off": "write_off",
}


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


def _claims(open_: pd.DataFrame, actions: pd.DataFrame, uplift: pd.DataFrame):
    """Open claims with their next action, routing and lift; the overdue and callable ones."""
    cl = open_.merge(actions[["claim_id", "action", "action_date", "route"]], on="claim_id")
    cl["route_reason"] = cl["action"].map(_ROUTED).astype("str")
    cl["callable"] = cl["route_reason"].isna()
    lift = uplift.set_index("age_bucket")["lift"]
    cl["lift"] = lift.reindex(_age_bucket(cl["days_past_due"].to_numpy())).to_numpy()
    cl["insolvent"] = cl["insolvency_status"].fillna("none").astype("str") != "none"
    overdue = cl[(cl["days_past_due"] > 0).to_numpy()].reset_index(drop=True)
    callable_ = overdue[overdue["callable"].to_numpy()]
    return cl, overdue, callable_


def _any_by_debtor(flags: np.ndarray, debtor_id: pd.Series, index: pd.Index) -> pd.Series:
    by = pd.Series(flags, index=debtor_id.to_numpy()).groupby(level=0).any()
    return by.reindex(index).fillna(False).astype(bool)


def _debtors(
    portfolio: Portfolio,
    as_of: pd.Timestamp,
    state: pd.DataFrame,
    cl: pd.DataFrame,
    overdue: pd.DataFrame,
    callable_: pd.DataFrame,
) -> pd.DataFrame:
    """One row per debtor with an overdue open claim, sorted by ``debtor_id``."""
    route_rank = overdue["route_reason"].map({r: i for i, r in enumerate(EXCLUSION_REASONS)})
    g = overdue.assign(route_rank=route_rank.astype("float64")).groupby("debtor_id", sort=True)
    deb = pd.DataFrame(
        {
            "open_claims": g.size(),
            "total_outstanding_eur": g["outstanding_eur"].sum().round(2),
            "oldest_days_past_due": g["days_past_due"].max(),
            "insolvent": g["insolvent"].any(),
            "route_rank": g["route_rank"].min(),
        }
    )
    deb["dispute"] = _any_by_debtor(cl["open_dispute"].to_numpy(bool), cl["debtor_id"], deb.index)
    gc = callable_.groupby("debtor_id", sort=True)
    deb["callable_claims"] = gc.size().reindex(deb.index).fillna(0).astype("int64")
    deb["callable_outstanding_eur"] = gc["outstanding_eur"].sum().reindex(deb.index).fillna(0.0)
    deb["pending"] = gc["promise_pending"].any().reindex(deb.index).fillna(False).astype(bool)
    deb["next_promise_date"] = gc["next_promise_date"].min().reindex(deb.index)
    deb["promised_eur_pending"] = gc["promised_eur_pending"].sum().reindex(deb.index).fillna(0.0)
    broken = callable_["n_promises_broken"].to_numpy() > 0
    deb["broken_promise"] = _any_by_debtor(broken, callable_["debtor_id"], deb.index)
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
    return deb.reset_index().astype({"debtor_id": "str"})


def _value(
    deb: pd.DataFrame,
    callable_: pd.DataFrame,
    uplift: pd.DataFrame,
    minutes_map: Mapping[str, float],
    **costs: float,
) -> pd.DataFrame:
    """``deb`` with its reach rate, talk minutes and :func:`call_value` columns."""
    reach_prior = float(uplift["reach_rate"].iloc[-1]) if len(uplift) else 0.45
    deb = deb.assign(reach_rate=(deb["reached"] + 2.0 * reach_prior) / (deb["dials"] + 2.0))
    deb["talk_minutes"] = _minutes(deb, minutes_map) + np.minimum(
        0.5 * (deb["callable_claims"].clip(lower=1) - 1), 10.0
    )
    cols = ["debtor_id", "outstanding_eur", "expected_recovery_eur", "lift"]
    val = call_value(
        callable_[cols + (["effect_eur"] if "effect_eur" in callable_ else [])],
        deb[["debtor_id", "reach_rate", "talk_minutes", "broken_promise"]],
        **costs,
    )
    return deb.merge(val, on="debtor_id", how="left")


def _reasons(
    deb: pd.DataFrame, as_of: pd.Timestamp, cooloff_days: int, max_attempts_30d: int
) -> np.ndarray:
    """The first rule of :data:`EXCLUSION_REASONS` (up to ``not_worth_a_call``) or None."""
    since_call = (as_of - deb["last_call_date"]).dt.days
    route_reason = np.asarray(list(EXCLUSION_REASONS), dtype=object)[
        deb["route_rank"].fillna(0).astype(int).to_numpy()
    ]
    rules = [
        (deb["insolvent"], "insolvency"),
        (deb["callable_claims"] == 0, route_reason),
        (deb["dispute"], "open_dispute"),
        (deb["phone_status"] == "missing", "contact_missing"),
        (deb["phone_status"] == "malformed", "contact_malformed"),
        (deb["pending"], "promise_pending"),
        ((since_call < cooloff_days).fillna(False), "cooled_off"),
        (deb["calls_30d"] >= max_attempts_30d, "too_many_attempts"),
        (deb["net_eur"] <= 0, "not_worth_a_call"),
    ]
    conds = [c.to_numpy(dtype=bool) for c, _ in rules]
    return np.select(conds, [r for _, r in rules], None).astype(object)


def _channels(
    deb: pd.DataFrame, callable_: pd.DataFrame, channel_fx: Mapping, costs: Mapping[str, float]
) -> tuple[pd.DataFrame, dict[str, str]]:
    """``deb`` with ``letter_eur``, ``formal_notice_eur`` and ``best_channel``; what was usable.

    A channel's learned effect is used only where the history allows it: the
    learner was fitted and at least half of today's claims lie inside its
    overlap; otherwise its euros are NA and the note says why.
    """
    deb = deb.copy()
    notes: dict[str, str] = {}
    best = pd.Series("call", index=deb.index, dtype="str")
    best_net = deb["net_eur"].astype("float64").fillna(-np.inf)
    for channel in ("letter", "formal_notice"):
        deb[f"{channel}_eur"] = np.nan
        fx = channel_fx.get(channel)
        if fx is None:
            notes[channel] = "not estimated (call effects not learned)"
            continue
        if fx.method == "age_bucket_lift":
            notes[channel] = f"not estimable: {fx.fallback_reason}"
            continue
        outside = float((~fx.claims["overlap"]).mean()) if len(fx.claims) else 1.0
        if outside > 0.5:
            notes[channel] = (
                f"not estimable: {outside:.0%} of today's claims outside the history's overlap"
            )
            continue
        eff = fx.claims.set_index("claim_id")["effect_eur"]
        per_claim = eff.reindex(callable_["claim_id"]).fillna(0.0).to_numpy()
        by = pd.Series(per_claim, index=callable_["debtor_id"].to_numpy()).groupby(level=0).sum()
        deb[f"{channel}_eur"] = by.reindex(deb["debtor_id"]).fillna(0.0).to_numpy()
        net = deb[f"{channel}_eur"] - float(costs[channel])
        better = (net > best_net).to_numpy()
        best = best.where(~better, channel)
        best_net = best_net.where(~better, net)
        notes[channel] = "learned"
    deb["best_channel"] = best
    return deb, notes
