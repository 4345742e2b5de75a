"""The team lead's summaries of a call queue: headline, exclusions by reason, letters."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from recovery_analytics.queue._debtors import EXCLUSION_REASONS, _reason_labels
from recovery_analytics.queue._escalation import _action_labels
from recovery_analytics.queue._queue import CallQueue

__all__ = [
    "QUEUE_HEADLINE_LABELS_FR",
    "call_value_notes",
    "excluded_by_reason",
    "letters_by_action",
    "queue_headline",
    "queue_headline_figures",
]


#: The figures of :func:`queue_headline_figures` as team leads read them, in report order.
QUEUE_HEADLINE_LABELS_FR: dict[str, str] = {
    "debtors_in_queue": "Débiteurs à appeler",
    "queue_outstanding_eur": "Encours échu de la file",
    "queue_expected_recovery_eur": "Euros attendus (modèle)",
    "expected_call_eur": "Gain attendu des appels",
    "excluded_debtors": "Débiteurs écartés",
    "contacts_to_check": "Coordonnées à vérifier",
    "disputes_to_resolve": "Litiges à résoudre",
    "letters_to_send": "Courriers à envoyer",
    "late_letters": "Courriers en retard",
}


# ----------------------------------------------------------------------------- report figures
def excluded_by_reason(cq: CallQueue, lang: str = "fr") -> pd.DataFrame:
    """Debtors left out of the queue, counted by reason (no personal data).

    Returns
    -------
    pandas.DataFrame
        ``reason, reason_label, debtors, total_outstanding_eur``, in the order
        of :data:`~recovery_analytics.queue.EXCLUSION_REASONS`, reasons
        with no debtor left out.
    """
    g = cq.excluded.groupby("reason")
    out = pd.DataFrame(
        {"debtors": g.size(), "total_outstanding_eur": g["total_outstanding_eur"].sum()}
    )
    out = out.reindex([r for r in EXCLUSION_REASONS if r in out.index])
    out["reason_label"] = out.index.map(_reason_labels(lang)).astype("str")
    out.index.name = "reason"
    return out.reset_index()[["reason", "reason_label", "debtors", "total_outstanding_eur"]]


def letters_by_action(cq: CallQueue, lang: str = "fr") -> pd.DataFrame:
    """Letters, emails and formal notices of the week, counted by action and channel.

    Returns
    -------
    pandas.DataFrame
        ``action, channel, label, debtors, claims, late, total_outstanding_eur``.
    """
    g = cq.letters.groupby(["action", "channel"], sort=True)
    out = pd.DataFrame(
        {
            "debtors": g.size(),
            "claims": g["n_claims"].sum(),
            "late": g["late"].sum(),
            "total_outstanding_eur": g["total_outstanding_eur"].sum(),
        }
    ).reset_index()
    out.insert(2, "label", out["action"].map(_action_labels(lang)).astype("str"))
    return out.astype({"late": "int64"})


def queue_headline(cq: CallQueue, totals: pd.DataFrame | None = None) -> dict:
    """Headline figures of the week's queue (numbers only, no personal data).

    ``totals`` is :func:`~recovery_analytics.queue.backtest_totals` output;
    its figures are added under ``backtest``.

    Examples
    --------
    >>> from recovery_analytics.demo import generate_demo
    >>> from recovery_analytics.queue import build_call_queue
    >>> cq = build_call_queue(generate_demo(100, seed=1), None, "2026-06-30", collectors=1,
    ...                       calls_per_collector=3)
    >>> queue_headline(cq)["debtors_in_queue"]
    3
    """
    q = cq.queue
    caps = cq.summary["capacity_calls"]
    out: dict = {
        "as_of": cq.as_of.date().isoformat(),
        "collectors": len(cq.summary),
        "calls_capacity": None if caps.isna().all() else int(caps.sum()),
        "debtors_in_queue": len(q),
        "queue_outstanding_eur": round(float(q["total_outstanding_eur"].sum()), 2),
        "queue_expected_recovery_eur": round(float(q["expected_recovery_eur"].sum()), 2),
        "expected_call_eur": round(float(q["call_eur"].sum()), 2),
        "expected_minutes": round(float(q["expected_minutes"].sum()), 1),
        "excluded_debtors": len(cq.excluded),
        "contacts_to_check": len(cq.contact_to_check),
        "disputes_to_resolve": len(cq.disputes),
        "letters_to_send": len(cq.letters),
        "call_value_method": cq.parameters.get("call_value_method", "age_bucket_lift"),
        "call_value_fallback": cq.parameters.get("call_value_fallback"),
        "call_value_check": cq.parameters.get("call_value_check"),
        "channels": cq.parameters.get("channels", {}),
    }
    if cq.effects is not None and cq.effects.diagnostics:
        out["call_effects"] = {
            k: (round(v, 4) if isinstance(v, float) else v)
            for k, v in cq.effects.diagnostics.items()
        }
    if totals is not None and len(totals):
        t = totals.set_index("policy")
        bt: dict = {"weeks": int(t["weeks"].max())}
        for col in [c for c in t.columns if c.startswith("collected_")]:
            h = col.removeprefix("collected_").removesuffix("_eur")
            for policy in t.index:
                bt[f"{policy}_{h}_eur"] = round(float(t.loc[policy, col]), 2)
            for policy in t.index.drop("queue", errors="ignore"):
                ratio = t.loc[policy, f"queue_ratio_{h}"]
                bt[f"ratio_vs_{policy}_{h}"] = None if pd.isna(ratio) else round(float(ratio), 4)
        out["backtest"] = bt
    return out


def queue_headline_figures(cq: CallQueue) -> dict[str, Any]:
    """The week's headline figures under their French labels, for the report's cards.

    For :func:`~recovery_analytics.reports.headline_cards`: label -> value in
    the order of :data:`QUEUE_HEADLINE_LABELS_FR`; the values are those of
    :func:`queue_headline` (so of ``summary.json``), plus ``late_letters``,
    the letters of :attr:`CallQueue.letters` that were due before ``as_of``.
    Counts are ``int`` and amounts ``float``, as ``headline_cards`` expects.

    Examples
    --------
    >>> from recovery_analytics.demo import generate_demo
    >>> from recovery_analytics.queue import build_call_queue
    >>> cq = build_call_queue(generate_demo(100, seed=1), None, "2026-06-30", collectors=1,
    ...                       calls_per_collector=3)
    >>> figures = queue_headline_figures(cq)
    >>> list(figures)[:2], figures["Débiteurs à appeler"]
    (['Débiteurs à appeler', 'Encours échu de la file'], 3)
    """
    headline = queue_headline(cq) | {"late_letters": int(cq.letters["late"].sum())}
    return {label: headline[key] for key, label in QUEUE_HEADLINE_LABELS_FR.items()}


_FR_CHANNEL = {"call": "appels", "letter": "lettres", "formal_notice": "mises en demeure"}
_FR_DONE = {"called": "appelées", "sent a letter": "relancées par lettre",
            "sent a formal notice": "mises en demeure"}  # fmt: skip
_FR_NOUN = {"calls": "aucun appel", "letters": "aucune lettre",
            "formal notices": "aucune mise en demeure"}  # fmt: skip


def _fr_int(text: str) -> str:
    """A signed whole number written the French way (narrow spaces between thousands)."""
    return f"{int(text):+,}".replace(",", "\u202f")


def _reason_fr(reason: str) -> str:
    """The French wording of a reason written by the learner or the channel check."""
    m = re.fullmatch(r"no (.+) logged in the history", reason)
    if m:
        return f"{_FR_NOUN.get(m[1], m[1])} dans l'historique"
    m = re.fullmatch(
        r"only (\d+) claim-weeks (.+) in the history \(at least (\d+) needed\)", reason
    )
    if m:
        return (f"seulement {m[1]} créances-semaines {_FR_DONE.get(m[2], m[2])} dans "
                f"l'historique (il en faut {m[3]})")  # fmt: skip
    m = re.fullmatch(r"only (\d+) claim-weeks not (.+) in the history: all were", reason)
    if m:
        return (
            f"seulement {m[1]} créances-semaines non {_FR_DONE.get(m[2], m[2])} : toutes l'ont été"
        )
    m = re.fullmatch(
        r"not estimable: (\d+)% of today's claims outside the history's overlap", reason
    )
    if m:
        return f"non estimable : {m[1]} % des créances du jour hors du recouvrement de l'historique"
    m = re.fullmatch(
        r"learned effects do not beat largest first on the history: doubly robust difference "
        r"(\S+) EUR a week \[(\S+); (\S+)\] over (\d+) weeks at (\d+) calls",
        reason,
    )
    if m:
        return (
            "les effets appris ne font pas mieux que « plus gros d'abord » sur l'historique : "
            f"écart doublement robuste {_fr_int(m[1])} € par semaine [{_fr_int(m[2])} ; "
            f"{_fr_int(m[3])}] sur {m[4]} "
            f"semaines à {m[5]} appels"
        )
    m = re.fullmatch(r"not estimable: (.+)", reason)
    if m:
        return "non estimable : " + _reason_fr(m[1])
    return {"learned": "apprise de l'historique",
            "not estimated (call effects not learned)": "non estimée (effets des appels non "
            "appris)"}.get(reason, reason)  # fmt: skip


def call_value_notes(cq: CallQueue, lang: str = "fr") -> dict[str, str]:
    """How calls, letters and formal notices were valued, in words (for the report and CLI).

    Returns
    -------
    dict
        ``call`` (learned effects, or the age-bucket lift and why), ``letter``
        and ``formal_notice`` (learned and used, or why not), in French
        (``lang="fr"``) or English.

    Examples
    --------
    >>> from recovery_analytics.demo import generate_demo
    >>> from recovery_analytics.queue import build_call_queue
    >>> cq = build_call_queue(generate_demo(100, seed=1), None, "2026-06-30", collectors=1,
    ...                       calls_per_collector=3)
    >>> call_value_notes(cq)["call"].startswith("Appels valorisés par le lift")
    True
    """
    p = cq.parameters
    fr = lang == "fr"
    if p.get("call_value_method", "age_bucket_lift") == "age_bucket_lift":
        why = p.get("call_value_fallback") or "call effects not asked for"
        call = (
            f"Appels valorisés par le lift par tranche d'âge (repli : {_reason_fr(why)}) ; "
            "le classement n'est pas appris de l'effet des appels."
            if fr
            else f"Calls valued by the age-bucket lift (fallback: {why}); the ranking is not "
            "learned from who calls move."
        )
    else:
        call = (
            "Appels valorisés par leurs euros en plus, appris de l'historique des appels "
            "(X-learner)."
            if fr
            else "Calls valued by their incremental euros learned from the call history "
            "(X-learner)."
        )
    out = {"call": call}
    for channel in ("letter", "formal_notice"):
        note = p.get("channels", {}).get(channel, "not estimated (call effects not learned)")
        out[channel] = _reason_fr(note) if fr else note
    return out
