"""Call-queue files built for people: an Excel workbook or a French-Excel-friendly CSV.

:func:`write_call_queue` writes a :class:`~recovery_analytics.queue.CallQueue`
(or its ``queue`` table alone) to ``.xlsx`` (openpyxl: a summary sheet, one sheet
per collector, letters, excluded debtors, disputes and contact details to check;
frozen header, filters, euro and date formats, fitted column widths) or to
``.csv`` (the queue, ``;``-separated, decimal comma, UTF-8 with BOM so that
French Excel opens it cleanly). Headers are in French by default, English with
``lang="en"``. Phone numbers are written in pairs (``06 12 34 56 78``).

Text from the input (names, phones, e-mails, ids) goes through
:class:`~recovery_analytics.portfolio.ExportGuard`: it never becomes a formula.

These files carry personal data (names, phones, emails) on purpose: they are the
collectors' working lists. Management reports use debtor ids only.
"""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from recovery_analytics.portfolio import ExportGuard, atomic_path, write_csv
from recovery_analytics.queue._escalation import _action_labels
from recovery_analytics.queue._queue import CallQueue
from recovery_analytics.style import CHANNEL_LABELS

__all__ = [
    "HEADERS",
    "SHEETS",
    "export_tables",
    "write_call_queue",
]

#: Column key -> (French header, English header, kind); kinds drive Excel formats.
HEADERS: dict[str, tuple[str, str, str]] = {
    "rank": ("Rang", "Rank", "int"),
    "collector": ("Chargé", "Collector", "text"),
    "debtor_id": ("N° client", "Customer no.", "text"),
    "debtor": ("Débiteur", "Debtor", "text"),
    "contact": ("Téléphone", "Phone", "text"),
    "email": ("E-mail", "Email", "text"),
    "open_claims": ("Factures ouvertes", "Open claims", "int"),
    "invoices": ("Factures de l'appel", "Invoices of the call", "text"),
    "total_outstanding_eur": ("Encours échu", "Total outstanding", "eur"),
    "oldest_days_past_due": ("Retard max (jours)", "Oldest days past due", "int"),
    "p_amicable": ("Probabilité", "Probability", "pct"),
    "expected_recovery_eur": ("Euros attendus", "Expected euros", "eur"),
    "call_eur": ("Euros en plus grâce à l'appel", "Extra euros of the call", "eur"),
    "suggested_action": ("Action suggérée", "Suggested action", "text"),
    "talking_points": ("Points à aborder", "Talking points", "text"),
    "last_contact_date": ("Dernier contact", "Last contact", "date"),
    "promises": ("Promesses", "Promises", "text"),
    # other sheets
    "debtors": ("Débiteurs", "Debtors", "int"),
    "capacity_calls": ("Capacité (appels)", "Capacity (calls)", "int"),
    "expected_minutes": ("Minutes prévues", "Expected minutes", "num"),
    "capacity_minutes": ("Capacité (minutes)", "Capacity (minutes)", "num"),
    "net_eur": ("Gain net", "Net gain", "eur"),
    "action": ("Action", "Action", "text"),
    "channel": ("Canal", "Channel", "text"),
    "action_date": ("Date prévue", "Planned date", "date"),
    "late": ("En retard", "Late", "text"),
    "claims": ("Factures", "Claims", "text"),
    "n_claims": ("Nombre de factures", "Number of claims", "int"),
    "reason_label": ("Motif", "Reason", "text"),
    "detail": ("Détail", "Detail", "text"),
    "claim_id": ("Facture", "Claim", "text"),
    "amount": ("Montant", "Amount", "eur"),
    "outstanding_eur": ("Reste dû", "Outstanding", "eur"),
    "days_past_due": ("Jours de retard", "Days past due", "int"),
    "dispute_opened_date": ("Litige ouvert le", "Dispute opened on", "date"),
    "dispute_age_days": ("Âge du litige (jours)", "Dispute age (days)", "int"),
    "phone_raw": ("Téléphone saisi", "Phone as recorded", "text"),
    "phone_status": ("État du numéro", "Phone status", "text"),
    "debtor_type": ("Type", "Type", "text"),
}
#: Sheet names of the workbook (collector sheets come after the summary).
SHEETS: dict[str, tuple[str, str]] = {
    "summary": ("Synthèse", "Summary"),
    "letters": ("Courriers", "Letters"),
    "excluded": ("Exclus", "Excluded"),
    "disputes": ("Litiges", "Disputes"),
    "contact_to_check": ("Coordonnées à vérifier", "Contact details to check"),
}
_QUEUE_KEYS = ("rank", "collector", "debtor_id", "debtor", "contact", "email", "open_claims",
               "invoices", "total_outstanding_eur", "oldest_days_past_due", "p_amicable",
               "expected_recovery_eur", "call_eur", "suggested_action", "talking_points",
               "last_contact_date", "promises")  # fmt: skip
_FORMATS = {
    "eur": '#,##0.00 "€"',
    "pct": "0%",
    "int": "0",
    "num": "0.0",
}
_YES = {"fr": ("oui", "non"), "en": ("yes", "no")}


def _debtor(frame: pd.DataFrame) -> pd.Series:
    """The debtor's name (its id when it has none); the id has its own column."""
    ids = frame["debtor_id"].astype("str")
    return frame["name"].astype("str").fillna(ids) if "name" in frame else ids


def _pct_text(values: pd.Series, lang: str) -> pd.Series:
    """Probabilities as percentages French Excel reads as numbers (``42 %``; en ``42%``)."""
    pct = (pd.to_numeric(values, errors="coerce") * 100).round(0)
    text = pct.astype("Int64").astype("str") + (" %" if lang == "fr" else "%")
    return text.where(pct.notna(), "")


def _rename(frame: pd.DataFrame, keys: tuple[str, ...], lang: str) -> pd.DataFrame:
    i = 0 if lang == "fr" else 1
    out = frame[list(keys)].copy()
    out.columns = [HEADERS[k][i] for k in keys]
    return out


def _yes(values: pd.Series, lang: str) -> pd.Series:
    yes, no = _YES[lang]
    return pd.Series(np.where(values.to_numpy(dtype=bool), yes, no), index=values.index)


def _queue_frame(queue: pd.DataFrame, lang: str) -> pd.DataFrame:
    q = queue.assign(debtor=_debtor(queue), contact=queue["phone"])
    if "invoices" not in q:  # a queue table from before issue 11
        q["invoices"] = pd.Series("", index=q.index, dtype="str")
    return _rename(q, _QUEUE_KEYS, lang)


def export_tables(cq: CallQueue | pd.DataFrame, lang: str = "fr") -> dict[str, pd.DataFrame]:
    """The tables of the export, with people's headers, keyed by sheet name.

    Parameters
    ----------
    cq : CallQueue or pandas.DataFrame
        A call queue, or its ``queue`` table alone (then one sheet per collector).
    lang : {"fr", "en"}

    Returns
    -------
    dict of str to pandas.DataFrame
        Summary, one per collector (in the summary's order), letters,
        excluded, disputes, contact details to check (those of a CallQueue).

    Examples
    --------
    >>> q = pd.DataFrame({"rank": [1], "collector": ["C01"], "debtor_id": ["D1"],
    ...     "name": ["SARL X"], "phone": ["06 12 34 56 78"], "email": [None], "open_claims": [1],
    ...     "total_outstanding_eur": [100.0], "oldest_days_past_due": [30],
    ...     "p_amicable": [0.5], "expected_recovery_eur": [50.0], "call_eur": [5.0],
    ...     "suggested_action": ["Appeler"], "talking_points": [""],
    ...     "last_contact_date": [pd.NaT], "promises": ["aucune"]})
    >>> list(export_tables(q))
    ['C01']
    """
    if lang not in _YES:
        raise ValueError(f"lang must be 'fr' or 'en', got {lang!r}")
    i = 0 if lang == "fr" else 1
    queue = cq.queue if isinstance(cq, CallQueue) else cq
    tables: dict[str, pd.DataFrame] = {}
    if isinstance(cq, CallQueue):
        keys = ("collector", "debtors", "capacity_calls", "expected_minutes",
                "capacity_minutes", "total_outstanding_eur", "expected_recovery_eur", "call_eur",
                "net_eur")  # fmt: skip
        tables[SHEETS["summary"][i]] = _rename(cq.summary, keys, lang)
        order = list(cq.summary["collector"])
    else:
        order = sorted(queue["collector"].dropna().unique())
    for name in order:
        tables[_sheet_name(name, tables)] = _queue_frame(
            queue[(queue["collector"] == name).to_numpy()], lang
        )
    if isinstance(cq, CallQueue):
        let = cq.letters.assign(
            debtor=_debtor(cq.letters),
            action=cq.letters["action"].map(_action_labels(lang)),
            channel=cq.letters["channel"].map({k: v[i] for k, v in CHANNEL_LABELS.items()}),
            late=_yes(cq.letters["late"], lang),
        )
        keys = ("debtor_id", "debtor", "email", "action", "channel", "action_date", "late",
                "claims", "n_claims", "total_outstanding_eur")  # fmt: skip
        tables[SHEETS["letters"][i]] = _rename(let, keys, lang)
        ex = cq.excluded.assign(debtor=_debtor(cq.excluded), phone_raw=cq.excluded["phone"])
        keys = ("debtor_id", "debtor", "phone_raw", "reason_label", "detail", "open_claims",
                "total_outstanding_eur", "oldest_days_past_due")  # fmt: skip
        tables[SHEETS["excluded"][i]] = _rename(ex, keys, lang)
        dis = cq.disputes.assign(debtor=_debtor(cq.disputes))
        keys = ("debtor_id", "debtor", "claim_id", "amount", "outstanding_eur", "days_past_due",
                "dispute_opened_date", "dispute_age_days")  # fmt: skip
        tables[SHEETS["disputes"][i]] = _rename(dis, keys, lang)
        con = cq.contact_to_check
        con = con.assign(debtor=_debtor(con), phone_raw=con["phone"])
        keys = ("debtor_id", "debtor", "phone_raw", "phone_status", "email", "debtor_type",
                "open_claims",
                "total_outstanding_eur", "oldest_days_past_due")  # fmt: skip
        tables[SHEETS["contact_to_check"][i]] = _rename(con, keys, lang)
    return tables


def _sheet_name(name: str, taken: dict) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", str(name))[:31] or "_"
    out, k = base, 2
    while out in taken:
        out = f"{base[:28]}_{k}"
        k += 1
    return out


def _kind_of(header: str) -> str:
    for fr, en, kind in HEADERS.values():
        if header in (fr, en):
            return kind
    return "text"


class _StampedZip(zipfile.ZipFile):
    """A zip archive whose members all carry one fixed date (openpyxl stamps them with now)."""

    def __init__(self, path: Path, stamp: datetime):
        super().__init__(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self._stamp = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = zipfile.ZipInfo(str(zinfo_or_arcname), date_time=self._stamp)
            zinfo_or_arcname.compress_type = self.compression
            zinfo_or_arcname.external_attr = 0o600 << 16
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        # openpyxl writes the worksheets from temporary files: drop their mtime
        data = Path(filename).read_bytes()
        self.writestr(arcname or Path(filename).name, data, compress_type, compresslevel)


def _save_stamped(wb, path: Path, stamp: datetime) -> None:
    """Save ``wb`` byte-identically for the same content: fixed properties and member dates."""
    from openpyxl.writer.excel import ExcelWriter

    wb.properties.created = wb.properties.modified = stamp
    with _StampedZip(path, stamp) as archive:
        ExcelWriter(wb, archive).save()


def _print_setup(ws: Any, sheet: str, stamp: datetime, lang: str) -> None:
    """Landscape, fit to the page width, header row on every page, sheet and date on top."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    day = stamp.strftime("%d/%m/%Y" if lang == "fr" else "%Y-%m-%d")
    title = "File d'appels" if lang == "fr" else "Call queue"
    ws.oddHeader.left.text = title
    ws.oddHeader.center.text = sheet.replace("&", "&&")
    ws.oddHeader.right.text = day
    ws.oddFooter.right.text = "&P / &N"


def _write_xlsx(
    tables: dict[str, pd.DataFrame], path: Path, lang: str, stamp: datetime, guard: ExportGuard
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    date_fmt = "DD/MM/YYYY" if lang == "fr" else "YYYY-MM-DD"
    head_font, head_fill = Font(bold=True), PatternFill("solid", fgColor="DDE5F0")
    for sheet, frame in tables.items():
        ws = wb.create_sheet(sheet)
        ws.append(list(frame.columns))
        kinds = [_kind_of(c) for c in frame.columns]
        cols = []
        for c, kind in zip(frame.columns, kinds, strict=True):
            s = frame[c]
            if kind == "date":  # a date, without a time of day
                values = [None if pd.isna(v) else v.date() for v in pd.to_datetime(s)]
            elif kind in ("eur", "pct", "num", "int"):
                arr = pd.to_numeric(s, errors="coerce").to_numpy(dtype="float64")
                arr = np.round(arr, 2) if kind == "eur" else arr  # euros to the cent
                values = [None if np.isnan(v) else (int(v) if kind == "int" else float(v))
                          for v in arr]  # fmt: skip
            else:
                text = pd.Series(
                    [None if pd.isna(v) else str(v) for v in s.astype("object")], dtype="object"
                )
                values = list(guard.text(text, "xlsx"))
            cols.append(values)
        for row in zip(*cols, strict=True) if cols else ():
            ws.append(list(row))
        for j, (c, kind) in enumerate(zip(frame.columns, kinds, strict=True), start=1):
            cell = ws.cell(row=1, column=j)
            cell.font, cell.fill = head_font, head_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            fmt = date_fmt if kind == "date" else _FORMATS.get(kind)
            if fmt:
                for r in range(2, len(frame) + 2):
                    ws.cell(row=r, column=j).number_format = fmt
            lengths = [len(str(c))] + [len(str(v)) for v in cols[j - 1] if v is not None]
            width = 12 if kind == "date" else min(max(lengths) + 2, 60)
            ws.column_dimensions[get_column_letter(j)].width = max(width, 8)
            if c in (HEADERS["talking_points"][0], HEADERS["talking_points"][1]):
                for r in range(2, len(frame) + 2):
                    ws.cell(row=r, column=j).alignment = Alignment(wrap_text=True)
        ws.freeze_panes = "A2"
        _print_setup(ws, sheet, stamp, lang)
        if len(frame.columns):
            last = get_column_letter(len(frame.columns))
            ws.auto_filter.ref = f"A1:{last}{len(frame) + 1}"
    if not wb.sheetnames:
        wb.create_sheet("Vide" if lang == "fr" else "Empty")
    guard.workbook(wb)  # text from the input stays text: never a formula
    with atomic_path(path) as tmp:
        _save_stamped(wb, tmp, stamp)


def write_call_queue(
    cq: CallQueue | pd.DataFrame,
    path: str | Path,
    lang: str = "fr",
    *,
    as_of: Any = None,
    guard: ExportGuard | None = None,
) -> Path:
    """Write the call queue for people; ``.xlsx`` or ``.csv`` chosen by the suffix.

    ``.xlsx``: a summary sheet, one sheet per collector, then letters,
    excluded debtors, disputes and contact details to check; the debtor id
    (``N° client``) in its own column beside the name, the invoices of the
    call in theirs; header frozen, filters on, euros rounded to the cent as
    ``#,##0.00 €``, dates as dates ``dd/mm/yyyy`` (``lang="en"``: ISO),
    probabilities as percentages, fitted column widths; printed landscape,
    fit to the page width, header row on every page, the sheet (collector)
    and the date in the page header.
    ``.csv``: the queue of every collector, ``;``-separated, decimal comma,
    dates ``dd/mm/yyyy``, probabilities ``42 %``, UTF-8 with BOM. Both are
    byte-identical for the same queue: the workbook's created/modified
    properties and the dates of its zip members are ``as_of`` (midnight), not
    the time of writing.

    Parameters
    ----------
    cq : CallQueue or pandas.DataFrame
        A :class:`~recovery_analytics.queue.CallQueue` or its ``queue``.
    path : str or Path
        Ends in ``.xlsx`` or ``.csv``.
    lang : {"fr", "en"}
    as_of : date-like, optional
        Date stamped in the ``.xlsx``; default the queue's ``as_of`` (a
        ``queue`` table alone: 1 January 1980, the earliest zip date).
    guard : ExportGuard, optional
        Names, phones, e-mails and ids come from the input: text starting
        like a formula (``= + - @``) is written as text (a string cell in the
        workbook, a leading apostrophe in the CSV) and control characters are
        replaced by a space (:class:`~recovery_analytics.portfolio.ExportGuard`;
        pass one to read its counts). The file is written to a temporary name
        and renamed when complete.

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> q = pd.DataFrame({"rank": [1], "collector": ["C01"], "debtor_id": ["D1"],
    ...     "name": ["SARL X"], "phone": ["06 12 34 56 78"], "email": [None], "open_claims": [1],
    ...     "total_outstanding_eur": [1234.5], "oldest_days_past_due": [30],
    ...     "p_amicable": [0.5], "expected_recovery_eur": [50.0], "call_eur": [5.0],
    ...     "suggested_action": ["Appeler"], "talking_points": [""],
    ...     "last_contact_date": [pd.Timestamp("2026-06-01")], "promises": ["aucune"]})
    >>> out = write_call_queue(q, pathlib.Path(tempfile.mkdtemp()) / "q.csv")
    >>> out.read_text(encoding="utf-8-sig").splitlines()[1]
    '1;C01;D1;SARL X;06 12 34 56 78;;1;;1234,50;30;50 %;50,00;5,00;Appeler;;01/06/2026;aucune'
    """
    path = Path(path)
    if lang not in _YES:
        raise ValueError(f"lang must be 'fr' or 'en', got {lang!r}")
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ValueError(f"{path.name}: the call queue is written as .xlsx or .csv")
    guard = ExportGuard() if guard is None else guard
    queue = cq.queue if isinstance(cq, CallQueue) else cq
    if suffix == ".csv":
        frame = _queue_frame(queue, lang)
        prob = HEADERS["p_amicable"][0 if lang == "fr" else 1]
        frame[prob] = _pct_text(frame[prob], lang)
        write_csv(
            frame,
            path,
            guard=guard,
            sep=";",
            index=False,
            encoding="utf-8-sig",
            decimal="," if lang == "fr" else ".",
            float_format="%.2f",
            date_format="%d/%m/%Y" if lang == "fr" else "%Y-%m-%d",
            lineterminator="\r\n",
        )
        return path
    if as_of is None:
        as_of = cq.as_of if isinstance(cq, CallQueue) else "1980-01-01"
    day = pd.Timestamp(as_of)
    stamp = datetime(day.year, day.month, day.day)
    _write_xlsx(export_tables(cq, lang), path, lang, stamp, guard)
    return path
