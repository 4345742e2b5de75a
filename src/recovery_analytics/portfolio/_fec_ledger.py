"""The customer ledger of a FEC: which line is an invoice, a payment, a credit note.

Private helper of :func:`recovery_analytics.portfolio.read_fec`. Works on the typed
lines of :func:`~recovery_analytics.portfolio._fec_read.read_fec_lines` and gives
every line a ``category`` (see :data:`CATEGORIES`), the claims and the credits.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from recovery_analytics.portfolio._fec_config import FecConfig
from recovery_analytics.portfolio._schema import InputError

__all__: list[str] = []

#: How a FEC line is read, in the order of ``Portfolio.fec_lines.category``.
CATEGORIES: dict[str, str] = {
    "invoice": "claim: a sales-journal debit on a customer account",
    "other_debit": "claim: another debit on a customer account (rejected payment, refund)",
    "opening_claim": "claim: an opening entry of the first year (an invoice still open)",
    "payment": "event payment: a bank credit (or another settlement) on a customer account",
    "credit_note": "event credit_note: a sales-journal credit on a customer account",
    "write_off": "event write_off: a credit against a bad-debt loss account (654, 6714)",
    "opening_credit": "event payment: an opening credit of the first year",
    "opening_matched": "opening entry matched to an invoice of a previous year (counted once)",
    "opening_carried": "opening entry of a later year, already in the previous year's lines",
    "transfer": "transfer between customer accounts of the same customer (nets to zero)",
    "not_receivable": "not a customer account: not a receivable",
    "quarantined": "in the quarantine, with its reason",
}

_CLAIM_KINDS = ("invoice", "other_debit", "opening_claim")
_CREDIT_KINDS = ("payment", "credit_note", "write_off", "opening_credit")


def _starts(s: pd.Series, prefixes: tuple[str, ...]) -> np.ndarray:
    return (
        s.fillna("").str.startswith(prefixes).to_numpy(dtype=bool)
        if prefixes
        else (np.zeros(len(s), bool))
    )


def _order_files(lines: pd.DataFrame, opening: np.ndarray, files: list[str]) -> np.ndarray:
    """Rank of each file by its first dated line (opening entries aside); overlaps raise."""
    n = len(files)
    body = lines.loc[~opening] if (~opening).any() else lines
    first = body.groupby("file")["date"].min().reindex(range(n))
    last = body.groupby("file")["date"].max().reindex(range(n))
    first = first.fillna(lines.groupby("file")["date"].min().reindex(range(n)))
    last = last.fillna(first)
    order = np.argsort(first.to_numpy(), kind="stable")
    for a, b in itertools.pairwise(order):
        if last.iloc[a] >= first.iloc[b]:
            raise InputError(
                f"FEC files {files[a]} and {files[b]} overlap ({first.iloc[b]:%d/%m/%Y} to "
                f"{last.iloc[a]:%d/%m/%Y}): give each fiscal year once"
            )
    rank = np.empty(n, np.int64)
    rank[order] = np.arange(n)
    return rank


def classify(lines: pd.DataFrame, config: FecConfig, files: list[str]) -> pd.DataFrame:
    """Add ``rank`` (fiscal-year order), ``debtor_id``, ``name``, ``entry`` and ``category``."""
    df = lines.copy()
    opening = df["journal"].isin(config.opening_journals).to_numpy()
    df["rank"] = _order_files(df, opening, files)[df["file"].to_numpy()]
    entry, _ = pd.factorize(
        pd.MultiIndex.from_arrays([df["file"], df["journal"].fillna(""), df["num"].fillna("")])
    )
    df["entry"] = entry
    n_entries = int(entry.max()) + 1 if len(entry) else 0

    def entry_has(prefixes: tuple[str, ...]) -> np.ndarray:
        hit = np.bincount(entry, weights=_starts(df["account"], prefixes), minlength=n_entries)
        return (hit > 0)[entry]

    kind = np.select(
        [
            opening,
            df["journal"].isin(config.sales_journals).to_numpy(),
            df["journal"].isin(config.bank_journals).to_numpy(),
            entry_has(config.treasury_accounts),
            entry_has(config.loss_accounts),
            entry_has(config.sales_accounts),
        ],
        ["opening", "sales", "bank", "bank", "loss", "sales"],
        "other",
    )
    customer = _starts(df["account"], config.customer_accounts)
    df["debtor_id"] = df["aux"].fillna(df["account"])
    df["name"] = df["aux_name"].where(df["aux"].notna(), df["account_name"])
    cents = df["cents"].to_numpy()
    debit, credit = cents > 0, cents < 0
    # a customer's debit and credit in the same entry that cancel out: a reclassification
    pair = pd.DataFrame({"e": entry, "d": df["debtor_id"], "c": cents, "p": debit, "n": credit})
    per = (
        pair.loc[customer]
        .groupby(["e", "d"])[["c", "p", "n"]]
        .agg({"c": "sum", "p": "any", "n": "any"})
    )
    moved = per.index[(per["c"] == 0) & per["p"] & per["n"]]
    transfer = customer & pd.MultiIndex.from_arrays([entry, df["debtor_id"]]).isin(moved)
    transfer &= kind != "opening"
    first_year = df["rank"].to_numpy() == 0
    category = np.select(
        [
            ~customer,
            cents == 0,
            transfer,
            (kind == "opening") & ~first_year,
            (kind == "opening") & debit,
            (kind == "opening") & credit,
            (kind == "sales") & debit,
            debit,
            (kind == "sales") & credit,
            (kind == "loss") & credit,
        ],
        [
            "not_receivable",
            "quarantined",
            "transfer",
            "opening_carried",
            "opening_claim",
            "opening_credit",
            "invoice",
            "other_debit",
            "credit_note",
            "write_off",
        ],
        "payment",
    )
    df["category"] = category
    return df


def match_openings(df: pd.DataFrame) -> pd.Series:
    """Opening debits of later years -> the line of the invoice they carry forward.

    Matched on the customer and ``PieceRef`` (the n-th opening line of a key in
    a file with the n-th invoice of that key); returns, per opening line
    matched, the row index of its invoice line, and marks it ``opening_matched``.
    """
    claims = df.loc[df["category"].isin(_CLAIM_KINDS)]
    carried = df.loc[(df["category"] == "opening_carried") & (df["cents"] > 0)]
    if claims.empty or carried.empty:
        return pd.Series(dtype="int64")
    key = ["debtor_id", "piece"]
    left = carried[[*key, "file", "rank"]].assign(
        n=carried.groupby([*key, "file"], dropna=False).cumcount()
    )
    right = claims[[*key, "rank"]].assign(n=claims.groupby(key, dropna=False).cumcount())
    right = right.rename(columns={"rank": "claim_rank"}).reset_index(names="claim_row")
    merged = left.reset_index(names="row").merge(right, on=[*key, "n"], how="inner")
    merged = merged.loc[(merged["claim_rank"] < merged["rank"]) & merged["piece"].notna()]
    df.loc[merged["row"].to_numpy(), "category"] = "opening_matched"
    return pd.Series(merged["claim_row"].to_numpy(), index=merged["row"].to_numpy())


def claim_ids(claims: pd.DataFrame) -> pd.Series:
    """``PieceRef``; ``-2``, ``-3`` for a second line of the same piece and customer;
    ``/customer`` when customers share a piece; the journal and entry when no piece."""
    base = claims["piece"].fillna(claims["journal"].fillna("") + "-" + claims["num"].fillna(""))
    nth = claims.groupby([claims["debtor_id"], base], sort=False).cumcount()
    base = base.where(nth == 0, base + "-" + (nth + 1).astype("str"))
    shared = claims["debtor_id"].groupby(base).transform("nunique")
    base = base.where(shared <= 1, base + "/" + claims["debtor_id"])
    dup = base.duplicated(keep=False)
    return base.where(~dup, base + "@" + (claims["_line"] % 10**9).astype("str"))
