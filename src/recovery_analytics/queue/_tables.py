"""The call queue's output tables and their French and English wording (private).

Used by :func:`~recovery_analytics.queue.build_call_queue` (:data:`QUEUE_COLUMNS`
is public from :mod:`recovery_analytics.queue`): the ranked queue with suggested action and
talking points, the claims behind each line, the excluded debtors with their
reason and detail, the disputes, contact details to check and letters of the
week, and the per-collector summary. Columns: ``docs/call-queue.md``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from recovery_analytics.queue._debtors import EXCLUSION_REASONS, _reason_labels
from recovery_analytics.queue._escalation import LETTER_ACTIONS, _action_labels
from recovery_analytics.queue._phones import format_french_phone

__all__ = ["QUEUE_COLUMNS"]

#: Columns of ``CallQueue.queue``.
QUEUE_COLUMNS: tuple[str, ...] = (
    "rank", "collector", "collector_rank", "debtor_id", "name", "phone", "email",
    "debtor_type", "segment", "open_claims", "invoices", "total_outstanding_eur",
    "oldest_days_past_due",
    "p_amicable", "expected_recovery_eur", "call_eur", "expected_minutes", "net_eur",
    "value_per_minute", "reach_rate", "broken_promise", "suggested_action", "talking_points",
    "last_contact_date", "promises", "previous_collector",
)  # fmt: skip
_DEBTOR_COLUMNS = (
    "debtor_id", "open_claims", "total_outstanding_eur", "oldest_days_past_due",
    "callable_claims", "callable_outstanding_eur", "p_amicable", "expected_recovery_eur",
    "reach_rate", "call_eur", "net_eur", "value_per_minute", "letter_eur", "formal_notice_eur",
    "best_channel", "reason", "collector",
)  # fmt: skip
_ORDER = {"reminder_letter": 1, "call": 2, "second_letter": 3, "visit": 4, "formal_notice": 5,
          "agency": 6}  # fmt: skip


_TEXT = {
    "fr": {
        "call": "Appeler",
        "broken": "Appeler : promesse non tenue",
        "then": " ; ensuite : ",
        "better": {
            "letter": "une lettre rapporterait plus que l'appel",
            "formal_notice": "une mise en demeure rapporterait plus que l'appel",
        },
        "none": "aucune",
        "promises": " promesse(s) : ",
        "kept": " tenue(s), ",
        "broken_n": " non tenue(s)",
        "pending": " ; en attente ",
        "on": " au ",
        "claims": " facture(s), la plus ancienne à ",
        "invoice": "facture ",
        "days": " jours",
        "last_call": "dernier appel le ",
        "calls_30d": " appels en 30 jours",
    },
    "en": {
        "call": "Call",
        "broken": "Call: broken promise",
        "then": "; next: ",
        "better": {
            "letter": "a letter would bring more than the call",
            "formal_notice": "a formal notice would bring more than the call",
        },
        "none": "none",
        "promises": " promise(s): ",
        "kept": " kept, ",
        "broken_n": " broken",
        "pending": "; pending ",
        "on": " on ",
        "claims": " invoice(s), oldest ",
        "invoice": "invoice ",
        "days": " days past due",
        "last_call": "last call on ",
        "calls_30d": " calls in 30 days",
    },
}


def _fmt_dates(values: pd.Series, lang: str) -> pd.Series:
    d = pd.to_datetime(values)
    return d.dt.strftime("%d/%m/%Y" if lang == "fr" else "%Y-%m-%d").astype("str")


def _fmt_eur(values: pd.Series) -> pd.Series:
    return values.round(0).astype("int64").astype("str") + " €"


def _pending_text(d: pd.DataFrame, lang: str) -> pd.Series:
    """``1200 € au 04/07/2026``: the euros promised and the next promised date."""
    amount = _fmt_eur(d["promised_eur_pending"].fillna(0)) + _TEXT[lang]["on"]
    return amount + _fmt_dates(d["next_promise_date"], lang)


def _promise_text(d: pd.DataFrame, lang: str) -> pd.Series:
    t = _TEXT[lang]
    text = (
        d["n_promises"].astype("int64").astype("str") + t["promises"]
        + d["n_promises_kept"].astype("int64").astype("str") + t["kept"]
        + d["n_promises_broken"].astype("int64").astype("str") + t["broken_n"]
    )  # fmt: skip
    text = text.where(d["n_promises"] > 0, t["none"])
    pending = t["pending"] + _pending_text(d, lang)
    return text.where(~d["pending"].astype(bool), text + pending).astype("str")


def _queue_table(q, callable_, overdue, model, open_, lang, with_reasons) -> pd.DataFrame:
    t = _TEXT[lang]
    q = q.reset_index(drop=True)
    mine = callable_[callable_["debtor_id"].isin(q["debtor_id"]).to_numpy()]
    q["oldest_days_past_due"] = (
        mine.groupby("debtor_id")["days_past_due"].max().reindex(q["debtor_id"]).to_numpy()
    )
    q["open_claims"] = q["callable_claims"]
    ids = mine.sort_values(["debtor_id", "claim_id"], kind="stable").groupby("debtor_id")
    q["invoices"] = ids["claim_id"].agg(", ".join).reindex(q["debtor_id"]).astype("str").to_numpy()
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
    labels = _action_labels(lang)
    base = pd.Series(np.where(q["broken_promise"], t["broken"], t["call"]), dtype="str")
    nxt = pd.Series(top_action.map(labels).to_numpy(), dtype="str")
    follow = (top_action.to_numpy() != "call") & nxt.notna().to_numpy()
    q["suggested_action"] = base.where(~follow, base + t["then"] + nxt)
    if "best_channel" in q:  # a letter or a formal notice would bring more than the call
        other = q["best_channel"].astype("str").map(t["better"])
        q["suggested_action"] = q["suggested_action"].where(
            other.isna(), q["suggested_action"] + " ; " + other
        )
    q["promises"] = _promise_text(q, lang)
    points = (
        q["open_claims"].astype("str") + t["claims"]
        + q["oldest_days_past_due"].astype("int64").astype("str") + t["days"]
    )  # fmt: skip
    points = points.where(q["n_promises"] == 0, points + " ; " + q["promises"])
    if with_reasons and model is not None and len(q):
        why = _model_reasons(q["debtor_id"], mine, open_, model, lang)
        points = (why + " ; " + points).fillna(points)
    q["talking_points"] = points.astype("str")
    return q[list(QUEUE_COLUMNS)].astype(
        {"rank": "int64", "collector_rank": "int64", "open_claims": "int64",
         "oldest_days_past_due": "int64", "broken_promise": "bool"}
    )  # fmt: skip


def _model_reasons(debtor_id, mine, open_, model, lang) -> pd.Series:
    """The model's top 3 reasons for each debtor's claim with the most expected euros.

    Prefixed with that claim's id (``"facture F0042 : + ... ; − ..."``).
    """
    top = mine.sort_values(
        ["debtor_id", "expected_recovery_eur", "claim_id"],
        ascending=[True, False, True],
        kind="stable",
    ).drop_duplicates("debtor_id")
    rows = open_.set_index("claim_id").loc[top["claim_id"]].reset_index()
    long = model.explain(rows, top=3, lang=lang)
    text = (long["effect"] + " " + long["reason"]).groupby(long["claim_id"]).agg(" ; ".join)
    # The model's reasons are about one invoice (the debtor's largest expected
    # euros): say which, so that "no contact" on it is not read as the debtor's.
    text = _TEXT[lang]["invoice"] + text.index.to_series() + " : " + text
    why = pd.Series(
        text.reindex(top["claim_id"]).to_numpy(), index=top["debtor_id"].to_numpy()
    ).reindex(debtor_id)
    return pd.Series(why.to_numpy(), dtype="str")


def _claims_table(queue: pd.DataFrame, overdue: pd.DataFrame) -> pd.DataFrame:
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
    labels = _reason_labels(lang)
    ex["reason_label"] = ex["reason"].map(labels).astype("str")
    r = ex["reason"].to_numpy(dtype=object)
    promise = _pending_text(ex, lang)
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
