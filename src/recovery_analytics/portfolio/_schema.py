"""The portfolio contract: canonical tables, their typed columns, and validation.

A portfolio is three tables (see ``DESIGN.md``):

``debtors``
    one row per debtor, keyed by ``debtor_id``.
``claims``
    one row per invoice (créance), keyed by ``claim_id``, pointing to a debtor.
``events``
    what happened to a claim and when: reminders, calls, promises, payments,
    disputes, judicial steps.

After validation every table carries the canonical columns below with fixed
dtypes; extra columns from the source are kept as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = [
    "CLAIM_COLUMNS",
    "COURT_EVENT_TYPES",
    "DEBTOR_COLUMNS",
    "DEBTOR_TYPES",
    "DEBTOR_TYPE_ALIASES",
    "EVENT_COLUMNS",
    "EVENT_TYPES",
    "EVENT_TYPES_WITH_AMOUNT",
    "EVENT_TYPE_ALIASES",
    "INSOLVENCY_ALIASES",
    "INSOLVENCY_STATUSES",
    "OPTIONAL_COLUMNS",
    "QUARANTINE_COLUMNS",
    "TABLES",
    "InputError",
    "Portfolio",
    "check_columns",
    "empty_table",
]

#: The three tables of a portfolio, in the order they are read and validated.
TABLES: tuple[str, ...] = ("debtors", "claims", "events")

DEBTOR_TYPES: tuple[str, ...] = ("B2B", "B2C")
INSOLVENCY_STATUSES: tuple[str, ...] = ("none", "sauvegarde", "redressement", "liquidation")

#: Event types of the contract, in escalation-neutral alphabetical groups.
EVENT_TYPES: tuple[str, ...] = (
    "reminder_letter",
    "reminder_email",
    "sms",
    "call_attempt",
    "call_reached",
    "promise_to_pay",
    "visit",
    "formal_notice",
    "payment",
    "credit_note",
    "dispute_opened",
    "dispute_resolved",
    "judicial_filing",
    "judgment",
    "enforcement",
    "write_off",
    "ip_request",
    "ip_order",
    "ip_service",
    "opposition",
    "summons",
    "acknowledgement",
    "claim_declaration",
)

#: Court events, in the order a case goes: any of them marks the end of the
#: amicable phase (``judicial_filing_date`` of the state is the first of them).
#: ``judicial_filing`` is the older, unspecified filing (see docs/input-format.md).
COURT_EVENT_TYPES: tuple[str, ...] = (
    "judicial_filing",
    "ip_request",
    "ip_order",
    "ip_service",
    "opposition",
    "summons",
)

#: Event types whose ``amount`` is required.
EVENT_TYPES_WITH_AMOUNT: tuple[str, ...] = ("payment", "credit_note", "promise_to_pay")

#: French (and English) spellings accepted for event types, matched case- and
#: accent-insensitively; the canonical names themselves are always accepted.
EVENT_TYPE_ALIASES: dict[str, str] = {
    "relance": "reminder_letter",
    "relance courrier": "reminder_letter",
    "lettre de relance": "reminder_letter",
    "courrier": "reminder_letter",
    "relance email": "reminder_email",
    "relance mail": "reminder_email",
    "email": "reminder_email",
    "courriel": "reminder_email",
    "texto": "sms",
    "appel": "call_attempt",
    "tentative d'appel": "call_attempt",
    "appel sans reponse": "call_attempt",
    "appel abouti": "call_reached",
    "contact telephonique": "call_reached",
    "promesse": "promise_to_pay",
    "promesse de paiement": "promise_to_pay",
    "visite": "visit",
    "mise en demeure": "formal_notice",
    "med": "formal_notice",
    "paiement": "payment",
    "reglement": "payment",
    "versement": "payment",
    "encaissement": "payment",
    "avoir": "credit_note",
    "litige": "dispute_opened",
    "contestation": "dispute_opened",
    "litige resolu": "dispute_resolved",
    "fin de litige": "dispute_resolved",
    "depot judiciaire": "judicial_filing",
    "procedure judiciaire": "judicial_filing",
    "injonction de payer": "ip_request",
    "requete en injonction de payer": "ip_request",
    "requete ip": "ip_request",
    "ordonnance": "ip_order",
    "ordonnance d'injonction de payer": "ip_order",
    "ordonnance ip": "ip_order",
    "signification": "ip_service",
    "signification de l'ordonnance": "ip_service",
    "signification ip": "ip_service",
    "opposition a injonction de payer": "opposition",
    "assignation": "summons",
    "assignation en justice": "summons",
    "reconnaissance de dette": "acknowledgement",
    "reconnaissance de dette ecrite": "acknowledgement",
    "declaration de creance": "claim_declaration",
    "jugement": "judgment",
    "execution": "enforcement",
    "saisie": "enforcement",
    "passage en perte": "write_off",
    "perte": "write_off",
    "abandon de creance": "write_off",
}

#: Accepted spellings of ``debtor_type`` (case- and accent-insensitive).
DEBTOR_TYPE_ALIASES: dict[str, str] = {
    "b2b": "B2B",
    "pro": "B2B",
    "professionnel": "B2B",
    "entreprise": "B2B",
    "societe": "B2B",
    "personne morale": "B2B",
    "business": "B2B",
    "company": "B2B",
    "b2c": "B2C",
    "particulier": "B2C",
    "consommateur": "B2C",
    "personne physique": "B2C",
    "consumer": "B2C",
    "individual": "B2C",
}

#: Accepted spellings of ``insolvency_status`` (case- and accent-insensitive; empty = none).
INSOLVENCY_ALIASES: dict[str, str] = {
    "none": "none",
    "aucun": "none",
    "aucune": "none",
    "non": "none",
    "in bonis": "none",
    "sauvegarde": "sauvegarde",
    "procedure de sauvegarde": "sauvegarde",
    "sauvegarde acceleree": "sauvegarde",
    "ps": "sauvegarde",
    "redressement": "redressement",
    "redressement judiciaire": "redressement",
    "rj": "redressement",
    "liquidation": "liquidation",
    "liquidation judiciaire": "liquidation",
    "lj": "liquidation",
}

# Canonical columns: name -> (dtype after validation, required).
# dtypes: "str" (pandas string, missing = NA), "float64", "bool",
# "datetime64[ns]" (dates normalised to midnight, missing = NaT).
DEBTOR_COLUMNS: dict[str, tuple[str, bool]] = {
    "debtor_id": ("str", True),
    "debtor_type": ("str", True),
    "name": ("str", False),
    "siren": ("str", False),
    "naf_code": ("str", False),
    "department": ("str", False),
    "phone": ("str", False),
    "email": ("str", False),
    "insolvency_status": ("str", False),
    "insolvency_date": ("datetime64[ns]", False),
}

CLAIM_COLUMNS: dict[str, tuple[str, bool]] = {
    "claim_id": ("str", True),
    "debtor_id": ("str", True),
    "invoice_date": ("datetime64[ns]", True),
    "due_date": ("datetime64[ns]", True),
    "amount": ("float64", True),
    "currency": ("str", False),
    "disputed": ("bool", False),
    "creditor_id": ("str", False),
}

EVENT_COLUMNS: dict[str, tuple[str, bool]] = {
    "claim_id": ("str", True),
    "date": ("datetime64[ns]", True),
    "type": ("str", True),
    "amount": ("float64", False),
    "promise_date": ("datetime64[ns]", False),
}

#: Optional columns read by the judicial rules when present (kept as extra columns,
#: not in the canonical dtypes): see docs/input-format.md.
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "debtors": ("legal_form",),
    "claims": ("performance_date",),
    "events": ("written",),
}

#: Columns of the quarantine table: one row per rejected input row.
QUARANTINE_COLUMNS: tuple[str, ...] = (
    "table",  # debtors / claims / events
    "source",  # file name, sheet or SQL table the row came from
    "line",  # 1-based line in the file (header = line 1), Excel row, or record number
    "record_id",  # the row's id (claim_id, debtor_id; claim_id for events) if readable
    "column",  # the offending column ("" for row-level problems)
    "value",  # the offending value as read
    "reason",  # a sentence a person can act on
)


class InputError(Exception):
    """A structural problem with the input that stops the run.

    Examples: a missing required column, an unreadable file, an empty table,
    an unknown source. The CLI prints the message (no traceback) and exits
    with status 2. Row-level problems never raise: they go to the quarantine.
    """

    __module__ = "recovery_analytics.portfolio"  # where users import it from


def _empty_quarantine() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="str") for c in QUARANTINE_COLUMNS}).astype(
        {"line": "Int64"}
    )


@dataclass
class Portfolio:
    """A validated portfolio: three typed tables plus what was rejected.

    Attributes
    ----------
    debtors, claims, events : pandas.DataFrame
        Valid rows with the canonical columns and dtypes of this module
        (extra source columns kept after them).
    quarantine : pandas.DataFrame
        Rejected rows, columns :data:`QUARANTINE_COLUMNS`.
    counts : pandas.DataFrame
        One row per table: ``table, rows_read, valid, quarantined``; the
        invariant ``rows_read == valid + quarantined`` always holds.
    source : str
        Where the portfolio was read from.
    extra_features : dict
        Extra source columns to use as model features, as declared in the
        mapping: ``{"numeric": [...], "categorical": [...]}`` (each name is a
        column of ``debtors`` or ``claims``).
    notes : list of str
        Remarks a person should see (e.g. "no events table: events are empty").
    fec_lines : pandas.DataFrame or None
        For a portfolio read from a FEC (:func:`~recovery_analytics.portfolio.read_fec`):
        every FEC line with ``file, line, journal, num, account, debtor_id,
        category, claim_id`` -- how it was read (a claim, a payment, not a
        receivable, quarantined...). None for other sources.
    warnings : pandas.DataFrame
        Valid rows worth a look, kept in the tables (columns of the quarantine
        plus ``check``): ``overpayment``, ``payment_before_invoice``,
        ``mojibake`` (text that looks mis-decoded). See ``docs/input-format.md``.
    """

    debtors: pd.DataFrame
    claims: pd.DataFrame
    events: pd.DataFrame
    quarantine: pd.DataFrame = field(default_factory=_empty_quarantine)
    counts: pd.DataFrame | None = None
    source: str = ""
    extra_features: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    fec_lines: pd.DataFrame | None = None
    warnings: pd.DataFrame = field(default_factory=_empty_quarantine)


# --------------------------------------------------------------------------------------
# Validation: the row and table checks live in ``_validate`` (typing each chunk of rows,
# then table-level checks on the typed result); ``io`` uses them on files.

#: Canonical columns of each table: name -> (dtype after validation, required).
COLUMNS: dict[str, dict[str, tuple[str, bool]]] = {
    "debtors": DEBTOR_COLUMNS,
    "claims": CLAIM_COLUMNS,
    "events": EVENT_COLUMNS,
}


def empty_table(table: str) -> pd.DataFrame:
    """An empty table with the canonical columns and dtypes of ``table``.

    >>> empty_table("events").dtypes.astype(str).tolist()
    ['str', 'datetime64[ns]', 'str', 'float64', 'datetime64[ns]']
    """
    return pd.DataFrame({c: pd.Series(dtype=d) for c, (d, _) in COLUMNS[table].items()})


def check_columns(table: str, columns: list[str], source: str, hint: str = "") -> None:
    """Raise :class:`InputError` if ``table`` lacks one of its required columns."""
    missing = [c for c, (_, req) in COLUMNS[table].items() if req and c not in columns]
    if missing:
        found = ", ".join(repr(str(c)) for c in columns) or "none"
        raise InputError(
            f"{source}: missing required {table} column(s) {', '.join(missing)}; "
            f"columns found: {found}.{hint}"
        )
