"""The feature table of the amicable model (used by ``_catalog``).

:class:`Feature` and :data:`FEATURES` (every feature the model may use, with
its plain-language names and reason templates) are defined here and
public from :mod:`recovery_analytics.amicable`; ``_catalog`` describes the
templates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["FEATURES", "Feature"]


@dataclass(frozen=True)
class Feature:
    """One model feature.

    Attributes
    ----------
    name : str
        Column name in the model matrix.
    kind : {"numeric", "categorical"}
    name_fr, name_en : str
        Plain-language names (documentation, model card, plots).
    templates : dict
        ``{"fr": {...}, "en": {...}}`` reason templates (see
        :mod:`recovery_analytics.amicable`).
    source : str
        State column(s) the feature is computed from (documentation and the
        missing-column error message).
    labels : dict
        Optional category -> display label, per language.
    scale : float
        Display multiplier in reasons (100 for shares shown as percentages).
    """

    name: str
    kind: str
    name_fr: str
    name_en: str
    templates: dict[str, dict[str, str]]
    source: str = ""
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    scale: float = 1.0


def _num(name, name_fr, name_en, fr, en, source=None, scale=1.0):
    return Feature(
        name, "numeric", name_fr, name_en, {"fr": fr, "en": en}, source or name, {}, scale
    )


def _cat(name, name_fr, name_en, fr, en, source=None, labels=None):
    return Feature(
        name, "categorical", name_fr, name_en, {"fr": fr, "en": en}, source or name, labels or {}
    )


def _counts(fr_zero, fr_one, fr_many, en_zero, en_one, en_many, nan_fr=None, nan_en=None):
    fr = {"zero": fr_zero, "one": fr_one, "many": fr_many}
    en = {"zero": en_zero, "one": en_one, "many": en_many}
    if nan_fr is not None:
        fr["nan"], en["nan"] = nan_fr, nan_en
    return fr, en


_SECTIONS_FR = {
    "A": "agriculture",
    "B": "industries extractives",
    "C": "industrie",
    "D": "énergie",
    "E": "eau et déchets",
    "F": "construction",
    "G": "commerce",
    "H": "transports",
    "I": "hébergement-restauration",
    "J": "information-communication",
    "K": "finance-assurance",
    "L": "immobilier",
    "M": "activités spécialisées",
    "N": "services administratifs",
    "O": "administration publique",
    "P": "enseignement",
    "Q": "santé",
    "R": "arts et loisirs",
    "S": "autres services",
    "T": "ménages employeurs",
    "U": "extra-territorial",
}
_SECTIONS_EN = {
    "A": "agriculture",
    "B": "mining",
    "C": "manufacturing",
    "D": "energy",
    "E": "water and waste",
    "F": "construction",
    "G": "trade",
    "H": "transport",
    "I": "hotels and restaurants",
    "J": "information and communication",
    "K": "finance and insurance",
    "L": "real estate",
    "M": "professional services",
    "N": "administrative services",
    "O": "public administration",
    "P": "education",
    "Q": "health",
    "R": "arts and leisure",
    "S": "other services",
    "T": "households",
    "U": "extra-territorial",
}

#: All features the model knows, in matrix order.
FEATURES: tuple[Feature, ...] = (
    _num("amount", "montant de la facture", "invoice amount",
         *_counts("facture de 0 €", "facture de {n} €", "facture de {n} €",
                  "invoice of 0 EUR", "invoice of {n} EUR", "invoice of {n} EUR")),
    _num("outstanding_eur", "reste dû", "amount outstanding",
         *_counts("rien à payer", "reste {n} € à payer", "reste {n} € à payer",
                  "nothing due", "{n} EUR still due", "{n} EUR still due")),
    _num("outstanding_share", "part restant due (%)", "share still due (%)",
         *_counts("facture soldée", "{n} % de la facture encore dû",
                  "{n} % de la facture encore dû",
                  "invoice settled", "{n}% of the invoice still due",
                  "{n}% of the invoice still due"),
         source="outstanding_eur, amount"),
    _num("days_past_due", "jours de retard", "days past due",
         {"zero": "échue aujourd'hui", "one": "en retard de {n} jour",
          "many": "en retard de {n} jours", "nan": "échéance inconnue",
          "neg": "pas encore échue (dans {n} jours)"},
         {"zero": "due today", "one": "{n} day overdue", "many": "{n} days overdue",
          "nan": "unknown due date", "neg": "not yet due (in {n} days)"}),
    _num("payment_terms_days", "délai de paiement accordé", "payment terms",
         *_counts("paiement comptant", "délai de paiement de {n} jour",
                  "délai de paiement de {n} jours", "cash payment terms",
                  "payment terms of {n} day", "payment terms of {n} days")),
    _num("stage_rank", "étape de relance atteinte", "escalation stage reached",
         {"levels": ["aucune relance encore", "au stade des relances écrites",
                     "déjà relancé par téléphone", "visite déjà faite",
                     "mise en demeure envoyée", "procédure judiciaire engagée",
                     "jugement obtenu", "en exécution forcée"]},
         {"levels": ["not chased yet", "at the written-reminder stage", "already chased by phone",
                     "already visited", "formal notice sent", "court action started",
                     "judgment obtained", "under enforcement"]}),
    _num("n_reminders", "relances écrites", "written reminders",
         *_counts("aucune relance écrite", "1 relance écrite", "{n} relances écrites",
                  "no written reminder", "1 written reminder", "{n} written reminders")),
    _num("n_call_attempts", "appels passés", "calls made",
         *_counts("jamais appelé", "1 appel passé", "{n} appels passés",
                  "never called", "1 call made", "{n} calls made")),
    _num("n_calls_reached", "appels aboutis", "calls answered",
         *_counts("jamais joint au téléphone", "joint 1 fois au téléphone",
                  "joint {n} fois au téléphone", "never reached by phone",
                  "reached once by phone", "reached {n} times by phone")),
    _num("n_promises", "promesses de paiement", "promises to pay",
         *_counts("aucune promesse de paiement", "1 promesse de paiement",
                  "{n} promesses de paiement", "no promise to pay", "1 promise to pay",
                  "{n} promises to pay")),
    _num("n_promises_kept", "promesses tenues", "promises kept",
         *_counts("aucune promesse tenue", "1 promesse tenue", "{n} promesses tenues",
                  "no promise kept", "1 promise kept", "{n} promises kept")),
    _num("n_promises_broken", "promesses non tenues", "broken promises",
         *_counts("aucune promesse non tenue", "1 promesse non tenue", "{n} promesses non tenues",
                  "no broken promise", "1 broken promise", "{n} broken promises")),
    _num("promise_pending", "promesse en cours", "promise pending",
         *_counts("pas de promesse en cours", "promesse de paiement en cours",
                  "promesse de paiement en cours", "no promise pending", "a promise is pending",
                  "a promise is pending")),
    _num("promised_eur_pending", "montant promis en attente", "amount promised, pending",
         *_counts("rien de promis en attente", "{n} € promis en attente",
                  "{n} € promis en attente", "nothing promised pending",
                  "{n} EUR promised, pending", "{n} EUR promised, pending")),
    _num("days_since_last_action", "jours depuis la dernière relance", "days since last action",
         *_counts("relancé aujourd'hui", "relancé il y a 1 jour", "aucune relance depuis {n} jours",
                  "chased today", "chased 1 day ago", "no action for {n} days",
                  nan_fr="jamais relancé", nan_en="never chased")),
    _num("days_since_last_contact", "jours depuis le dernier contact",
         "days since last contact",
         *_counts("contact aujourd'hui", "contact il y a 1 jour", "aucun contact depuis {n} jours",
                  "contact today", "contact 1 day ago", "no contact for {n} days",
                  nan_fr="jamais eu de contact", nan_en="never in contact")),
    _num("days_since_last_payment", "jours depuis le dernier paiement",
         "days since last payment",
         *_counts("a payé aujourd'hui", "a payé il y a 1 jour", "dernier paiement il y a {n} jours",
                  "paid today", "paid 1 day ago", "last payment {n} days ago",
                  nan_fr="aucun paiement reçu", nan_en="no payment received"),
         source="last_payment_date"),
    _num("n_payments", "paiements reçus", "payments received",
         *_counts("aucun paiement reçu", "1 paiement partiel reçu", "{n} paiements partiels reçus",
                  "no payment received", "1 part payment received",
                  "{n} part payments received")),
    _num("open_dispute", "litige ouvert", "open dispute",
         *_counts("pas de litige", "litige ouvert", "litige ouvert",
                  "no dispute", "dispute open", "dispute open")),
    _num("dispute_age_days", "ancienneté du litige", "age of the dispute",
         *_counts("litige ouvert aujourd'hui", "litige ouvert depuis 1 jour",
                  "litige ouvert depuis {n} jours", "dispute opened today",
                  "dispute open for 1 day", "dispute open for {n} days",
                  nan_fr="pas de litige daté", nan_en="no dated dispute")),
    _num("n_formal_notices", "mises en demeure", "formal notices",
         *_counts("pas de mise en demeure", "1 mise en demeure envoyée",
                  "{n} mises en demeure envoyées", "no formal notice", "1 formal notice sent",
                  "{n} formal notices sent")),
    _num("debtor_open_exposure_eur", "encours total du débiteur", "debtor's total exposure",
         *_counts("aucun autre encours", "encours total du débiteur {n} €",
                  "encours total du débiteur {n} €", "no other exposure",
                  "debtor owes {n} EUR in total", "debtor owes {n} EUR in total")),
    _num("debtor_open_claims", "factures ouvertes du débiteur", "debtor's open invoices",
         *_counts("aucune facture ouverte", "1 seule facture ouverte", "{n} factures ouvertes",
                  "no open invoice", "a single open invoice", "{n} open invoices")),
    _num("debtor_hist_claims", "factures passées du débiteur", "debtor's past invoices",
         *_counts("nouveau client, pas d'historique", "1 facture réglée par le passé",
                  "{n} factures réglées par le passé", "new customer, no history",
                  "1 invoice settled in the past", "{n} invoices settled in the past")),
    _num("debtor_hist_share_late", "part des factures payées en retard",
         "share of invoices paid late",
         *_counts("a toujours payé à l'heure", "{n} % des factures payées en retard",
                  "{n} % des factures payées en retard", "always paid on time",
                  "{n}% of invoices paid late", "{n}% of invoices paid late",
                  nan_fr="pas d'historique de paiement", nan_en="no payment history"),
         scale=100.0),
    _num("debtor_hist_median_days_late", "retard habituel du débiteur",
         "debtor's usual delay",
         *_counts("paie d'habitude à l'échéance", "paie d'habitude à 1 jour",
                  "paie d'habitude à {n} jours", "usually pays on the due date",
                  "usually pays 1 day late", "usually pays {n} days late",
                  nan_fr="pas d'historique de paiement", nan_en="no payment history")),
    _num("debtor_hist_mean_days_late", "retard moyen du débiteur", "debtor's average delay",
         *_counts("paie en moyenne à l'échéance", "paie en moyenne à 1 jour",
                  "paie en moyenne à {n} jours", "pays on the due date on average",
                  "pays 1 day late on average", "pays {n} days late on average",
                  nan_fr="pas d'historique de paiement", nan_en="no payment history")),
    _num("debtor_hist_promises_kept_ratio", "part des promesses tenues par le passé",
         "share of past promises kept",
         *_counts("n'a jamais tenu ses promesses", "{n} % des promesses passées tenues",
                  "{n} % des promesses passées tenues", "never kept a promise",
                  "{n}% of past promises kept", "{n}% of past promises kept",
                  nan_fr="pas d'historique de promesse", nan_en="no promise history"),
         scale=100.0),
    _num("debtor_hist_written_off", "factures du débiteur passées en perte",
         "debtor's invoices written off",
         *_counts("aucune facture passée en perte", "1 facture déjà passée en perte",
                  "{n} factures déjà passées en perte", "no invoice written off",
                  "1 invoice already written off", "{n} invoices already written off")),
    _num("debtor_hist_share_partial", "part des factures payées en plusieurs fois",
         "share of invoices paid in instalments",
         *_counts("paie d'habitude en une fois", "{n} % des factures payées en plusieurs fois",
                  "{n} % des factures payées en plusieurs fois", "usually pays in one go",
                  "{n}% of invoices paid in instalments", "{n}% of invoices paid in instalments",
                  nan_fr="pas d'historique de paiement", nan_en="no payment history"),
         scale=100.0),
    _cat("debtor_type", "type de débiteur", "debtor type",
         {"value": "{v}"}, {"value": "{v}"},
         labels={"fr": {"B2B": "client professionnel", "B2C": "client particulier"},
                 "en": {"B2B": "business customer", "B2C": "consumer"}}),
    _cat("sector", "secteur d'activité", "sector",
         {"value": "secteur : {v}", "nan": "secteur inconnu"},
         {"value": "sector: {v}", "nan": "unknown sector"},
         source="naf_code", labels={"fr": _SECTIONS_FR, "en": _SECTIONS_EN}),
    _cat("department", "département", "département",
         {"value": "département {v}", "nan": "département inconnu"},
         {"value": "département {v}", "nan": "unknown département"}),
    _cat("insolvency_status", "procédure collective", "insolvency proceedings",
         {"value": "procédure collective : {v}"}, {"value": "insolvency: {v}"},
         labels={"fr": {"none": "aucune", "sauvegarde": "sauvegarde",
                        "redressement": "redressement judiciaire",
                        "liquidation": "liquidation judiciaire"},
                 "en": {"none": "none", "sauvegarde": "safeguard",
                        "redressement": "receivership", "liquidation": "liquidation"}}),
)  # fmt: skip

_BY_NAME = {f.name: f for f in FEATURES}
