"""The export guard: hostile input text never becomes a formula in a collector's spreadsheet.

OWASP "CSV Injection": a debtor name ``=HYPERLINK(...)`` or ``=cmd|' /C calc'!A0``
written verbatim to an .xlsx or a CSV opened in Excel is a live formula.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from recovery_analytics.demo import generate_demo
from recovery_analytics.portfolio import ExportGuard, write_csv, write_quarantine, write_xlsx
from recovery_analytics.queue import build_call_queue, write_call_queue

LINK = '=HYPERLINK("http://evil.example","Payer ici")'
DDE = "=cmd|' /C calc'!A0"


@pytest.fixture(scope="module")
def hostile():
    p = generate_demo(200, seed=4)
    d = p.debtors.copy()
    d["name"] = [LINK, "Dupont\x0bMarie", "@SUM(1)", "-2+3", "+33 6 12 34 56 78"] * (len(d) // 5)
    d["email"] = DDE
    d.loc[d.index[::3], "phone"] = "@SUM(1)"  # not a phone: listed under "to check", as read
    p.debtors = d
    return build_call_queue(p, None, "2026-06-30", collectors=2, calls_per_collector=6)


def _all_cells(wb):
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]


def test_xlsx_has_no_formula_and_keeps_the_text(hostile, tmp_path):
    guard = ExportGuard()
    path = write_call_queue(hostile, tmp_path / "q.xlsx", guard=guard)
    wb = load_workbook(path)
    cells = _all_cells(wb)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    # the text is kept as the debtor wrote it, in a string cell with the quote prefix
    assert DDE in texts
    assert "Dupont Marie" in texts  # \x0b replaced by a space (the id has its own column)
    assert not any("\x0b" in t for t in texts)
    links = [c for c in cells if c.value == LINK]
    assert links and all(c.data_type == "s" and c.quotePrefix for c in links)
    assert all(c.hyperlink is None for c in cells)
    at = [c for c in cells if isinstance(c.value, str) and c.value.startswith("@SUM(1)")]
    assert at and all(c.data_type == "s" and c.quotePrefix for c in at)
    # numbers are still numbers
    ws = wb["C01"]
    assert isinstance(ws.cell(row=2, column=1).value, int)
    assert guard.escaped > 0 and guard.replaced > 0


def test_xlsx_with_hostile_text_is_still_byte_identical(hostile, tmp_path):
    a = write_call_queue(hostile, tmp_path / "a.xlsx").read_bytes()
    b = write_call_queue(hostile, tmp_path / "b.xlsx").read_bytes()
    assert a == b


def test_csv_prefixes_formula_like_text_with_an_apostrophe(hostile, tmp_path):
    guard = ExportGuard()
    text = write_call_queue(hostile, tmp_path / "q.csv", guard=guard).read_text("utf-8-sig")
    # fields as Excel reads them (a value with quotes or ';' is quoted in the file)
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))[1:]
    fields = [f for row in rows for f in row]
    assert not [f for f in fields if f[:1] in ("=", "+", "@", "\t", "\r")]
    assert f"'{DDE}" in text  # the e-mail column
    escaped = [f for f in fields if f.startswith("'")]
    assert escaped and guard.escaped == len(escaped)
    assert "\x0b" not in text


def test_guard_rules_one_by_one():
    g = ExportGuard()
    s = pd.Series([LINK, DDE, "+33612345678", "@SUM(1)", "-2+3", "-12,50", "\tx", "\rx",
                   "＝1+1", "Dupont\x0bMarie\x00", None, "SARL Martin"])  # fmt: skip
    got = g.text(s, "csv").tolist()
    assert got == ["'" + LINK, "'" + DDE, "'+33612345678", "'@SUM(1)", "'-2+3", "-12,50",
                   "'\tx", "'\rx", "'＝1+1", "Dupont Marie ", got[10], "SARL Martin"]  # fmt: skip
    assert pd.isna(got[10])
    assert (g.escaped, g.replaced) == (8, 2)
    # numbers are never touched, even negative ones
    frame = g.frame(pd.DataFrame({"amount": [-5.0, 1.5], "n": [-1, 2]}), "csv")
    assert frame["amount"].tolist() == [-5.0, 1.5] and frame["n"].tolist() == [-1, 2]


def test_quarantine_file_is_guarded(tmp_path):
    q = pd.DataFrame({"table": ["debtors", "claims"], "line": [2, 3],
                      "record_id": ["=1+1", "F1"], "value": [DDE, "-3"],
                      "reason": ["x", "amount '-3' is negative"]})  # fmt: skip
    text = write_quarantine(q, tmp_path / "quarantine.csv").read_text("utf-8-sig")
    assert text.splitlines()[1:] == [
        f"debtors;2;'=1+1;'{DDE};x",
        "claims;3;F1;-3;amount '-3' is negative",
    ]


def test_table_writers_csv_and_xlsx(tmp_path):
    df = pd.DataFrame({"claim_id": [LINK, "F2"], "outstanding_eur": [10.0, -1.0],
                       "reason_1": ["@SUM(1)", "\x0b"]})  # fmt: skip
    csv = write_csv(df, tmp_path / "t.csv").read_text()
    # quoted because it holds the separator; Excel reads the apostrophe first: text
    line = csv.splitlines()[1]
    assert line == '"\'=HYPERLINK(""http://evil.example"",""Payer ici"")",10.0,\'@SUM(1)'
    wb = load_workbook(write_xlsx(df, tmp_path / "t.xlsx"))
    ws = wb.active
    assert ws["A2"].value == LINK and ws["A2"].data_type == "s"
    assert ws["B3"].value == -1.0 and ws["B3"].data_type == "n"
    assert ws["C3"].value == " "
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv", "t.xlsx"]  # no temporary left


def test_a_write_that_fails_leaves_the_previous_file_whole(tmp_path):
    from recovery_analytics.portfolio import atomic_path

    target = write_quarantine(pd.DataFrame({"reason": ["old"]}), tmp_path / "quarantine.csv")
    before = target.read_bytes()
    with pytest.raises(OSError, match="No space left"), atomic_path(target) as tmp:
        tmp.write_text("reason\nnew, half writ")
        raise OSError(28, "No space left on device")
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["quarantine.csv"]  # no temporary left
