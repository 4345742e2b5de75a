"""Row checks of one chunk of a table: types, required values, known codes, currencies.

Private helpers of ``_io`` and ``_validate``: :func:`_coerce` types one chunk of
rows and flags the bad ones with their reason (the first problem found).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from recovery_analytics.portfolio import _parse
from recovery_analytics.portfolio._checks import MAX_AMOUNT_EUR, flag_amounts
from recovery_analytics.portfolio._schema import (
    COLUMNS,
    DEBTOR_TYPE_ALIASES,
    DEBTOR_TYPES,
    EVENT_TYPE_ALIASES,
    EVENT_TYPES,
    EVENT_TYPES_WITH_AMOUNT,
    INSOLVENCY_ALIASES,
    INSOLVENCY_STATUSES,
)

__all__: list[str] = []


# Rows carry internal columns while they are checked: ``_line`` (line/record number)
# and ``_qcol, _qval, _qreason, _qcheck`` (the first problem found, NA if none).
_ID = {"debtors": "debtor_id", "claims": "claim_id", "events": "claim_id"}


_Q = ("_qcol", "_qval", "_qreason", "_qcheck")


_INTERNAL = ("_line", *_Q)


_DATE_HINT = "expected dd/mm/yyyy or yyyy-mm-dd"


def _keyed(aliases: dict[str, str], canonical: tuple[str, ...]) -> dict[str, str]:
    # one vectorised pass over all the keys (a pass per key costs 0.1 s at import)
    keys = [str(k) for k in aliases] + [str(c) for c in canonical]
    normed = _parse.norm_key(pd.Series(keys, dtype="str")).tolist()
    values = list(aliases.values()) + list(canonical)
    table = dict(zip(normed[: len(aliases)], values[: len(aliases)], strict=True))
    return table | dict(zip(normed[len(aliases) :], values[len(aliases) :], strict=True))


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


def _coerce(
    table: str,
    raw: pd.DataFrame,
    *,
    decimal: str | None = None,
    dayfirst: bool = True,
    currency_rates: dict[str, float] | None = None,
    numeric_features: tuple[str, ...] = (),
    max_amount_eur: float = MAX_AMOUNT_EUR,
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
            bad = _parse.contains_nul(value)
            flags.add(
                bad, col, "nul_character", f"{col} contains a NUL character (binary data)", src
            )
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
    _check_codes(table, out, raw, flags, currency_rates, max_amount_eur)
    extras = [c for c in raw.columns if c not in spec and c not in _INTERNAL and c not in out]
    for col in extras:
        src = raw[col]
        if col in numeric_features:
            value, _, bad = _parse.parse_amount(src, decimal)
            bad = bad | (value.notna() & ~np.isfinite(value.to_numpy(dtype="float64")))
            why = "is not a finite number (declared numeric under [features])"
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


def _check_codes(table, out, raw, flags, rates, ceiling=MAX_AMOUNT_EUR) -> None:
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
        siren = out["siren"]
        if _parse.has_byte(siren, _space_or_dot):  # nothing to remove in plain digits
            out["siren"] = siren.str.replace(r"[\s.\u00a0]", "", regex=True)
        dep = out["department"]
        one = dep.str.fullmatch(r"\d").fillna(False)
        if one.any():
            out["department"] = dep.mask(one, dep.str.zfill(2))
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
        flags.add(
            late,
            "due_date",
            "date_order",
            lambda v: (
                "due_date '"
                + v
                + "' is before invoice_date '"
                + _parse.as_read(raw["invoice_date"].iloc[v.index])
                + "'"
            ),
            raw_of("due_date"),
        )
        _check_currency(out, raw, flags, rates or {})
        flag_amounts(flags, out["amount"], raw_of("amount"), ceiling, "claim")
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
        flag_amounts(flags, amount, raw_of("amount"), ceiling, "event")
        if "written" in raw:  # optional: was the promise / acknowledgement in writing?
            written = raw["written"]
            value, bad = _parse.parse_bool(written)
            flags.add(
                bad,
                "written",
                "invalid_bool",
                lambda v: (
                    "written '" + v + "' is not a yes/no value (expected oui/non, or empty"
                    " when the form of the promise is unknown)"
                ),
                written,
            )
            known = _parse.clean_text(written).notna() if written.dtype.kind != "b" else True
            out["written"] = pd.Series(value, dtype="boolean").where(known, pd.NA)
        no_date = (kind == "promise_to_pay") & out["promise_date"].isna()
        flags.add(
            no_date,
            "promise_date",
            "missing_value",
            "promise_to_pay event without a promise_date (the date the debtor promised to pay)",
            raw_of("promise_date"),
        )
    out.pop("_written_currency", None)


def _space_or_dot(b: np.ndarray) -> np.ndarray:
    """Bytes of the characters a SIREN may be written with besides digits (any non-ASCII)."""
    return (b < 0x21) | (b == 0x2E) | (b > 0x7E)


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
