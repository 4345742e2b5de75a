"""A portfolio from a FEC: customers, open invoices and what settled them.

:func:`read_fec` turns the FEC of one or several fiscal years into a validated
:class:`~recovery_analytics.portfolio.Portfolio`: customer accounts become
debtors, their debits claims, their credits payments, credit notes and
write-offs matched to the claims by the lettering (then, for what the lettering
does not say, by the legal imputation rule). Every FEC line ends in the
portfolio, in the quarantine, or is counted as not a receivable
(``Portfolio.fec_lines``). Reading in ``_fec_read``, the journals in
``_fec_ledger``, the allocation in ``_fec_alloc``, defaults in ``_fec_config``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from recovery_analytics.portfolio._fec_alloc import allocate
from recovery_analytics.portfolio._fec_config import FecConfig
from recovery_analytics.portfolio._fec_ledger import (
    _CLAIM_KINDS,
    _CREDIT_KINDS,
    claim_ids,
    classify,
    match_openings,
)
from recovery_analytics.portfolio._fec_read import LINE_BASE, fec_files, read_fec_lines
from recovery_analytics.portfolio._fec_tables import assemble, customer_file
from recovery_analytics.portfolio._mapping import Mapping, load_mapping
from recovery_analytics.portfolio._schema import Portfolio

__all__ = ["read_fec"]

_EVENT_TYPE = {
    "payment": "payment",
    "opening_credit": "payment",
    "credit_note": "credit_note",
    "write_off": "write_off",
}


def _days(dates: pd.Series) -> np.ndarray:
    return dates.to_numpy(dtype="datetime64[D]").astype(np.int64)


def _letter_known(df: pd.DataFrame, as_of: pd.Timestamp | None) -> tuple[np.ndarray, np.ndarray]:
    """Lettering group of each line and whether it is known at ``as_of``.

    A group is one lettering code on one account in one file; it is dated by
    its latest ``DateLet`` (or, without one, its latest line).
    """
    lettered = df["letter"].notna().to_numpy()
    keys = pd.MultiIndex.from_arrays(
        [df["file"], df["account"].fillna(""), df["debtor_id"], df["letter"].fillna("")]
    )
    group, _ = pd.factorize(keys)
    when = df["date_let"].fillna(df["date"])
    dated = when.groupby(group).transform("max")
    known = lettered if as_of is None else lettered & (dated <= as_of).to_numpy()
    return np.where(lettered, group, -1), known


def _allocate_all(df, claims, credits, alias, as_of):
    """Lettering first (year by year), then first-in first-out imputation by customer."""
    group, known = _letter_known(df, as_of)
    c_rem = claims["cents"].to_numpy().copy()
    p_rem = credits["cents"].to_numpy().copy()
    c_row = pd.Series(np.arange(len(claims)), index=claims.index)
    p_row = pd.Series(np.arange(len(credits)), index=credits.index)
    c_order = claims["due_day"].to_numpy() * 10**10 + claims["_line"].to_numpy() % LINE_BASE
    p_order = credits["day"].to_numpy() * 10**10 + credits["_line"].to_numpy() % LINE_BASE
    out = []
    for rank in np.unique(df["rank"]):
        in_year = (df["rank"].to_numpy() == rank) & known
        c_lines = claims.index[in_year[claims.index]]
        c_idx = c_row[c_lines].to_numpy()
        a_lines = alias.index[in_year[alias.index]]
        a_idx = c_row[alias[a_lines].to_numpy()].to_numpy()
        a_cap = np.minimum(df.loc[a_lines, "cents"].to_numpy(), c_rem[a_idx])
        members = np.concatenate([c_idx, a_idx])
        p_idx = p_row[credits.index[in_year[credits.index]]].to_numpy()
        ci, pi, cents = allocate(
            group[np.concatenate([c_lines, a_lines])],
            c_order[members],
            np.concatenate([c_rem[c_idx], a_cap]),
            group[credits.index[p_idx]],
            p_order[p_idx],
            p_rem[p_idx],
        )
        ci, pi = members[ci], p_idx[pi]
        np.subtract.at(c_rem, ci, cents)
        np.subtract.at(p_rem, pi, cents)
        out.append((ci, pi, cents))
    debtor_c, debtor_p = claims["debtor_id"].to_numpy(), credits["debtor_id"].to_numpy()
    ci, pi, cents = allocate(debtor_c, c_order, c_rem, debtor_p, p_order, p_rem)
    np.subtract.at(p_rem, pi, cents)
    np.subtract.at(c_rem, ci, cents)
    out.append((ci, pi, cents))
    parts = [np.concatenate(x) for x in zip(*out, strict=True)]
    return parts, c_rem, p_rem


def _events(claims, credits, ci, pi, cents, c_rem) -> pd.DataFrame:
    cr = credits.iloc[pi]
    cl = claims.iloc[ci]
    kind = cr["category"].map(_EVENT_TYPE).to_numpy(dtype=object)
    day = np.maximum(cr["day"].to_numpy(), cl["inv_day"].to_numpy())
    ev = pd.DataFrame(
        {
            "claim_id": cl["claim_id"].to_numpy(),
            "date": (day.astype("datetime64[D]")).astype("datetime64[ns]"),
            "type": kind,
            "amount": cents / 100.0,
            "fec_file": cr["fec_file"].to_numpy(),
            "fec_line": cr["_line"].to_numpy() % LINE_BASE,
            "_line": cr["_line"].to_numpy(),
            "_claim": ci,
        }
    )
    # a loss entry closes a claim (write_off) when it is its last settlement; else it
    # reduces it like a credit note (the state zeroes a claim on any write_off)
    last = ev.groupby("_claim")["date"].transform("max") == ev["date"]
    closes = (c_rem[ci] == 0) & last.to_numpy()
    ev.loc[(ev["type"] == "write_off") & ~closes, "type"] = "credit_note"
    return ev.drop(columns="_claim")


def read_fec(
    source: str | Path | list,
    mapping: Mapping | str | Path | None = None,
    *,
    as_of: str | pd.Timestamp | None = None,
) -> Portfolio:
    """Read the FEC of one or several fiscal years as a portfolio.

    Parameters
    ----------
    source : str, Path or list
        A FEC file, a list of them, or a folder of them (one per fiscal year:
        they are read as one history, ordered by their dates).
    mapping : Mapping, path to a TOML file, or None
        Its ``[fec]`` section sets what a FEC does not say (payment terms,
        debtor type, a customer file) and which accounts and journals are read;
        ``[read]`` forces the encoding or separator. See ``docs/input-format.md``.
    as_of : date, optional
        Read the ledger as it stood on this date: letterings dated later are
        ignored (those credits are imputed by the legal rule instead), so that
        nothing after ``as_of`` tells which invoice a payment settled.

    Returns
    -------
    Portfolio
        Debtors (customer accounts), claims (their debits), events (payments,
        credit notes, write-offs), the quarantine, and ``fec_lines``: every
        FEC line with its ``file``, ``line`` and ``category``.

    Raises
    ------
    InputError
        On a structural problem: missing columns, an unparsable date or amount,
        an unbalanced entry, overlapping fiscal years.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> head = "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|"
    >>> head += "CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|"
    >>> head += "ValidDate|Montantdevise|Idevise"
    >>> rows = [
    ...     "VT|Ventes|1|20250110|411000|Clients|C1|Alpha|F1|20250110|F1|120,00|0,00|||||",
    ...     "VT|Ventes|1|20250110|706000|Services|||F1|20250110|F1|0,00|100,00|||||",
    ...     "VT|Ventes|1|20250110|445710|TVA|||F1|20250110|F1|0,00|20,00|||||",
    ...     "BQ|Banque|2|20250201|411000|Clients|C1|Alpha|V1|20250201|F1|0,00|50,00|||||",
    ...     "BQ|Banque|2|20250201|512000|Banque|||V1|20250201|F1|50,00|0,00|||||"]
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = pathlib.Path(d) / "123456789FEC20251231.txt"
    ...     _ = path.write_text("\\n".join([head, *rows]) + "\\n", encoding="utf-8")
    ...     p = read_fec(path)
    >>> p.claims[["claim_id", "debtor_id", "due_date", "amount"]].astype(str).values.tolist()
    [['F1', 'C1', '2025-02-09', '120.0']]
    >>> p.events[["claim_id", "type", "amount"]].values.tolist()
    [['F1', 'payment', 50.0]]
    >>> p.fec_lines["category"].value_counts().to_dict()
    {'not_receivable': 3, 'invoice': 1, 'payment': 1}
    """
    if mapping is not None and not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    mapping = mapping or Mapping()
    config = FecConfig.from_dict(mapping.fec, "mapping")
    when = None if as_of is None else pd.Timestamp(as_of).normalize()
    paths = fec_files(source)
    read = read_fec_lines(paths, mapping)
    df = classify(read.lines, config, read.files)
    df["fec_file"] = np.asarray(read.files, dtype=object)[df["file"].to_numpy()]
    alias = match_openings(df)
    customers = customer_file(config, paths[0], mapping)
    terms = pd.Series(config.payment_terms_days, index=df["debtor_id"].dropna().unique())
    if customers is not None and "payment_terms_days" in customers:
        given = pd.to_numeric(customers["payment_terms_days"], errors="coerce").dropna()
        terms.update(given.astype(np.int64))

    claims = df.loc[df["category"].isin(_CLAIM_KINDS)].copy()
    inv = claims["piece_date"].where(claims["piece_date"] <= claims["date"], claims["date"])
    inv = inv.where(claims["category"] != "other_debit", claims["date"])
    claims["inv_day"] = _days(inv)
    due = claims["inv_day"] + claims["debtor_id"].map(terms).fillna(0).astype(np.int64)
    claims["due_day"] = np.where(claims["category"] == "other_debit", claims["inv_day"], due)
    claims["claim_id"] = claim_ids(claims)
    credits = df.loc[df["category"].isin(_CREDIT_KINDS)].copy()
    credits["cents"] = -credits["cents"]
    credits["day"] = _days(credits["date"])
    (ci, pi, cents), c_rem, p_rem = _allocate_all(df, claims, credits, alias, when)
    events = _events(claims, credits, ci, pi, cents, c_rem)
    unallocated = credits.loc[p_rem == credits["cents"].to_numpy()]
    partly = int(((p_rem > 0) & (p_rem < credits["cents"].to_numpy())).sum())
    df.loc[unallocated.index, "category"] = "quarantined"
    df.loc[claims.index, "claim_id"] = claims["claim_id"]
    notes = list(read.notes)
    if partly:
        left = p_rem[(p_rem > 0) & (p_rem < credits["cents"].to_numpy())].sum() / 100
        notes.append(
            f"{partly} FEC credit line(s) exceed the invoices they could settle: "
            f"{left:,.2f} EUR left unallocated (advances or overpayments)"
        )
    return assemble(df, claims, events, unallocated, customers, mapping, read, source, notes, when)
