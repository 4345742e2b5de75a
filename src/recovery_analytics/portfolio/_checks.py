"""Plausibility checks: amounts, conversion rates, and the warnings kept beside valid rows.

Private helpers of ``_rows`` and ``_validate``:

- amounts must be finite and at most a plausibility ceiling (:data:`MAX_AMOUNT_EUR`,
  100 M€ by default, ``[checks] max_amount_eur`` in the mapping): a 401-digit
  amount, ``inf`` from Parquet or SQL, or a 1e300 € claim is quarantined with
  its reason instead of topping the call queue;
- conversion rates under ``[currency_rates]`` must be finite and positive;
- rows that are valid but worth a look go to the portfolio's ``warnings``
  (same columns as the quarantine, plus ``check``): payments and credit notes
  exceeding their claim (the surplus is not carried anywhere), payments dated
  before the invoice, and text that looks mis-decoded (UTF-8 read as
  Windows-1252 or a file mixing both: ``FranÃ§ois``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping as MappingABC

import numpy as np
import pandas as pd

from recovery_analytics.portfolio import _parse
from recovery_analytics.portfolio._schema import InputError

__all__ = ["MAX_AMOUNT_EUR"]

#: Default plausibility ceiling of one amount (a claim, a payment), in euros.
MAX_AMOUNT_EUR: float = 100_000_000.0

#: Tolerance (euros) before payments above a claim's amount are reported as an overpayment.
_OVERPAY_TOLERANCE = 0.01

#: UTF-8 bytes decoded as Windows-1252: "Ã©" for é, "Ã§" for ç, "â‚¬" for €, "Å“" for œ...
_MOJIBAKE = r"[ÃÂ][\u00a0-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]|â€[\u0080-\u00bf™œ“”˜¦¢¡‘’]|â‚¬|Å[“’]"

_WARNING_COLUMNS = ("table", "source", "line", "record_id", "column", "value", "reason", "check")


def check_ceiling(value: object, origin: str) -> float:
    """A plausibility ceiling given by a person: a finite number > 0, else InputError."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{origin} = {value!r}: expected a number of euros")
    if not math.isfinite(value) or value <= 0:
        raise InputError(f"{origin} = {value!r}: expected a finite number of euros > 0")
    return float(value)


def check_rates(rates: MappingABC | None, origin: str = "[currency_rates]") -> dict[str, float]:
    """Conversion rates (EUR per unit), finite and > 0; InputError naming the bad key.

    >>> check_rates({"usd": 0.92})
    {'USD': 0.92}
    >>> check_rates({"USD": float("inf")})
    Traceback (most recent call last):
    ...
    recovery_analytics.portfolio.InputError: [currency_rates] USD = inf: expected EUR per unit, a finite number > 0
    """  # noqa: E501
    if rates is None:
        return {}
    if not isinstance(rates, MappingABC):
        raise InputError(f"{origin}: expected a table of CODE = rate, got {rates!r}")
    out = {}
    for code, rate in rates.items():
        ok = isinstance(rate, int | float) and not isinstance(rate, bool)
        if not ok or not math.isfinite(rate) or rate <= 0:
            raise InputError(
                f"{origin} {code} = {rate!r}: expected EUR per unit, a finite number > 0"
            )
        out[str(code).upper()] = float(rate)
    return out


def flag_amounts(flags, amount: pd.Series, raw: pd.Series | None, ceiling: float, what: str):
    """Flag amounts that are not finite, or above ``ceiling`` (after conversion to euros)."""
    values = amount.to_numpy(dtype="float64")
    present = ~np.isnan(values)
    flags.add(
        present & ~np.isfinite(values),
        "amount",
        "amount_not_finite",
        lambda v: f"{what} amount '" + v + "' is not a finite number (too many digits, or inf)",
        raw,
    )
    flags.add(
        present & np.isfinite(values) & (np.abs(values) > ceiling),
        "amount",
        "amount_implausible",
        lambda v: (
            f"{what} amount '"
            + v
            + f"' is above the plausibility ceiling of {ceiling:,.0f} € (a typing error? "
            "raise [checks] max_amount_eur in the mapping if it is real)"
        ),
        raw,
    )


def _warnings(rows: pd.DataFrame, table: str, source: str, key: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "table": table,
            "source": source,
            "line": rows["_line"].astype("Int64").to_numpy(),
            "record_id": rows[key].fillna("").astype("str").to_numpy(),
            "column": rows["_wcol"].to_numpy(),
            "value": rows["_wval"].astype("str").to_numpy(),
            "reason": rows["_wreason"].to_numpy(),
            "check": rows["_wcheck"].to_numpy(),
        },
        columns=list(_WARNING_COLUMNS),
    )


def empty_warnings() -> pd.DataFrame:
    """An empty warnings table (the quarantine's columns)."""
    return pd.DataFrame(
        {c: pd.Series(dtype="Int64" if c == "line" else "str") for c in _WARNING_COLUMNS}
    )


def payment_warnings(
    events: pd.DataFrame, claims: pd.DataFrame, source: str, claim_pos: np.ndarray | None = None
) -> pd.DataFrame:
    """Overpaid claims and payments dated before the invoice (valid events with ``_line``).

    ``claim_pos``: the position of each event's claim in ``claims`` when known (-1: none).

    One warning per overpaid claim, on the event that takes the total of
    payments and credit notes past the claim's amount; one per payment dated
    before its claim's invoice date. Vectorised on integer claim codes.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    money = events["type"].isin(("payment", "credit_note")).to_numpy()
    if not money.any():
        return empty_warnings()
    at = np.flatnonzero(money)  # the rows are taken only for the few warnings
    if claim_pos is not None:
        codes = np.asarray(claim_pos, dtype=np.int64)[at]
    else:
        ids = pa.array(events["claim_id"].iloc[at])
        codes = pc.index_in(ids, value_set=pa.array(claims["claim_id"]))
        codes = codes.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    known = codes >= 0
    at, codes = at[known], codes[known]
    paid = events["amount"].to_numpy(dtype="float64")[at]
    day = events["date"].to_numpy()[at]
    due = claims["amount"].to_numpy(dtype="float64")[codes]
    order = np.lexsort((events["_line"].to_numpy()[at], day, codes))
    c, p = codes[order], paid[order]
    starts = np.r_[0, np.flatnonzero(c[1:] != c[:-1]) + 1]
    csum = np.cumsum(p)
    total = csum - np.repeat(csum[starts] - p[starts], np.diff(np.r_[starts, len(c)]))
    over = np.flatnonzero(total > due[order] + _OVERPAY_TOLERANCE)
    _, first = np.unique(c[over], return_index=True)
    final = np.bincount(codes, weights=paid, minlength=len(claims))
    rows_over = events.iloc[at[order[over[first]]]]
    code_over = c[over[first]]
    rows_over = rows_over.assign(
        _wcol="amount",
        _wval=[f"{x:.2f}" for x in rows_over["amount"]],
        _wreason=[
            f"payments and credit notes of claim {cid} total {final[k]:,.2f} € for an amount "
            f"of {due_k:,.2f} € (surplus {final[k] - due_k:,.2f} €, not carried to another "
            "claim): a payment recorded twice, or one belonging to another claim?"
            for cid, k, due_k in zip(
                rows_over["claim_id"], code_over, claims["amount"].to_numpy()[code_over],
                strict=True,
            )
        ],
        _wcheck="overpayment",
    )  # fmt: skip
    invoice = claims["invoice_date"].to_numpy()[codes]
    early = (events["type"].to_numpy()[at] == "payment") & (day < invoice)
    rows_early = events.iloc[at[early]]
    rows_early = rows_early.assign(
        _wcol="date",
        _wval=rows_early["date"].dt.strftime("%d/%m/%Y"),
        _wreason=[
            f"payment dated {d:%d/%m/%Y} before the invoice date {pd.Timestamp(i):%d/%m/%Y} of "
            f"claim {cid} (an advance payment, or a wrong date?)"
            for d, i, cid in zip(
                rows_early["date"], invoice[early], rows_early["claim_id"], strict=True
            )
        ],
        _wcheck="payment_before_invoice",
    )
    parts = [_warnings(rows, "events", source, "claim_id") for rows in (rows_over, rows_early)]
    both = pd.concat(parts, ignore_index=True)
    return both.sort_values("line", kind="stable").reset_index(drop=True)


def _fixed(value: str) -> str:
    try:
        return value.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return ""


def mojibake_warnings(df: pd.DataFrame, table: str, source: str, key: str) -> pd.DataFrame:
    """Text cells that look mis-decoded (``FranÃ§ois``) or hold control characters, per line."""
    parts = []
    for col in df.columns:
        is_text = df[col].dtype.kind in "OTU" or str(df[col].dtype) == "str"
        if str(col).startswith("_") or not is_text or col in _CODES:
            continue
        if not _parse.has_byte(df[col], _suspect_bytes):  # one pass over the bytes
            continue
        # a fast first pass (one literal character class) leaves a handful of cells
        maybe = df[col].str.contains(_SUSPECT, regex=True, na=False).to_numpy(dtype=bool)
        if not maybe.any():
            continue
        few = df[maybe]
        for check, pattern, why in _TEXT_CHECKS:
            hit = few[col].str.contains(pattern, regex=True, na=False).to_numpy(dtype=bool)
            if not hit.any():
                continue
            rows = few[hit]
            rows = rows.assign(
                _wcol=col,
                _wval=rows[col],
                _wreason=[why(col, v) for v in rows[col]],
                _wcheck=check,
            )
            parts.append(_warnings(rows, table, source, key))
    if not parts:
        return empty_warnings()
    return pd.concat(parts, ignore_index=True).sort_values("line", kind="stable")


def _suspect_bytes(b: np.ndarray) -> np.ndarray:
    """The bytes of a character of :data:`_SUSPECT`: a control character (tab, line feed and
    carriage return excepted), or Â Ã â Å in UTF-8 (0xC3 then 0x82, 0x83, 0xA2 or 0x85)."""
    control = (b < 0x20) & (b != 0x09) & (b != 0x0A) & (b != 0x0D)
    lead = np.flatnonzero(b[:-1] == 0xC3)
    return np.r_[control, np.isin(b[lead + 1], (0x82, 0x83, 0xA2, 0x85))]


def _mojibake_reason(col: str, value: str) -> str:
    fixed = _fixed(value)
    return (
        f"{col} '{value}' looks mis-decoded (UTF-8 read as Windows-1252, or a file mixing "
        "both encodings)" + (f": probably '{fixed}'" if fixed else "")
    )


def _control_reason(col: str, value: str) -> str:
    shown = value.encode("unicode_escape").decode("ascii")
    return (
        f"{col} '{shown}' holds a control character (tab excepted): it is replaced by a space "
        "in the spreadsheets written for people"
    )


#: Columns already checked against a list of codes: nothing to look for in them.
_CODES = frozenset({"type", "debtor_type", "insolvency_status", "currency"})

#: Every cell a text check can flag holds one of these characters.
_SUSPECT = "[\x00-\x08\x0b\x0c\x0e-\x1f\u00c2\u00c3\u00e2\u00c5]"

_TEXT_CHECKS = (
    ("mojibake", _MOJIBAKE, _mojibake_reason),
    ("control_character", r"[\x00-\x08\x0b\x0c\x0e-\x1f]", _control_reason),
)
