"""Assemble the three tables of a FEC portfolio, validate them, account for every line.

Private helper of :func:`recovery_analytics.portfolio.read_fec`: the customer
file, the debtors / claims / events frames checked by the same code as files
(``_rows._coerce``, ``_validate._finalize``), the quarantine pointing at FEC
files and lines, and ``Portfolio.fec_lines``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from recovery_analytics.portfolio import _parse
from recovery_analytics.portfolio._fec_config import FecConfig
from recovery_analytics.portfolio._fec_read import LINE_BASE
from recovery_analytics.portfolio._mapping import Mapping
from recovery_analytics.portfolio._rows import _coerce
from recovery_analytics.portfolio._schema import DEBTOR_COLUMNS, InputError
from recovery_analytics.portfolio._sources import _csv_table
from recovery_analytics.portfolio._validate import _finalize

__all__: list[str] = []

#: Days of history the amicable model needs at its defaults (90-day horizon, four
#: snapshot dates 14 days apart); two years or more are better.
_TRAIN_DAYS = 90 + 3 * 14
_ZERO = "customer line with neither debit nor credit (0,00): nothing to collect or settle"


def customer_file(config: FecConfig, first: Path, mapping: Mapping) -> pd.DataFrame | None:
    """The customer file of the mapping (debtors columns), indexed by debtor_id."""
    if not config.customers:
        return None
    path = Path(config.customers)
    if not path.is_absolute():
        path = (first.parent if first.is_file() else first) / path
    if not path.is_file():
        raise InputError(f"customer file {path} (from [fec] customers) not found")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        df = pd.read_excel(path, dtype=str, na_filter=False)
    elif suffix in (".parquet", ".pq"):
        df = pd.read_parquet(path)
    else:
        table = _csv_table(path, mapping, 250_000, fast=False)
        df = pd.concat(list(table.chunks), ignore_index=True).drop(columns="_line")
    explicit = mapping.columns.get("debtors", {})
    canon = {c: c for c in DEBTOR_COLUMNS} | {"payment_terms_days": "payment_terms_days"}
    df = df.rename(
        columns=lambda c: (
            explicit.get(_parse.norm_name(c)) or canon.get(_parse.norm_name(c), str(c).strip())
        )
    )
    if "debtor_id" not in df:
        raise InputError(
            f"customer file {path.name}: no debtor_id column (the customer's account, "
            "CompAuxNum); map it under [debtors.columns]"
        )
    df["debtor_id"] = _parse.clean_text(df["debtor_id"])
    return df.dropna(subset=["debtor_id"]).drop_duplicates("debtor_id").set_index("debtor_id")


def _debtors(df: pd.DataFrame, customers, config: FecConfig) -> pd.DataFrame:
    cust = df.loc[df["category"] != "not_receivable"]
    first = cust.drop_duplicates("debtor_id")
    names = cust.dropna(subset=["name"]).drop_duplicates("debtor_id").set_index("debtor_id")
    out = pd.DataFrame({"debtor_id": first["debtor_id"].to_numpy(), "_line": first["_line"]})
    out["name"] = out["debtor_id"].map(names["name"])
    out["debtor_type"] = config.debtor_type
    if customers is not None:
        extra = customers.reindex(out["debtor_id"])
        for col in extra.columns:
            given = pd.Series(extra[col].to_numpy(), index=out.index)
            if col in out:
                given = _parse.clean_text(given.astype("str"))
                out[col] = given.fillna(out[col])
            else:
                out[col] = given
    return out.reset_index(drop=True)


def _flagged(
    rows: pd.DataFrame, table: str, reason: pd.Series, column: str, value, check: str
) -> pd.DataFrame:
    """Rows already rejected (FEC-level reasons), shaped like ``_coerce``'s output."""
    key = "debtor_id" if table == "debtors" else "claim_id"
    return pd.DataFrame(
        {
            key: rows["piece"].to_numpy(),
            "_line": rows["_line"].to_numpy(),
            "_qcol": column,
            "_qval": np.asarray(value, dtype=object),
            "_qreason": reason.to_numpy(dtype=object),
            "_qcheck": check,
        }
    )


def _accounting(df: pd.DataFrame, read, as_of) -> list[str]:
    counts = df["category"].value_counts()
    parts = ", ".join(f"{n:,d} {cat.replace('_', ' ')}" for cat, n in counts.items())
    if read.skipped:
        parts += f", {len(read.skipped):,d} unreadable (quarantined)"
    notes = [f"FEC: {len(df) + len(read.skipped):,d} lines in {len(read.files)} file(s): {parts}"]
    span = (df["date"].max() - df["date"].min()).days
    if len(read.files) == 1:
        notes.append(
            f"FEC: one fiscal year ({span} days of entries). Scoring works on it; training "
            f"needs at least {_TRAIN_DAYS} days of payments (90-day horizon and 4 snapshot "
            "dates) and learns customers' payment behaviour far better from 2 or 3 years: "
            "pass the previous years' FEC files too (a folder or a list)"
        )
    if as_of is not None:
        notes.append(f"FEC read as of {as_of:%d/%m/%Y}: letterings dated later are ignored")
    return notes


def assemble(df, claims, events, unallocated, customers, mapping, read, source, notes, as_of):
    """Validate the three frames like any source; decode FEC files and lines."""
    config = FecConfig.from_dict(mapping.fec)
    debtors = _debtors(df, customers, config)
    numeric = tuple(mapping.features.get("numeric", ()))
    for names in mapping.features.values():
        for name in names:
            if name not in debtors.columns:
                raise InputError(
                    f"feature column {name!r} declared under [features] is not a column of "
                    "the customer file ([fec] customers)"
                )
    claims_raw = pd.DataFrame(
        {
            "claim_id": claims["claim_id"].to_numpy(),
            "debtor_id": claims["debtor_id"].to_numpy(),
            "invoice_date": claims["inv_day"].to_numpy().astype("datetime64[D]"),
            "due_date": claims["due_day"].to_numpy().astype("datetime64[D]"),
            "amount": claims["cents"].to_numpy() / 100.0,
            "fec_file": claims["fec_file"].to_numpy(),
            "fec_line": claims["_line"].to_numpy() % LINE_BASE,
            "_line": claims["_line"].to_numpy(),
        }
    )
    for col in ("invoice_date", "due_date"):
        claims_raw[col] = claims_raw[col].astype("datetime64[ns]")
    zero = df.loc[df["category"] == "quarantined"].drop(unallocated.index)
    bad_claims = [
        _flagged(zero, "claims", pd.Series(_ZERO, index=zero.index), "Debit", "0", "fec_zero_line"),
        _flagged(
            pd.DataFrame({"piece": None, "_line": [line for line, _ in read.skipped]}),
            "claims",
            pd.Series([why for _, why in read.skipped], dtype=object),
            "",
            "",
            "malformed_line",
        ),
    ]
    why = (
        "credit of "
        + (unallocated["cents"] / 100).map("{:,.2f}".format).astype("str")
        + " EUR on customer "
        + unallocated["debtor_id"].astype("str")
        + " settles no invoice of the FEC (an advance, an overpayment, or invoices older than"
        " the first FEC given): left out of the balances"
    )
    written = (unallocated["cents"] / 100).map("{:.2f}".format).astype("str").str.replace(".", ",")
    bad_events = _flagged(unallocated, "events", why, "Credit", written, "fec_unallocated_credit")
    frames = {
        "debtors": _coerce("debtors", debtors, numeric_features=numeric),
        "claims": pd.concat([_coerce("claims", claims_raw), *bad_claims], ignore_index=True),
        "events": pd.concat([_coerce("events", events), bad_events], ignore_index=True),
    }
    frames["claims"] = frames["claims"].sort_values("_line", kind="stable")
    label = ", ".join(read.files)
    features = {k: list(v) for k, v in mapping.features.items()}
    p = _finalize(
        frames,
        dict.fromkeys(frames, label),
        source=str(source),
        notes=notes,
        extra_features=features,
    )
    q = p.quarantine
    file_of = q["line"].astype("int64") // LINE_BASE
    q["source"] = np.asarray(read.files, dtype=object)[file_of.to_numpy()]
    q["source"] = q["source"].astype("str")
    q["line"] = (q["line"] % LINE_BASE).astype("Int64")
    for table in ("claims", "events"):
        frame = getattr(p, table)
        frame["fec_line"] = frame["fec_line"].astype("int64")
    p.notes.extend(_accounting(df, read, as_of))
    lines = df[["fec_file", "_line", "journal", "num", "account", "debtor_id", "category"]]
    lines = lines.assign(_line=lines["_line"] % LINE_BASE).rename(
        columns={"fec_file": "file", "_line": "line"}
    )
    lines["debtor_id"] = lines["debtor_id"].where(lines["category"] != "not_receivable")
    lines["claim_id"] = df.get("claim_id")
    p.fec_lines = lines.reset_index(drop=True).astype({"line": "int64"})
    return p
