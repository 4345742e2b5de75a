"""Call-queue exports: the Excel workbook and the French-Excel CSV."""

from __future__ import annotations

import re
import time
import zipfile
from datetime import datetime

import pandas as pd
import pytest
from openpyxl import load_workbook

from recovery_analytics.demo import generate_demo
from recovery_analytics.queue import build_call_queue, write_call_queue


@pytest.fixture(scope="module")
def cq():
    # no model: the judicial prior gives p_amicable (keeps this file fast)
    return build_call_queue(generate_demo(200, seed=4), None, "2026-06-30", collectors=2,
                            calls_per_collector=6)  # fmt: skip


def test_xlsx_sheets_frozen_header_filters_and_formats(cq, tmp_path):
    path = write_call_queue(cq, tmp_path / "queue.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Synthèse", "C01", "C02", "Courriers", "Exclus", "Litiges",
                             "Coordonnées à vérifier"]  # fmt: skip
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref.startswith("A1:")
    ws = wb["C01"]
    header = [c.value for c in ws[1]]
    assert header[:6] == ["Rang", "Chargé", "N° client", "Débiteur", "Téléphone", "E-mail"]
    col = {h: i + 1 for i, h in enumerate(header)}
    assert ws.max_row == 1 + 6
    euro = ws.cell(row=2, column=col["Encours échu"])
    assert isinstance(euro.value, float) and euro.number_format == '#,##0.00 "€"'
    assert ws.cell(row=2, column=col["Probabilité"]).number_format == "0%"
    last = ws.cell(row=2, column=col["Dernier contact"])
    assert last.value is None or last.number_format == "DD/MM/YYYY"
    phones = [ws.cell(row=r, column=col["Téléphone"]).value for r in range(2, ws.max_row + 1)]
    assert all(re.fullmatch(r"0\d( \d\d){4}|\+\d+", p) for p in phones)
    assert ws.column_dimensions["C"].width >= 10
    # the id joins back to the ERP; the invoices of the call in their own column
    ids = [ws.cell(row=r, column=col["N° client"]).value for r in range(2, ws.max_row + 1)]
    mine = cq.queue[cq.queue["collector"] == "C01"]
    assert ids == mine["debtor_id"].tolist()
    first = ws.cell(row=2, column=col["Factures de l'appel"]).value.split(", ")
    behind = cq.claims[(cq.claims["debtor_id"] == ids[0]) & cq.claims["in_call"]]
    assert first == sorted(behind["claim_id"])
    # prints: landscape, fit to width, header row repeated, collector and date on top
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$1:$1"
    assert ws.oddHeader.center.text == "C01" and ws.oddHeader.right.text == "30/06/2026"
    cents = [ws.cell(row=r, column=col["Encours échu"]).value for r in range(2, ws.max_row + 1)]
    assert all(round(v, 2) == v for v in cents)
    summary = wb["Synthèse"]
    assert [c.value for c in summary[1]][:2] == ["Chargé", "Débiteurs"]
    assert [summary.cell(row=r, column=1).value for r in (2, 3)] == ["C01", "C02"]
    assert summary.cell(row=2, column=2).value == 6
    letters = wb["Courriers"]
    assert letters.max_row == 1 + len(cq.letters)
    assert wb["Exclus"].max_row == 1 + len(cq.excluded)


def test_english_headers(cq, tmp_path):
    wb = load_workbook(write_call_queue(cq, tmp_path / "q.xlsx", lang="en"))
    assert wb.sheetnames[0] == "Summary" and "Letters" in wb.sheetnames
    assert [c.value for c in wb["C01"][1]][:4] == ["Rank", "Collector", "Customer no.", "Debtor"]


def test_csv_is_semicolon_bom_decimal_comma_and_byte_identical(cq, tmp_path):
    a = write_call_queue(cq, tmp_path / "a.csv").read_bytes()
    b = write_call_queue(cq, tmp_path / "b.csv").read_bytes()
    assert a == b
    assert a.startswith(b"\xef\xbb\xbf")
    text = a.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0].startswith("Rang;Chargé;N° client;Débiteur;Téléphone;E-mail;Factures ouvertes")
    assert len([ln for ln in lines if ln]) == 1 + len(cq.queue)
    back = pd.read_csv(tmp_path / "a.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert back["Encours échu"].sum() == pytest.approx(cq.queue["total_outstanding_eur"].sum())
    assert back["Rang"].tolist() == cq.queue["rank"].tolist()
    assert back["N° client"].tolist() == cq.queue["debtor_id"].tolist()
    assert back["Probabilité"].str.fullmatch(r"\d{1,3} %").all()  # percentages
    assert not re.search(r"\d\d:\d\d:\d\d", text)  # dates without a time of day


def test_xlsx_is_byte_identical_and_stamped_with_as_of(cq, tmp_path, monkeypatch):
    a = write_call_queue(cq, tmp_path / "a.xlsx").read_bytes()
    # an hour later (zip member dates have a 2-second resolution): the same bytes
    later = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: later)
    b = write_call_queue(cq, tmp_path / "b.xlsx").read_bytes()
    monkeypatch.undo()
    assert a == b
    wb = load_workbook(tmp_path / "a.xlsx")
    assert wb.properties.created == wb.properties.modified == datetime(2026, 6, 30)
    with zipfile.ZipFile(tmp_path / "a.xlsx") as z:
        assert {m.date_time for m in z.infolist()} == {(2026, 6, 30, 0, 0, 0)}
    # another as_of, another stamp; the queue table alone gets a fixed one too
    c = write_call_queue(cq, tmp_path / "c.xlsx", as_of="2026-07-01").read_bytes()
    assert c != a
    q1 = write_call_queue(cq.queue, tmp_path / "q1.xlsx").read_bytes()
    q2 = write_call_queue(cq.queue, tmp_path / "q2.xlsx").read_bytes()
    assert q1 == q2


def test_refuses_other_suffixes(cq, tmp_path):
    with pytest.raises(ValueError, match=r"\.xlsx or \.csv"):
        write_call_queue(cq, tmp_path / "q.parquet")
