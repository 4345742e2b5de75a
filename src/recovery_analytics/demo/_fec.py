"""Write a demo portfolio as the FEC its creditor's accounting would export.

:func:`write_fec` writes one FEC per calendar fiscal year (art. A47 A-1 LPF: 18
columns, tab separated, ``YYYYMMDD`` dates, decimal comma): invoices in the
sales journal ``VT`` (411 against 706 and 44571, VAT at 20 %), credit notes in
``VT``, payments in the bank journal ``BQ`` (512), write-offs in ``OD``
against 654 (with the VAT recovered), each later year opening with the
invoices still open (journal ``AN``), and lettering (``EcritureLet``,
``DateLet``; lower case when partial). Non-financial events (reminders,
calls...) have no place in a FEC and are not written. A customer file and a
``mapping.toml`` (its ``[fec]`` section) go beside, so that
:func:`recovery_analytics.portfolio.read_portfolio` reads the folder back.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from recovery_analytics.portfolio import Portfolio

__all__ = ["write_fec"]

_HEADER = (
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\t"
    "CompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\t"
    "ValidDate\tMontantdevise\tIdevise"
)
_JOURNALS = {
    "AN": "A nouveaux",
    "VT": "Ventes",
    "BQ": "Banque",
    "OD": "Operations diverses",
}
_ACCOUNTS = {
    "411000": "Clients",
    "706000": "Prestations de services",
    "445710": "TVA collectee",
    "512000": "Banque",
    "654000": "Pertes sur creances irrecouvrables",
    "890000": "Bilan d'ouverture",
}


def _money(cents: np.ndarray) -> np.ndarray:
    cents = np.asarray(cents, np.int64)
    text = [f"{c // 100},{c % 100:02d}" for c in cents]
    return np.asarray(text, dtype=object)


def _ymd(dates) -> np.ndarray:
    return pd.DatetimeIndex(dates).strftime("%Y%m%d").to_numpy(dtype=object)


def _letters(n: int) -> np.ndarray:
    """AAA, AAB, ... (codes repeat after 17,576 lines; a lettering is per customer)."""
    return np.asarray(
        [chr(65 + k // 676 % 26) + chr(65 + k // 26 % 26) + chr(65 + k % 26) for k in range(n)],
        dtype=object,
    )


def _credits(portfolio: Portfolio) -> pd.DataFrame:
    """Payments, credit notes and write-offs in cents; a write-off takes the balance."""
    claims = portfolio.claims.set_index("claim_id")
    ev = portfolio.events.loc[portfolio.events["type"].isin(["payment", "credit_note"])]
    ev = ev.assign(cents=np.round(ev["amount"].to_numpy() * 100).astype(np.int64))
    wo = portfolio.events.loc[portfolio.events["type"] == "write_off"]
    wo = wo.drop_duplicates("claim_id")
    ordered = ev.sort_values("date", kind="stable")
    ordered = ordered.assign(cum=ordered.groupby("claim_id")["cents"].cumsum())
    left = wo[["claim_id", "date"]].reset_index().sort_values("date", kind="stable")
    merged = pd.merge_asof(left, ordered[["claim_id", "date", "cum"]], on="date", by="claim_id")
    paid = merged.set_index("index")["cum"].reindex(wo.index).fillna(0).to_numpy()
    total = np.round(claims.loc[wo["claim_id"], "amount"].to_numpy() * 100).astype(np.int64)
    wo = wo.assign(cents=total - paid.astype(np.int64))
    out = pd.concat([ev, wo.loc[wo["cents"] > 0]])[["claim_id", "date", "type", "cents"]]
    return out.sort_values(["date", "claim_id"], kind="stable").reset_index(drop=True)


def _year_lines(claims, credits, year, first, export, names, lag) -> pd.DataFrame:
    start, end = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    closing = min(end, export)
    before = credits.loc[credits["date"] < start].groupby("claim_id")["cents"].sum()
    wo_before = credits.loc[(credits["date"] < start) & (credits["type"] == "write_off")]
    opened = claims.loc[claims["invoice_date"] < start].copy()
    if year != first:
        opened["cents"] -= opened["claim_id"].map(before).fillna(0).astype(np.int64)
        opened = opened.loc[(opened["cents"] > 0) & ~opened["claim_id"].isin(wo_before["claim_id"])]
    sold = claims.loc[claims["invoice_date"].between(start, end)]
    mine = credits.loc[credits["date"].between(start, end)].copy()
    rows = []
    # lettering per claim line of this file: full (upper case) or partial (lower case)
    lines = pd.concat([opened.assign(j="AN"), sold.assign(j="VT")], ignore_index=True)
    got = mine.groupby("claim_id")["cents"].sum()
    last = mine.groupby("claim_id")["date"].max()
    s = lines["claim_id"].map(got).fillna(0).astype(np.int64)
    code = pd.Series(_letters(len(lines)), index=lines.index, dtype=object)
    code = code.where(s >= lines["cents"], code.str.lower()).where(s > 0)
    let_date = (lines["claim_id"].map(last) + lines["claim_id"].map(lag)).clip(upper=closing)
    letter = dict(zip(lines["claim_id"], zip(code, let_date, strict=True), strict=True))

    def add(journal, num, date, account, aux, piece, piece_date, lib, cents, let=None):
        rows.append((journal, num, date, account, aux, piece, piece_date, lib, cents, let))

    if len(opened):
        for r in opened.itertuples():
            add(
                "AN",
                "AN1",
                start,
                "411000",
                r.debtor_id,
                r.claim_id,
                r.invoice_date,
                f"A nouveau {r.claim_id}",
                r.cents,
                letter.get(r.claim_id),
            )
        add("AN", "AN1", start, "890000", None, "AN", start, "A nouveaux", -opened["cents"].sum())
    for r in sold.itertuples():
        ht = round(r.cents / 1.2)
        num = f"VT{r.Index + 1}"
        add(
            "VT",
            num,
            r.invoice_date,
            "411000",
            r.debtor_id,
            r.claim_id,
            r.invoice_date,
            f"Facture {r.claim_id}",
            r.cents,
            letter.get(r.claim_id),
        )
        add(
            "VT",
            num,
            r.invoice_date,
            "706000",
            None,
            r.claim_id,
            r.invoice_date,
            f"Facture {r.claim_id}",
            -ht,
        )
        add(
            "VT",
            num,
            r.invoice_date,
            "445710",
            None,
            r.claim_id,
            r.invoice_date,
            f"Facture {r.claim_id}",
            ht - r.cents,
        )
    debtor_of = claims.set_index("claim_id")["debtor_id"]
    for r in mine.itertuples():
        deb, let = debtor_of[r.claim_id], letter.get(r.claim_id)
        if r.type == "payment":
            num, piece = f"BQ{r.Index + 1}", f"RG{r.Index + 1}"
            add(
                "BQ",
                num,
                r.date,
                "411000",
                deb,
                piece,
                r.date,
                f"Reglement {r.claim_id}",
                -r.cents,
                let,
            )
            add(
                "BQ", num, r.date, "512000", None, piece, r.date, f"Reglement {r.claim_id}", r.cents
            )
            continue
        ht = round(r.cents / 1.2)
        journal, account, word = (
            ("VT", "706000", "Avoir") if r.type == "credit_note" else ("OD", "654000", "Perte")
        )
        num, piece = f"{journal}C{r.Index + 1}", f"AV{r.Index + 1}"
        add(
            journal,
            num,
            r.date,
            "411000",
            deb,
            piece,
            r.date,
            f"{word} {r.claim_id}",
            -r.cents,
            let,
        )
        add(journal, num, r.date, account, None, piece, r.date, f"{word} {r.claim_id}", ht)
        add(
            journal,
            num,
            r.date,
            "445710",
            None,
            piece,
            r.date,
            f"{word} {r.claim_id}",
            r.cents - ht,
        )
    cols = ["journal", "num", "date", "account", "aux", "piece", "piece_date", "lib", "cents"]
    cols.append("let")
    df = pd.DataFrame(rows, columns=cols)
    df = df.sort_values(["date", "journal", "num"], kind="stable")
    let = df["let"].map(lambda x: x if isinstance(x, tuple) else (None, pd.NaT))
    cents = df["cents"].to_numpy(np.int64)
    out = pd.DataFrame(
        {
            "JournalCode": df["journal"],
            "JournalLib": df["journal"].map(_JOURNALS),
            "EcritureNum": df["num"],
            "EcritureDate": _ymd(df["date"]),
            "CompteNum": df["account"],
            "CompteLib": df["account"].map(_ACCOUNTS),
            "CompAuxNum": df["aux"].fillna(""),
            "CompAuxLib": df["aux"].map(names).fillna(""),
            "PieceRef": df["piece"],
            "PieceDate": _ymd(df["piece_date"]),
            "EcritureLib": df["lib"],
            "Debit": _money(np.maximum(cents, 0)),
            "Credit": _money(np.maximum(-cents, 0)),
            "EcritureLet": [x[0] if isinstance(x[0], str) else "" for x in let],
            "DateLet": ["" if pd.isna(x[1]) else x[1].strftime("%Y%m%d") for x in let],
            "ValidDate": _ymd(df["date"]),
            "Montantdevise": "",
            "Idevise": "",
        }
    )
    return out


def write_fec(
    portfolio: Portfolio,
    out_dir: str | Path,
    *,
    as_of: str | pd.Timestamp | None = None,
    siren: str = "999999999",
) -> list[Path]:
    """Write ``portfolio`` as FEC files, one per calendar year, plus a customer file.

    Parameters
    ----------
    portfolio : Portfolio
        A validated portfolio (the demo's): claims and their payments, credit
        notes and write-offs become accounting entries.
    out_dir : str or Path
        Folder for ``<siren>FEC<yyyy>1231.txt``, ``clients.csv`` (the debtors,
        with each customer's usual payment terms) and ``mapping.toml``.
    as_of : date, optional
        Export date: the last file stops there and no lettering is dated later
        (default: the last event).
    siren : str
        The creditor's SIREN, in the file names.

    Returns
    -------
    list of Path
        The FEC files, oldest first.

    Examples
    --------
    >>> import tempfile
    >>> from recovery_analytics.demo import generate_demo
    >>> with tempfile.TemporaryDirectory() as d:
    ...     paths = write_fec(generate_demo(20, seed=1), d)
    ...     [p.name for p in paths]
    ['999999999FEC20241231.txt', '999999999FEC20251231.txt', '999999999FEC20261231.txt']
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    credits = _credits(portfolio)
    claims = portfolio.claims[["claim_id", "debtor_id", "invoice_date", "amount"]].copy()
    claims["cents"] = np.round(claims["amount"].to_numpy() * 100).astype(np.int64)
    export = pd.Timestamp(as_of) if as_of is not None else portfolio.events["date"].max()
    first = int(portfolio.events["date"].min().year) if len(portfolio.events) else export.year
    names = portfolio.debtors.set_index("debtor_id")["name"]
    # letterings come 0-9 days after the last settlement (deterministic), as accountants do
    lag = pd.Series(
        pd.to_timedelta(np.arange(len(claims)) % 10, unit="D"), index=claims["claim_id"]
    )
    paths = []
    for year in range(first, export.year + 1):
        lines = _year_lines(claims, credits, year, first, export, names, lag)
        path = out / f"{siren}FEC{year}1231.txt"
        lines.to_csv(path, sep="\t", index=False, lineterminator="\n", encoding="utf-8")
        paths.append(path)
    debtors = portfolio.debtors.copy()
    terms = (portfolio.claims["due_date"] - portfolio.claims["invoice_date"]).dt.days
    usual = terms.groupby(portfolio.claims["debtor_id"]).median().round()
    usual = usual.reindex(debtors["debtor_id"]).fillna(30).astype(np.int64)
    debtors["payment_terms_days"] = usual.to_numpy()
    debtors.to_csv(out / "clients.csv", index=False, date_format="%Y-%m-%d", lineterminator="\n")
    lines = ["# Written by recovery_analytics: how to read the FEC files of this folder."]
    lines += ["[fec]", 'customers = "clients.csv"']
    features = {k: v for k, v in sorted(portfolio.extra_features.items()) if v}
    if features:
        lines.append("[features]")
        lines += [f"{k} = [{', '.join(json.dumps(c) for c in v)}]" for k, v in features.items()]
    (out / "mapping.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paths
