"""Table checks, and :func:`validate_portfolio` for tables already in memory.

:func:`_finalize` (also used by ``_io`` after reading by chunks) runs the
table-level checks — duplicates, references, the cascade of dependent rows —
on rows typed by ``_rows._coerce``, and splits the valid rows from the
quarantine.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from recovery_analytics.portfolio import _parse
from recovery_analytics.portfolio._checks import (
    MAX_AMOUNT_EUR,
    check_rates,
    empty_warnings,
    mojibake_warnings,
    payment_warnings,
)
from recovery_analytics.portfolio._rows import _ID, _INTERNAL, _Flags
from recovery_analytics.portfolio._schema import (
    COLUMNS,
    TABLES,
    Portfolio,
    check_columns,
    empty_table,
)

__all__ = [
    "validate_portfolio",
]


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
    warnings: list[pd.DataFrame] = []
    rejected: dict[str, pd.Series] = {}
    quarantine, counts = [], []
    for table in TABLES:
        df = frames[table].reset_index(drop=True)
        flags = _Flags(df)
        key = _ID[table]
        ids = df[key]
        dup = pd.Series(False, index=df.index)
        if table != "events":
            codes = pd.Series(_parse.factorize(ids)[0], index=df.index)
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
            pos = _parse.index_in(pid, valid[parent][pkey])
            known = pd.Series(pos >= 0, index=df.index)
            why = rejected[parent]
            cascade = pd.Series(False, index=df.index)
            unknown = np.flatnonzero(pid.notna().to_numpy() & ~known.to_numpy())
            if len(unknown) and len(why):  # only the unknown references can be cascades
                cascade.iloc[unknown] = _parse.isin(pid.iloc[unknown], why.index)
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
        if table == "events" and "debtor_id" in df:
            _check_event_debtor(df, valid["claims"], flags)
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
        good = (df.loc[~bad] if bad.any() else df).drop(
            columns=[c for c in _INTERNAL if c != "_line"]
        )
        good = good.astype({c: d for c, (d, _) in COLUMNS[table].items()})
        label = sources.get(table, table)
        warnings.append(mojibake_warnings(good, table, label, key))
        if table == "events":
            good = _convert_events(good, valid["claims"], currency_rates)
            claim_pos = pos[~bad.to_numpy()]  # each valid event's claim, by position
            warnings.append(payment_warnings(good, valid["claims"], label, claim_pos))
            good = good.iloc[_by_date_and_claim(good)]
        valid[table] = good.drop(columns="_line").reset_index(drop=True)
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
        warnings=_concat_warnings(warnings),
    )


def _by_date_and_claim(events: pd.DataFrame) -> np.ndarray:
    """Positions sorting events by date, then claim_id (stable; Arrow sorts the text)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    claim = _parse.arrow_text(events["claim_id"])
    keys = pa.table({"d": pa.array(events["date"].to_numpy()), "c": claim})
    order = pc.sort_indices(keys, sort_keys=[("d", "ascending"), ("c", "ascending")])
    return order.to_numpy()


def _concat_warnings(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [w for w in parts if len(w)]
    if not parts:
        return empty_warnings()
    out = pd.concat(parts, ignore_index=True)
    return out.astype({c: "str" for c in out.columns if c != "line"} | {"line": "Int64"})


def _check_event_debtor(df: pd.DataFrame, claims: pd.DataFrame, flags: _Flags) -> None:
    """An event whose own debtor_id contradicts its claim's is quarantined."""
    theirs = df["claim_id"].map(claims.set_index("claim_id")["debtor_id"])
    own = _parse.clean_text(df["debtor_id"])
    clash = own.notna() & theirs.notna() & (own != theirs)
    flags.add(
        clash,
        "debtor_id",
        "debtor_mismatch",
        lambda v: (
            "event debtor_id "
            + v
            + " contradicts its claim "
            + df["claim_id"].iloc[v.index].astype("str")
            + ", which belongs to debtor "
            + theirs.iloc[v.index].astype("str")
        ),
        df["debtor_id"],
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
    max_amount_eur: float = MAX_AMOUNT_EUR,
) -> Portfolio:
    """Validate three in-memory tables with canonical column names.

    Values may be strings as exported (French dates, decimal commas, oui/non) or
    already typed. Every row ends in the returned tables or in its quarantine.
    :func:`recovery_analytics.portfolio.read_portfolio` does the same on files, chunk by chunk.

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
    max_amount_eur : float
        Plausibility ceiling of one amount in euros (default 100 M€): larger
        amounts, and amounts that are not finite, are quarantined.

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
    from recovery_analytics.portfolio._checks import check_ceiling
    from recovery_analytics.portfolio._rows import _coerce
    from recovery_analytics.portfolio._validate import _finalize  # imports this module

    currency_rates = check_rates(currency_rates, "currency_rates")
    max_amount_eur = check_ceiling(max_amount_eur, "max_amount_eur")
    frames, tables = {}, {"debtors": debtors, "claims": claims, "events": events}
    for table, df in tables.items():
        if df is None:
            df = empty_table(table)
        check_columns(table, list(df.columns), f"{source} {table}")
        df = df.assign(_line=np.arange(1, len(df) + 1))
        frames[table] = _coerce(
            table,
            df,
            decimal=decimal,
            dayfirst=dayfirst,
            currency_rates=currency_rates,
            max_amount_eur=max_amount_eur,
        )
    return _finalize(frames, {t: t for t in TABLES}, source=source, currency_rates=currency_rates)
