"""Read FEC files (Fichier des Écritures Comptables) into one typed table of lines.

Private helper of :func:`recovery_analytics.portfolio.read_fec`. The FEC is the
accounting export every French company must hand to the tax administration
(art. L47 A and A47 A-1 of the Livre des procédures fiscales): one line per
accounting line, 18 columns, tab or ``|`` separated, dates ``YYYYMMDD``, amounts
with a decimal comma. This module finds FEC files, reads them (header case,
extra columns, a BOM, Windows-1252, the ``Montant``/``Sens`` variant) and runs
the structural checks of the specification (missing columns, unparsable
dates and amounts, unbalanced entries), each a single
:class:`~recovery_analytics.portfolio.InputError`.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from recovery_analytics.portfolio import _parse
from recovery_analytics.portfolio._mapping import Mapping
from recovery_analytics.portfolio._schema import InputError
from recovery_analytics.portfolio._sources import _csv_table, _detect_encoding, _sniff_bytes

__all__: list[str] = []

#: The 18 columns of the FEC (art. A47 A-1 LPF), in their official order.
FEC_COLUMNS: tuple[str, ...] = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)

#: Columns this reader needs; the others are read when present.
_NEEDED = (
    "JournalCode",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompAuxNum",
    "PieceRef",
    "PieceDate",
    "EcritureLet",
    "DateLet",
)
_OPTIONAL = ("JournalLib", "CompteLib", "CompAuxLib", "EcritureLib")
#: Entries may differ by rounding of at most this many cents (the spec wants 0).
_BALANCE_TOLERANCE_CENTS = 1
_FILE_SUFFIXES = (".txt", ".csv", ".tsv", ".tab", ".fec", ".gz")
#: ``_line`` of a line = file index * this + line number in its file.
LINE_BASE = 10**9


@dataclass
class FecLines:
    """The lines of one or several FEC files, typed, with the files' names."""

    lines: pd.DataFrame  # see _typed() for the columns
    files: list[str]
    skipped: list[tuple[int, str]]  # (encoded line, reason): lines that could not be split
    notes: list[str]


def _key(name: object) -> str:
    return _parse.norm_name(name).replace("_", "")


def looks_like_fec(path: Path) -> bool:
    """Whether ``path`` is a text file whose header line holds the FEC column names."""
    if not path.is_file() or path.stat().st_size == 0:
        return False
    try:
        head = _sniff_bytes(path)[:4096].decode("utf-8", errors="replace")
    except InputError:
        return False
    first = next((line for line in head.lstrip("\ufeff").splitlines() if line.strip()), "")
    keys = {_key(c) for c in first.replace("|", "\t").replace(";", "\t").split("\t")}
    return {"journalcode", "ecriturenum", "comptenum"} <= keys


def fec_files(source: str | Path | list) -> list[Path]:
    """The FEC files of a source: one file, a list of files, or a folder of them."""
    if isinstance(source, list | tuple):
        paths = [Path(p) for p in source]
    else:
        path = Path(source)
        if path.is_dir():
            paths = sorted(p for p in path.iterdir() if p.name.lower().endswith(_FILE_SUFFIXES))
            paths = [p for p in paths if looks_like_fec(p)]
            if not paths:
                raise InputError(f"{path}: no FEC file in this folder (no header with JournalCode)")
        else:
            paths = [path]
    for p in paths:
        if not p.is_file():
            raise InputError(f"FEC file {p} not found")
    if not paths:
        raise InputError("no FEC file given")
    return paths


def _read_one(path: Path, index: int, mapping: Mapping) -> tuple[pd.DataFrame, list, str]:
    if path.stat().st_size == 0:
        raise InputError(f"{path.name} is empty (0 bytes)")
    head = _sniff_bytes(path)
    encoding = mapping.encoding or _detect_encoding(path, head)
    text = head.decode(encoding, errors="replace").lstrip("\ufeff")
    header = next((line for line in text.splitlines() if line.strip()), "")
    sep = mapping.sep or ("|" if header.count("|") > header.count("\t") else "\t")
    table = _csv_table(path, Mapping(encoding=encoding, sep=sep), 250_000, fast=False)
    names = {_key(c): c for c in table.columns}
    montant_sens = "montant" in names and "sens" in names
    wanted = _NEEDED + (("Montant", "Sens") if montant_sens else ("Debit", "Credit"))
    missing = [c for c in wanted if _key(c) not in names]
    if missing:
        found = ", ".join(str(c) for c in table.columns)
        hint = ""
        if len(table.columns) == 1:
            hint = " Only one column was found: a FEC is separated by tabs or '|'."
        raise InputError(
            f"{path.name}: not a complete FEC, missing column(s) {', '.join(missing)} "
            f"(art. A47 A-1 LPF lists 18 columns); columns found: {found}.{hint}"
        )
    keep = {names[_key(c)]: c for c in (*wanted, *_OPTIONAL) if _key(c) in names}
    parts = [chunk[[*keep, "_line"]].rename(columns=keep) for chunk in table.chunks]
    df = pd.concat(parts, ignore_index=True)
    df["_line"] = table.relines(df["_line"].to_numpy(dtype=np.int64))
    # the CSV reader pads a line cut short with empty values: find them by their separators
    short = _short_lines(path, encoding, sep, len(table.columns))
    bad = df["_line"].isin(short).to_numpy()
    n = len(table.columns)
    skipped = [(index * LINE_BASE + line, why) for line, why in table.skipped]
    skipped += [
        (
            index * LINE_BASE + int(line),
            f"line has fewer fields than the {n} of the header: it could not be read",
        )
        for line in df.loc[bad, "_line"]
    ]
    df = df.loc[~bad].reset_index(drop=True)
    df["_line"] += index * LINE_BASE
    if montant_sens:
        sens = df.pop("Sens").astype("str").str.strip().str.upper().str[:1]
        amount = df.pop("Montant")
        df["Debit"] = amount.where(sens == "D", "0")
        df["Credit"] = amount.where(sens == "C", "0")
    return df, skipped, encoding


def _short_lines(path: Path, encoding: str, sep: str, n_fields: int) -> list[int]:
    """Line numbers (header = 1) of non-blank lines with fewer separators than the header."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rt", encoding=encoding, newline="") as fh:
        return [
            i
            for i, line in enumerate(fh.read().split("\n"), start=1)
            if line.strip() and line.count(sep) < n_fields - 1
        ]


def _fail_lines(name: str, df: pd.DataFrame, bad: pd.Series, col: str, expected: str) -> None:
    if not bad.any():
        return
    rows = df.loc[bad]
    examples = "; ".join(
        f"line {line % LINE_BASE}: {value!r}"
        for line, value in zip(rows["_line"].head(3), rows[col].head(3), strict=True)
    )
    raise InputError(
        f"{name}: {int(bad.sum())} line(s) have a {col} that is not {expected} "
        f"(e.g. {examples}); the FEC cannot be read reliably (art. A47 A-1 LPF)"
    )


def _amounts(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """FEC amounts: plain ``1234,56`` fast; anything else through the French parser."""
    text = s.astype("str").str.strip()
    values = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    values = values.astype("float64").where(np.isfinite(values))  # no "inf" amounts
    odd = (values.isna() & text.ne("") & text.notna()).to_numpy()
    bad = pd.Series(False, index=s.index)
    if odd.any():
        parsed, _, wrong = _parse.parse_amount(s[odd])
        values[odd] = parsed.to_numpy()
        bad[odd] = wrong.to_numpy()
    return values, bad


def _typed(df: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Parse dates and amounts; structural errors raise, one message per problem."""
    file_of = names[int(df["_line"].iloc[0] // LINE_BASE)] if len(df) else ""
    out = pd.DataFrame({"_line": df["_line"].to_numpy()})
    out["file"] = (df["_line"].to_numpy() // LINE_BASE).astype(np.int64)
    for col, new in (
        ("JournalCode", "journal"),
        ("EcritureNum", "num"),
        ("CompteNum", "account"),
        ("CompAuxNum", "aux"),
        ("CompAuxLib", "aux_name"),
        ("CompteLib", "account_name"),
        ("PieceRef", "piece"),
        ("EcritureLet", "letter"),
        ("EcritureLib", "label"),
    ):
        src = df[col] if col in df else pd.Series(np.nan, index=df.index, dtype="str")
        out[new] = _parse.clean_text(src).to_numpy()
    out["journal"] = out["journal"].str.upper()
    for col, new, required in (
        ("EcritureDate", "date", True),
        ("PieceDate", "piece_date", False),
        ("DateLet", "date_let", False),
    ):
        dates, bad = _parse.parse_date(df[col])
        if required:
            bad = bad | dates.isna()
        _fail_lines(file_of, df, bad.to_numpy(), col, "a date (expected YYYYMMDD)")
        out[new] = dates.to_numpy()
    cents = np.zeros(len(df), np.int64)
    for col, sign in (("Debit", 1), ("Credit", -1)):
        values, bad = _amounts(df[col])
        _fail_lines(file_of, df, bad.to_numpy(), col, "an amount (expected e.g. 1234,56)")
        cents += sign * np.round(values.fillna(0.0).to_numpy() * 100).astype(np.int64)
    out["cents"] = cents
    return out


def _check_balanced(name: str, lines: pd.DataFrame, skipped: list[tuple[int, str]]) -> None:
    """Each entry (JournalCode, EcritureNum) must balance: debits = credits."""
    keys = [lines["journal"].fillna(""), lines["num"].fillna("")]
    total = lines.groupby(keys, sort=False)["cents"].sum()
    bad = total[total.abs() > _BALANCE_TOLERANCE_CENTS]
    if len(bad):
        shown = ", ".join(f"{j} {n} ({c / 100:+.2f})" for (j, n), c in bad.head(3).items())
        raise InputError(
            f"{name}: {len(bad)} entr{'y is' if len(bad) == 1 else 'ies are'} not balanced "
            f"(debits differ from credits), e.g. journal/EcritureNum {shown}; "
            "a FEC must balance entry by entry (art. A47 A-1 LPF)"
            + (
                f"; {len(skipped)} line(s) could not be read, e.g. line "
                f"{skipped[0][0] % LINE_BASE}: {skipped[0][1]}"
                if skipped
                else ""
            )
        )


def read_fec_lines(paths: list[Path], mapping: Mapping) -> FecLines:
    """Read, type and check every file; lines keep ``_line`` = file index * 1e9 + line."""
    frames, skipped, notes = [], [], []
    names = [p.name for p in paths]
    if len(set(names)) < len(names):
        names = [str(p) for p in paths]
    for i, path in enumerate(paths):
        raw, skips, encoding = _read_one(path, i, mapping)
        if raw.empty:
            raise InputError(f"{path.name} has a FEC header but no lines")
        typed = _typed(raw, names)
        _check_balanced(names[i], typed, skips)
        frames.append(typed)
        skipped += skips
        if encoding == "cp1252":
            notes.append(f"{names[i]} read as Windows-1252")
    lines = pd.concat(frames, ignore_index=True)
    return FecLines(lines=lines, files=names, skipped=skipped, notes=notes)
