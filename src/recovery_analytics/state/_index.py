"""The event index behind the claim state (used by ``_state``).

:func:`_build_index` splits the events once into *tracks* (one per group of
event types), each sorted by ``(claim, date)`` with per-claim running sums;
:func:`_count`, :func:`_last`, :func:`_balances` and :func:`_promises` are the
per-claim binary searches on it that ``_state`` uses to compute the state at a
date. ``PROMISE_GRACE_DAYS`` and ``PROMISE_TOLERANCE_EUR`` (when a promise
counts as kept) are defined here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from recovery_analytics.portfolio import COURT_EVENT_TYPES, EVENT_TYPES, Portfolio

__all__ = ["PROMISE_GRACE_DAYS", "PROMISE_TOLERANCE_EUR"]

#: Days after the promised date within which a payment still keeps a promise.
PROMISE_GRACE_DAYS: int = 3
#: A promise is kept when the payments reach the promised amount minus this.
PROMISE_TOLERANCE_EUR: float = 1.0
_OPEN_TOLERANCE_EUR = 0.01
_YES = ("oui", "o", "vrai", "true", "yes", "y", "1", "x")
_NO = ("non", "n", "faux", "false", "no", "0")
_NAT = np.iinfo(np.int64).min  # a missing day; as datetime64 it is NaT

# track name -> (event types, stage rank reached by such an event or 0)
_TRACKS: dict[str, tuple[tuple[str, ...], int]] = {
    "reminder": (("reminder_letter", "reminder_email", "sms"), 1),
    "call": (("call_attempt", "call_reached"), 2),
    "reached": (("call_reached",), 0),
    "promise": (("promise_to_pay",), 0),
    "visit": (("visit",), 3),
    "formal_notice": (("formal_notice",), 4),
    "judicial": (COURT_EVENT_TYPES, 5),
    "legacy_filing": (("judicial_filing",), 0),
    "ip_request": (("ip_request",), 0),
    "ip_order": (("ip_order",), 0),
    "ip_service": (("ip_service",), 0),
    "opposition": (("opposition",), 0),
    "summons": (("summons",), 0),
    "acknowledgement": (("acknowledgement",), 0),
    "claim_declaration": (("claim_declaration",), 0),
    "judgment": (("judgment",), 6),
    "enforcement": (("enforcement",), 7),
    "payment": (("payment",), 0),
    "credit": (("credit_note",), 0),
    "money": (("payment", "credit_note"), 0),
    "write_off": (("write_off",), 0),
    "dispute_opened": (("dispute_opened",), 0),
    "dispute_resolved": (("dispute_resolved",), 0),
}
_SUMMED = ("payment", "credit", "money")
_DEBTOR_COLUMNS = ("debtor_type", "naf_code", "department", "insolvency_status")


@dataclass
class _Track:
    """Events of some types, sorted by ``(claim code, day)``."""

    key: np.ndarray  # claim_code * span + day offset, sorted
    day: np.ndarray  # day numbers (days since 1970-01-01)
    start: np.ndarray  # per claim code: position of its first event
    cum: np.ndarray | None  # per-claim running sum of amounts (summed tracks)
    rows: np.ndarray  # positions in the events table (same order as key)


@dataclass
class _Index:
    """Everything about a portfolio that does not depend on as_of."""

    claims: pd.DataFrame  # sorted by claim_id, with debtor columns mapped
    inv_day: np.ndarray
    due_day: np.ndarray
    amount: np.ndarray
    debtor_code: np.ndarray
    debtor_ids: pd.Index
    day0: int
    span: int
    tracks: dict[str, _Track]
    promise_day: np.ndarray  # promised dates of the promise track (day or _NAT)
    promise_eur: np.ndarray
    settle_day: np.ndarray  # per claim: day paid + credited first reached amount
    settle_payments: np.ndarray  # per claim: payments dated <= settle_day


def _days(values) -> np.ndarray:
    """Day numbers of a date-like column; NaT becomes ``_NAT``."""
    arr = pd.to_datetime(pd.Series(values)).to_numpy().astype("datetime64[D]")
    return arr.astype(np.int64)


def _dates(days: np.ndarray) -> np.ndarray:
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[ns]")


def _positions(keys: pd.Series, values: pd.Series) -> np.ndarray:
    """Position of each value in ``keys`` (unique), -1 if absent; hashes once."""
    if keys.dtype == "str" and values.dtype == "str" and len(keys) and len(values):
        import pyarrow as pa
        import pyarrow.compute as pc

        try:  # an Arrow hash join
            found = pc.index_in(pa.array(values.array), value_set=pa.array(keys.array),
                                skip_nulls=True)  # fmt: skip
            return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
        except (pa.ArrowException, TypeError):
            pass
    codes, _ = pd.factorize(pd.concat([keys, values], ignore_index=True))
    lookup = np.full(codes.max() + 2 if len(codes) else 1, -1, dtype=np.int64)
    lookup[codes[: len(keys)]] = np.arange(len(keys))
    return lookup[codes[len(keys) :]]


def _column(df: pd.DataFrame, name: str, default, n: int) -> pd.Series:
    if name in df.columns:
        return df[name].reset_index(drop=True)
    return pd.Series([default] * n, dtype="str" if isinstance(default, str) else None)


def _build_index(portfolio: Portfolio) -> _Index:
    claims = portfolio.claims.sort_values("claim_id", kind="stable").reset_index(drop=True)
    n = len(claims)
    debtors = portfolio.debtors.drop_duplicates("debtor_id").reset_index(drop=True)
    debtor_ids = pd.Index(
        pd.concat([debtors["debtor_id"], claims["debtor_id"]]).drop_duplicates().sort_values()
    )
    row = _positions(debtors["debtor_id"], claims["debtor_id"])
    found = row >= 0
    for col in _DEBTOR_COLUMNS:
        if col in debtors.columns and found.any():
            values = debtors[col].astype("str").take(np.where(found, row, 0)).reset_index(drop=True)
            claims[col] = values.where(found)
        else:
            claims[col] = pd.Series([pd.NA] * n, dtype="str")
    if "legal_form" in debtors.columns and found.any():  # optional: decides the court
        form = debtors["legal_form"].astype("str").take(np.where(found, row, 0))
        claims["legal_form"] = form.reset_index(drop=True).where(found)
    claims["insolvency_date"] = _NAT
    if "insolvency_date" in debtors.columns:
        claims.loc[found, "insolvency_date"] = _days(debtors["insolvency_date"])[row[found]]
    disputed = _column(claims, "disputed", False, n).astype("boolean").fillna(False)
    claims["disputed"] = disputed.astype(bool).to_numpy()
    claims["creditor_id"] = _column(claims, "creditor_id", pd.NA, n).astype("str")

    events = portfolio.events if portfolio.events is not None else pd.DataFrame()
    m = len(events)
    code = _positions(claims["claim_id"], events["claim_id"]) if m else np.zeros(0, np.int64)
    day = _days(events["date"]) if m else np.zeros(0, np.int64)
    known = (code >= 0) & (day != _NAT)
    day0 = int(day[known].min()) if known.any() else 0
    span = int(day[known].max()) - day0 + 2 if known.any() else 2
    type_codes, type_names = pd.factorize(_column(events, "type", "", m))
    known_type = {t: i for i, t in enumerate(EVENT_TYPES)}
    types = np.array([known_type.get(t, -1) for t in type_names] + [-1])[type_codes]
    amount = _column(events, "amount", np.nan, m).to_numpy(dtype=np.float64, na_value=np.nan)
    key = code * span + (day - day0)
    # One sort of all events by (claim, day); tracks whose amounts are summed
    # are also ordered by amount within a day, so that the running sums do not
    # depend on the order of the input rows.
    order = np.flatnonzero(known)
    order = order[np.argsort(key[order], kind="stable")]
    types_sorted = types[order]
    tracks = {}
    for name, (names, _) in _TRACKS.items():
        in_track = np.zeros(len(EVENT_TYPES) + 1, dtype=bool)  # last slot: unknown type
        in_track[[EVENT_TYPES.index(t) for t in names]] = True
        rows = order[in_track[types_sorted]]
        if name in (*_SUMMED, "promise") and np.any(key[rows][1:] == key[rows][:-1]):
            rows = rows[np.lexsort((amount[rows], key[rows]))]  # ties only: same claim, day
        cum = None
        if name in _SUMMED:
            cum = pd.Series(np.nan_to_num(amount[rows])).groupby(code[rows]).cumsum().to_numpy()
        tkey = key[rows]
        # first position of each claim: events are sorted by claim, so it is the
        # number of events of the claims before it (a count, not a search)
        start = np.zeros(n, np.int64)
        np.cumsum(np.bincount(code[rows], minlength=n)[:-1], out=start[1:])
        tracks[name] = _Track(tkey, day[rows], start, cum, rows)

    # Promises by form (optional ``written`` column): in writing, or form unknown.
    written = _written(events, m)
    for name, keep in (("promise_written", written == 1), ("promise_unknown", written == -1)):
        rows = tracks["promise"].rows
        rows = rows[keep[rows]]
        start = np.zeros(n, np.int64)
        np.cumsum(np.bincount(code[rows], minlength=n)[:-1], out=start[1:])
        tracks[name] = _Track(key[rows], day[rows], start, None, rows)

    prom = tracks["promise"].rows
    pdates = _column(events, "promise_date", pd.NaT, m)
    promise_day = _days(pdates)[prom] if m else np.zeros(0, np.int64)

    inv_day, due_day = _days(claims["invoice_date"]), _days(claims["due_date"])
    amounts = claims["amount"].to_numpy(dtype=np.float64)
    # Day on which payments + credit notes first covered the claim (history).
    money = tracks["money"]
    mcode = money.key // span
    covered = np.flatnonzero(money.cum >= amounts[mcode] - _OPEN_TOLERANCE_EUR)
    first_code, first = np.unique(mcode[covered], return_index=True)
    settle_day = np.full(n, _NAT)
    settle_day[first_code] = money.day[covered[first]]
    settle_payments = np.zeros(n, np.int64)
    ok = settle_day != _NAT
    settle_payments[ok] = _count(tracks["payment"], np.flatnonzero(ok), settle_day[ok], day0, span)[
        1
    ]
    return _Index(
        claims=claims,
        inv_day=inv_day,
        due_day=due_day,
        amount=amounts,
        debtor_code=_positions(pd.Series(debtor_ids), claims["debtor_id"]),
        debtor_ids=debtor_ids,
        day0=day0,
        span=span,
        tracks=tracks,
        promise_day=promise_day,
        promise_eur=amount[prom],
        settle_day=settle_day,
        settle_payments=settle_payments,
    )


def _written(events: pd.DataFrame, m: int) -> np.ndarray:
    """Per event: 1 in writing, 0 not in writing, -1 unknown (no ``written`` column or empty)."""
    if "written" not in events.columns or m == 0:
        return np.full(m, -1, dtype=np.int8)
    w = pd.Series(events["written"]).reset_index(drop=True)
    if w.dtype.kind != "b" and str(w.dtype) != "boolean":  # text as written (a hand-made table)
        text = w.astype("str").str.strip().str.casefold()
        w = text.map({**dict.fromkeys(_YES, True), **dict.fromkeys(_NO, False)}).astype("boolean")
    return np.where(w.isna(), -1, w.fillna(False).astype(bool)).astype(np.int8)


def _count(tr: _Track, codes: np.ndarray, upto, day0: int, span: int):
    """Position after, and number of, each claim's events dated <= ``upto``."""
    off = np.clip(np.asarray(upto, dtype=np.int64) - day0, -1, span - 1)
    pos = np.searchsorted(tr.key, codes * span + off, side="right")
    return pos, pos - tr.start[codes]


def _last(values: np.ndarray, pos: np.ndarray, n: np.ndarray, fill) -> np.ndarray:
    """``values`` at each claim's last event counted (``fill`` if none)."""
    out = np.full(len(pos), fill, dtype=np.asarray(values).dtype if len(values) else None)
    ok = n > 0
    out[ok] = values[pos[ok] - 1]
    return out


def _balances(ix: _Index, codes: np.ndarray, a: int):
    """Per claim at day ``a``: paid, credited, first write-off day, outstanding, open."""
    tr, d0, sp = ix.tracks, ix.day0, ix.span
    eur = {}
    for name in ("payment", "credit"):
        t = tr[name]
        pos, n = _count(t, codes, a, d0, sp)
        eur[name] = _last(t.cum, pos, n, 0.0) if len(t.cum) else np.zeros(len(codes))
    wo = tr["write_off"]
    _, n_wo = _count(wo, codes, a, d0, sp)
    wo_day = np.full(len(codes), _NAT)
    wo_day[n_wo > 0] = wo.day[wo.start[codes[n_wo > 0]]]
    written_off = n_wo > 0
    outstanding = np.round(np.maximum(ix.amount[codes] - eur["payment"] - eur["credit"], 0.0), 2)
    outstanding[written_off] = 0.0
    is_open = (outstanding > _OPEN_TOLERANCE_EUR) & ~written_off
    return eur["payment"], eur["credit"], wo_day, outstanding, is_open


def _promises(ix: _Index, codes: np.ndarray, a: int):
    """Per included claim: promises kept, broken, pending, next date, pending euros."""
    t, d0, sp = ix.tracks["promise"], ix.day0, ix.span
    made = t.day <= a
    pcode = t.key[made] // sp
    made_day, pday, eur = t.day[made], ix.promise_day[made], ix.promise_eur[made]
    dated = pday != _NAT
    pcode, made_day, pday, eur = pcode[dated], made_day[dated], pday[dated], eur[dated]
    # Payments between the promise and min(promised date + grace, as_of).
    upto = np.minimum(pday + PROMISE_GRACE_DAYS, a)
    pay, money = ix.tracks["payment"], ix.tracks["money"]

    def paid(track: _Track, day: np.ndarray) -> np.ndarray:
        pos, n = _count(track, pcode, day, d0, sp)
        return _last(track.cum, pos, n, 0.0) if len(track.cum) else np.zeros(len(pcode))

    in_window = paid(pay, upto) - paid(pay, made_day - 1)
    settled = paid(money, upto) >= ix.amount[pcode] - _OPEN_TOLERANCE_EUR
    kept = (pday <= a) & ((in_window >= eur - PROMISE_TOLERANCE_EUR) | settled)
    broken = (pday + PROMISE_GRACE_DAYS < a) & ~kept
    pending = pday >= a
    n = len(ix.inv_day)
    next_day = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(next_day, pcode[pending], pday[pending])
    next_day[next_day == np.iinfo(np.int64).max] = _NAT
    pending_eur = np.bincount(pcode[pending], weights=np.nan_to_num(eur[pending]), minlength=n)
    return (
        np.bincount(pcode[kept], minlength=n)[codes].astype(np.int64),
        np.bincount(pcode[broken], minlength=n)[codes].astype(np.int64),
        np.bincount(pcode[pending], minlength=n)[codes] > 0,
        next_day[codes],
        pending_eur[codes],
    )


#: State columns of the court and prescription events: column -> track (last event).
_LEGAL_DATES = {
    "last_promise_form_unknown_date": "promise_unknown",
    "legacy_filing_date": "legacy_filing",
    "ip_request_date": "ip_request",
    "ip_order_date": "ip_order",
    "ip_service_date": "ip_service",
    "opposition_date": "opposition",
    "summons_date": "summons",
    "claim_declaration_date": "claim_declaration",
}


def _legal_dates(state: pd.DataFrame, last: dict, claims: pd.DataFrame) -> None:
    """Add the court and prescription dates (last of each type) and, when the input
    has them, ``legal_form`` (debtors) and ``performance_date`` (claims) to ``state``."""
    for col, track in _LEGAL_DATES.items():
        state[col] = _dates(last[track])
    if "legal_form" in claims:
        state["legal_form"] = claims["legal_form"].to_numpy()
    if "performance_date" in claims:
        dates = pd.to_datetime(
            claims["performance_date"], dayfirst=True, format="mixed", errors="coerce"
        )
        state["performance_date"] = dates.to_numpy("datetime64[ns]")
