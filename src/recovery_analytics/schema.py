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

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from recovery_analytics import _parse

__all__ = [
    "CLAIM_COLUMNS",
    "DEBTOR_COLUMNS",
    "DEBTOR_TYPES",
    "DEBTOR_TYPE_ALIASES",
    "EVENT_COLUMNS",
    "EVENT_TYPES",
    "EVENT_TYPES_WITH_AMOUNT",
    "EVENT_TYPE_ALIASES",
    "INSOLVENCY_ALIASES",
    "INSOLVENCY_STATUSES",
    "QUARANTINE_COLUMNS",
    "TABLES",
    "InputError",
    "Portfolio",
    "check_columns",
    "empty_table",
    "validate_portfolio",
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
    "injonction de payer": "judicial_filing",
    "assignation": "judicial_filing",
    "jugement": "judgment",
    "ordonnance": "judgment",
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
    """

    debtors: pd.DataFrame
    claims: pd.DataFrame
    events: pd.DataFrame
    quarantine: pd.DataFrame = field(default_factory=_empty_quarantine)
    counts: pd.DataFrame | None = None
    source: str = ""
    extra_features: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------
# Validation: typing each chunk of rows, then table-level checks on the typed result.
# Rows carry internal columns while they are checked: ``_line`` (line/record number)
# and ``_qcol, _qval, _qreason, _qcheck`` (the first problem found, NA if none).

COLUMNS: dict[str, dict[str, tuple[str, bool]]] = {
    "debtors": DEBTOR_COLUMNS,
    "claims": CLAIM_COLUMNS,
    "events": EVENT_COLUMNS,
}
_ID = {"debtors": "debtor_id", "claims": "claim_id", "events": "claim_id"}
_Q = ("_qcol", "_qval", "_qreason", "_qcheck")
_INTERNAL = ("_line", *_Q)
_DATE_HINT = "expected dd/mm/yyyy or yyyy-mm-dd"


def _keyed(aliases: dict[str, str], canonical: tuple[str, ...]) -> dict[str, str]:
    table = {_parse.norm_scalar(k): v for k, v in aliases.items()}
    return table | {_parse.norm_scalar(c): c for c in canonical}


_ALIASES = {
    ("events", "type"): _keyed(EVENT_TYPE_ALIASES, EVENT_TYPES),
    ("debtors", "debtor_type"): _keyed(DEBTOR_TYPE_ALIASES, DEBTOR_TYPES),
    ("debtors", "insolvency_status"): _keyed(INSOLVENCY_ALIASES, INSOLVENCY_STATUSES),
    ("claims", "currency"): {"eur": "EUR", "euro": "EUR", "euros": "EUR", "€": "EUR"},
}


class _Flags:
    """Collects the first problem of each row of ``frame`` (vectorised, by masks)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        reason = frame.get("_qreason")
        self.bad = (
            np.zeros(len(frame), bool) if reason is None else reason.notna().to_numpy(copy=True)
        )
        self.parts: list[pd.DataFrame] = []

    def add(
        self,
        mask: pd.Series | np.ndarray,
        column: str,
        check: str,
        reason: str | Callable[[pd.Series], pd.Series],
        raw: pd.Series | None = None,
    ) -> None:
        """Flag rows of ``mask`` not flagged yet; ``reason`` gets their raw values."""
        m = np.asarray(pd.Series(mask).fillna(False), dtype=bool) & ~self.bad
        if not m.any():
            return
        self.bad |= m
        idx = np.flatnonzero(m)
        values = (
            pd.Series("", index=idx, dtype="str") if raw is None else _parse.as_read(raw.iloc[idx])
        )
        reasons = reason if isinstance(reason, str) else reason(values)
        self.parts.append(
            pd.DataFrame(
                {
                    "_row": idx,
                    "_qcol": column,
                    "_qval": values.to_numpy(dtype=object),
                    "_qreason": np.asarray(reasons, dtype=object),
                    "_qcheck": check,
                }
            )
        )

    def result(self) -> pd.DataFrame:
        """The frame with its ``_q*`` columns updated."""
        out = self.frame.copy(deep=False)
        parts = pd.concat(self.parts, ignore_index=True) if self.parts else None
        for col in _Q:
            base = out[col] if col in out else pd.Series(np.nan, index=out.index, dtype="str")
            if parts is not None:
                arr = base.to_numpy(dtype=object, na_value=None)
                arr[parts["_row"].to_numpy()] = parts[col].to_numpy(dtype=object)
                base = pd.Series(arr, index=out.index).astype("str")
            out[col] = base
        return out


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


def _coerce(
    table: str,
    raw: pd.DataFrame,
    *,
    decimal: str | None = None,
    dayfirst: bool = True,
    currency_rates: dict[str, float] | None = None,
    numeric_features: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Type one chunk of ``table`` (canonical column names) and flag bad rows.

    ``raw`` holds strings as read, or typed values (Excel, Parquet, SQL), and a
    ``_line`` column. Returns canonical typed columns, then the extra columns,
    then the internal ``_line`` and ``_q*`` columns.
    """
    raw = raw.reset_index(drop=True)
    flags = _Flags(raw)
    spec = COLUMNS[table]
    out: dict[str, pd.Series] = {}
    for col, (dtype, required) in spec.items():
        src = raw[col] if col in raw else pd.Series(np.nan, index=raw.index, dtype="str")
        if dtype == "str":
            value = _parse.clean_text(src)
            if (table, col) in _ALIASES:
                value = _parse.recode(value, _ALIASES[(table, col)])
            bad = pd.Series(False, index=raw.index)
        elif dtype == "datetime64[ns]":
            value, bad = _parse.parse_date(src, dayfirst)
            why = f"is not a valid date ({_DATE_HINT})"
            flags.add(
                bad, col, "invalid_date", lambda v, c=col, w=why: f"{c} '" + v + f"' {w}", src
            )
        elif dtype == "float64":
            value, written, bad = _parse.parse_amount(src, decimal)
            if col == "amount":
                out["_written_currency"] = written
            why = "is not a number (expected e.g. 1234,56 or 1 234,56 €)"
            flags.add(
                bad, col, "invalid_number", lambda v, c=col, w=why: f"{c} '" + v + f"' {w}", src
            )
        else:
            value, bad = _parse.parse_bool(src)
            why = "is not a yes/no value (expected oui/non, true/false, 1/0, x or empty)"
            flags.add(
                bad, col, "invalid_bool", lambda v, c=col, w=why: f"{c} '" + v + f"' {w}", src
            )
        if required:
            flags.add(value.isna() & ~bad, col, "missing_value", f"{col} is empty (required)")
        out[col] = value
    _check_codes(table, out, raw, flags, currency_rates)
    extras = [c for c in raw.columns if c not in spec and c not in _INTERNAL]
    for col in extras:
        src = raw[col]
        if col in numeric_features:
            value, _, bad = _parse.parse_amount(src, decimal)
            why = "is not a number (declared numeric under [features])"
            flags.add(
                bad, col, "invalid_number", lambda v, c=col, w=why: f"{c} '" + v + f"' {w}", src
            )
            out[col] = value
        else:
            out[col] = (
                _parse.clean_text(src) if src.dtype.kind in "OTU" or src.dtype == "str" else src
            )
    typed = pd.DataFrame(out, index=raw.index)
    for col in ("_line", *(c for c in _Q if c in raw)):
        typed[col] = raw[col]
    flags.frame = typed
    return flags.result()


def _check_codes(table, out, raw, flags, rates) -> None:
    """Row checks that look at several typed columns of one table."""

    def raw_of(col):
        return raw.get(col)

    if table == "debtors":
        for col, allowed in (
            ("debtor_type", DEBTOR_TYPES),
            ("insolvency_status", INSOLVENCY_STATUSES),
        ):
            if col == "insolvency_status":
                out[col] = out[col].fillna("none")
            unknown = out[col].notna() & ~out[col].isin(allowed)
            hint = (
                f"expected {', '.join(allowed)}; map other spellings under [debtors.values.{col}]"
            )
            flags.add(
                unknown,
                col,
                "unknown_value",
                lambda v, c=col, h=hint: f"{c} '" + v + f"' is unknown ({h})",
                raw_of(col),
            )
        siren = out["siren"].str.replace(r"[\s.\u00a0]", "", regex=True)
        out["siren"] = siren
        dep = out["department"]
        out["department"] = dep.mask(dep.str.fullmatch(r"\d").fillna(False), dep.str.zfill(2))
    elif table == "claims":
        amount = out["amount"]
        flags.add(
            amount == 0,
            "amount",
            "amount_zero",
            lambda v: "amount '" + v + "' is zero: a claim must have a positive amount",
            raw_of("amount"),
        )
        flags.add(
            amount < 0,
            "amount",
            "amount_negative",
            lambda v: (
                "amount '"
                + v
                + "' is negative: record credit notes and payments as events, not as claims"
            ),
            raw_of("amount"),
        )
        late = out["due_date"] < out["invoice_date"]
        inv = _parse.as_read(raw["invoice_date"]) if "invoice_date" in raw else ""
        flags.add(
            late,
            "due_date",
            "date_order",
            lambda v: "due_date '" + v + "' is before invoice_date '" + inv.iloc[v.index] + "'",
            raw_of("due_date"),
        )
        _check_currency(out, raw, flags, rates or {})
    else:
        kind = out["type"]
        unknown = kind.notna() & ~kind.isin(EVENT_TYPES)
        flags.add(
            unknown,
            "type",
            "unknown_value",
            lambda v: (
                "event type '"
                + v
                + "' is unknown (expected one of the event types of docs/input-format.md;"
                " map other spellings under [events.values.type])"
            ),
            raw_of("type"),
        )
        needs = kind.isin(EVENT_TYPES_WITH_AMOUNT)
        amount = out["amount"]
        flags.add(
            needs & amount.isna(),
            "amount",
            "missing_value",
            lambda v: (
                kind.iloc[v.index]
                + " event without an amount (required for payment, credit_note, promise_to_pay)"
            ),
            raw_of("amount"),
        )
        flags.add(
            needs & (amount <= 0),
            "amount",
            "amount_not_positive",
            lambda v: kind.iloc[v.index] + " amount '" + v + "' must be greater than 0",
            raw_of("amount"),
        )
        no_date = (kind == "promise_to_pay") & out["promise_date"].isna()
        flags.add(
            no_date,
            "promise_date",
            "missing_value",
            "promise_to_pay event without a promise_date (the date the debtor promised to pay)",
            raw_of("promise_date"),
        )
    out.pop("_written_currency", None)


def _check_currency(out, raw, flags, rates) -> None:
    """Default EUR; convert other currencies with ``rates`` (EUR per unit) or flag them."""
    written = out.pop("_written_currency")
    currency = out["currency"].str.upper()
    clash = written.notna() & currency.notna() & (written != currency)
    flags.add(
        clash,
        "currency",
        "currency",
        lambda v: "amount is written in " + written.iloc[v.index] + " but currency is '" + v + "'",
        raw.get("currency"),
    )
    currency = currency.fillna(written).fillna("EUR")
    per_unit = {k.upper(): float(v) for k, v in rates.items()} | {"EUR": 1.0}
    rate = _parse.map_uniques(currency, lambda u: u.map(per_unit), dtype="float64")
    hint = "add it under [currency_rates] in the mapping (EUR per unit) or convert the amount"
    flags.add(
        rate.isna(),
        "currency",
        "currency",
        lambda v: (
            "currency '"
            + currency.iloc[v.index]
            + f"' is not EUR and has no conversion rate: {hint}"
        ),
        raw.get("currency"),
    )
    if rates:
        out["amount_original"] = out["amount"]
        out["currency_original"] = currency.astype("str")
        out["amount"] = out["amount"] * rate
    out["currency"] = pd.Series("EUR", index=currency.index, dtype="str").where(
        rate.notna(), currency
    )


_PARENT = {"claims": ("debtors", "debtor_id", "debtor"), "events": ("claims", "claim_id", "claim")}


def _finalize(
    frames: dict[str, pd.DataFrame],
    sources: dict[str, str],
    *,
    source: str = "",
    currency_rates: dict[str, float] | None = None,
    extra_features: dict[str, list[str]] | None = None,
    notes: list[str] | None = None,
) -> Portfolio:
    """Table-level checks (duplicates, references, cascade) and the split valid/quarantine."""
    valid: dict[str, pd.DataFrame] = {}
    rejected: dict[str, pd.Series] = {}
    quarantine, counts = [], []
    for table in TABLES:
        df = frames[table].reset_index(drop=True)
        flags = _Flags(df)
        key = _ID[table]
        ids = df[key]
        dup = pd.Series(False, index=df.index)
        if table != "events":
            codes = pd.Series(pd.factorize(ids)[0], index=df.index)
            dup = (codes >= 0) & codes.duplicated(keep="first")
            first = ((codes >= 0) & ~dup).to_numpy()
            first_line = pd.Series(df["_line"].to_numpy()[first], index=ids[first])
            flags.add(
                dup,
                key,
                "duplicate_id",
                lambda v, k=key, f=first_line: (
                    f"duplicate {k} " + v + ", first seen on line " + v.map(f).astype("str")
                ),
                ids,
            )
        if table in _PARENT:
            parent, pkey, word = _PARENT[table]
            pid = df[pkey]
            known = pd.Series(_parse.isin(pid, valid[parent][pkey]), index=df.index)
            why = rejected[parent]
            cascade = pid.notna() & ~known & _parse.isin(pid, why.index)
            flags.add(
                cascade,
                pkey,
                f"quarantined_{word}",
                lambda v, w=word, r=why: f"{w} " + v + " was quarantined: " + v.map(r),
                pid,
            )
            flags.add(
                pid.notna() & ~known & ~cascade,
                pkey,
                f"unknown_{word}",
                lambda v, w=word, p=parent: f"{w} " + v + f" does not exist in {p}",
                pid,
            )
        df = flags.result()
        bad = df["_qreason"].notna()
        firsts = (bad & ~dup & ids.notna()).to_numpy()
        rejected[table] = pd.Series(df["_qreason"].to_numpy()[firsts], index=ids[firsts])
        q = df.loc[bad]
        quarantine.append(
            pd.DataFrame(
                {
                    "table": table,
                    "source": sources.get(table, table),
                    "line": q["_line"].astype("Int64"),
                    "record_id": q[key].fillna(""),
                    "column": q["_qcol"].fillna(""),
                    "value": q["_qval"].fillna(""),
                    "reason": q["_qreason"],
                    "check": q["_qcheck"].fillna(""),
                }
            )
        )
        good = (df.loc[~bad] if bad.any() else df).drop(columns=list(_INTERNAL))
        good = good.astype({c: d for c, (d, _) in COLUMNS[table].items()})
        if table == "events":
            good = _convert_events(good, valid["claims"], currency_rates)
            good = good.sort_values(["date", "claim_id"], kind="stable")
        valid[table] = good.reset_index(drop=True)
        counts.append((table, len(df), len(good), int(bad.sum())))
    q = pd.concat(quarantine, ignore_index=True)
    q = q.astype({c: "str" for c in q.columns if c != "line"} | {"line": "Int64"})
    return Portfolio(
        debtors=valid["debtors"],
        claims=valid["claims"],
        events=valid["events"],
        quarantine=q,
        counts=pd.DataFrame(counts, columns=["table", "rows_read", "valid", "quarantined"]).astype(
            {"table": "str", "rows_read": "int64", "valid": "int64", "quarantined": "int64"}
        ),
        source=source,
        extra_features=extra_features or {},
        notes=list(notes or []),
    )


def _convert_events(events: pd.DataFrame, claims: pd.DataFrame, rates) -> pd.DataFrame:
    """Convert event amounts of claims in another currency with the claim's rate."""
    if not rates or "currency_original" not in claims:
        return events
    per_unit = {k.upper(): float(v) for k, v in rates.items()} | {"EUR": 1.0}
    rate = events["claim_id"].map(claims.set_index("claim_id")["currency_original"].map(per_unit))
    events = events.copy()
    pos = events.columns.get_loc("amount") + 1
    events.insert(pos, "amount_original", events["amount"])
    events["amount"] = events["amount"] * rate.fillna(1.0)
    return events


def validate_portfolio(
    debtors: pd.DataFrame,
    claims: pd.DataFrame,
    events: pd.DataFrame | None = None,
    *,
    source: str = "<memory>",
    currency_rates: dict[str, float] | None = None,
    decimal: str | None = None,
    dayfirst: bool = True,
) -> Portfolio:
    """Validate three in-memory tables with canonical column names.

    Values may be strings as exported (French dates, decimal commas, oui/non) or
    already typed. Every row ends in the returned tables or in its quarantine.
    :func:`recovery_analytics.io.read_portfolio` does the same on files, chunk by chunk.

    Parameters
    ----------
    debtors, claims, events : pandas.DataFrame
        The tables; ``events`` may be None (then empty).
    source : str
        Name recorded in ``Portfolio.source`` and the quarantine.
    currency_rates : dict, optional
        EUR per unit of other currencies; claims in them are converted.
    decimal : {",", "."}, optional
        Decimal separator when ambiguous (``1.234``); default: see ``parse_amount``.
    dayfirst : bool
        ``01/02/2026`` is 1 February (default) or 2 January.

    Returns
    -------
    Portfolio

    Raises
    ------
    InputError
        If a required column is missing.

    Examples
    --------
    >>> d = pd.DataFrame({"debtor_id": ["D1"], "debtor_type": ["Particulier"]})
    >>> c = pd.DataFrame({"claim_id": ["F1", "F2"], "debtor_id": ["D1", "D9"],
    ...                   "invoice_date": ["01/03/2026"] * 2, "due_date": ["31/03/2026"] * 2,
    ...                   "amount": ["1 234,56 €", "10"]})
    >>> p = validate_portfolio(d, c)
    >>> p.claims["amount"].tolist(), p.quarantine["reason"].tolist()
    ([1234.56], ['debtor D9 does not exist in debtors'])
    """
    frames, tables = {}, {"debtors": debtors, "claims": claims, "events": events}
    for table, df in tables.items():
        if df is None:
            df = empty_table(table)
        check_columns(table, list(df.columns), f"{source} {table}")
        df = df.assign(_line=np.arange(1, len(df) + 1))
        frames[table] = _coerce(
            table, df, decimal=decimal, dayfirst=dayfirst, currency_rates=currency_rates
        )
    return _finalize(frames, {t: t for t in TABLES}, source=source, currency_rates=currency_rates)
