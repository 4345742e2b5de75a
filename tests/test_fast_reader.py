"""The fast CSV reader and the fast amount parser give what the careful ones give.

The fast path (pyarrow's CSV parser, whole-column casts) must be invisible: same
typed rows, same quarantine (lines, reasons), same warnings as the pandas reader
and the French parser it stands in front of. Each test reads the same files both
ways (the careful way by switching the fast reader off) and compares everything.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from recovery_analytics.demo import generate_demo
from recovery_analytics.portfolio import _csv_arrow, _parse, _sources, read_portfolio

FIXTURE = Path(__file__).parent / "fixtures" / "erp_fr"


def _both_ways(source, monkeypatch, **kwargs):
    fast = read_portfolio(source, **kwargs)
    with monkeypatch.context() as m:
        m.setattr(_sources, "arrow_chunks", lambda *a, **k: None)
        careful = read_portfolio(source, **kwargs)
    return fast, careful


def _assert_same(fast, careful):
    for name in ("debtors", "claims", "events", "quarantine", "warnings", "counts"):
        pd.testing.assert_frame_equal(getattr(fast, name), getattr(careful, name), obj=name)


@pytest.fixture(scope="module")
def demo():
    return generate_demo(60, seed=3, as_of="2026-06-30")


def _french(df: pd.DataFrame) -> pd.DataFrame:
    """A French export: decimal comma, dd/mm/yyyy dates."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype.kind == "M":
            out[col] = out[col].dt.strftime("%d/%m/%Y")
        elif out[col].dtype.kind == "f":
            out[col] = out[col].map(lambda v: "" if pd.isna(v) else f"{v:.2f}".replace(".", ","))
    return out


def test_erp_fixture_reads_the_same_both_ways(tmp_path, monkeypatch):
    fast, careful = _both_ways(FIXTURE, monkeypatch)
    _assert_same(fast, careful)
    assert len(fast.quarantine) > 0  # the fixture's nasty rows are there both ways


@pytest.mark.parametrize("french", [False, True])
def test_demo_csv_reads_the_same_both_ways(demo, tmp_path, monkeypatch, french):
    for table in ("debtors", "claims", "events"):
        df = getattr(demo, table)
        if french:
            _french(df).to_csv(tmp_path / f"{table}.csv", sep=";", index=False, encoding="cp1252")
        else:
            df.to_csv(tmp_path / f"{table}.csv", index=False, date_format="%Y-%m-%d")
    fast, careful = _both_ways(tmp_path, monkeypatch, chunksize=97)
    _assert_same(fast, careful)
    assert len(fast.claims) == len(demo.claims)
    assert np.allclose(fast.claims["amount"], demo.claims["amount"].round(2))


def test_a_bad_line_falls_back_to_the_careful_reader(tmp_path, monkeypatch):
    shutil.copytree(FIXTURE, tmp_path / "src")
    claims = tmp_path / "src" / "claims.csv"
    lines = claims.read_text(encoding="utf-8-sig").splitlines()
    sep = ";" if lines[0].count(";") > lines[0].count(",") else ","
    lines.insert(3, sep.join(["Z9", "X", *[""] * (lines[0].count(sep) + 2)]))  # too many fields
    claims.write_text("\n".join(lines) + "\n", encoding="utf-8")
    used = []
    real = _csv_arrow._frame
    monkeypatch.setattr(_csv_arrow, "_frame", lambda *a: used.append(1) or real(*a))
    fast, careful = _both_ways(tmp_path / "src", monkeypatch, chunksize=2)
    _assert_same(fast, careful)
    assert used, "the fast reader read the other files"
    q = fast.quarantine
    assert q.loc[q["check"] == "malformed_line", "line"].tolist() == [4]


def test_fast_reader_is_used_on_a_clean_file(demo, tmp_path, monkeypatch):
    demo.claims.to_csv(tmp_path / "claims.csv", index=False)
    demo.debtors.to_csv(tmp_path / "debtors.csv", index=False)
    calls = []
    real = _csv_arrow._frame
    monkeypatch.setattr(_csv_arrow, "_frame", lambda *a: calls.append(1) or real(*a))
    p = read_portfolio(tmp_path, chunksize=50)
    assert len(calls) >= 2 and len(p.claims) == len(demo.claims)


SPELLINGS = [
    "1 234,56 €", "EUR 1.234,56", "-12.5", "x", "", None, "  7 ", "-0", "0012.50", "1.234",
    "1,234", "1.234.567", "12,5", "1e5", "inf", "nan", "9" * 20, "9" * 401, "+12", "\u221212",
    "12.", ".5", "0.1", "123456789012345.123456789012345", "1\u202f234", "12.345,6 $",
]  # fmt: skip


@pytest.mark.parametrize("decimal", [None, ".", ","])
def test_amount_fast_path_equals_the_french_parser(decimal):
    s = pd.Series(SPELLINGS * 3, dtype="str")
    fast = _parse.parse_amount(s, decimal)
    careful = _parse._parse_amount_text(_parse.clean_text(s), decimal)
    for got, want in zip(fast, careful, strict=True):
        pd.testing.assert_series_equal(got, want, check_names=False)
    # '-12.5' is plain, except that with decimal="," a lone '.' separates thousands
    assert fast[0].iloc[2] == (-125.0 if decimal == "," else -12.5)
    assert fast[2].iloc[3] and not fast[2].iloc[2]  # 'x' is not a number


@pytest.mark.parametrize("point", [".", ","])
def test_amount_fast_path_is_bit_exact_on_plain_numbers(point):
    rng = np.random.default_rng(0)
    values = np.round(rng.lognormal(5, 3, 20_000), 2) * rng.choice([-1, 1], 20_000)
    s = pd.Series(values.astype(str), dtype="str").str.replace(".", point, regex=False)
    fast = _parse.parse_amount(s)[0].to_numpy()
    careful = _parse._parse_amount_text(_parse.clean_text(s), None)[0].to_numpy()
    assert (fast.view("int64") == careful.view("int64")).all()
    assert np.array_equal(fast, values)


QUIRKS = {
    "quoted_sep": 'a,b,c\n"x,1",2,3\n',
    "quoted_newline": 'a,b,c\n"x\ny",2,3\n',
    "doubled_quote": 'a,b,c\n"x""y",2,3\n',
    "quote_inside": 'a,b,c\nx"y,2,3\n',
    "text_after_closing_quote": 'a,b,c\n"x"y,2,3\n',
    "space_around_quotes": 'a,b,c\n "x" ,2,3\n',
    "crlf": 'a,b,c\r\nx,2,3\r\n"x\r\ny",2,3\r\n',
    "cr_only": "a,b,c\rx,2,3\r",
    "no_final_newline": "a,b,c\nx,2,3",
    "empty_row_and_blank_end": 'a,b,c\n,,\n"",2,3\nx,2,3\n\n',
    "bom_and_quoted_header": '\ufeff"a","b","c"\nx,2,3\n',
    "na_words_and_spaces": "a,b,c\nNA,null,NaN\n  x  , 2 ,3\n",
    "backslash": 'a,b,c\nx\\"y,2,3\n',
    "too_many_fields": "a,b,c\nx,2,3\ny,2,3,4\nz,2,3\n",
    "too_few_fields": "a,b,c\nx,2\nz,2,3\n",
    "blank_line_inside": "a,b,c\nx,2,3\n\nz,2,3\n",
}


@pytest.mark.parametrize("text", QUIRKS.values(), ids=QUIRKS.keys())
def test_csv_quirks_give_the_same_cells_both_ways(tmp_path, text):
    from recovery_analytics.portfolio._mapping import Mapping

    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("utf-8"))

    def cells(fast):
        table = _sources._csv_table(path, Mapping(), 2, fast=fast)
        try:
            parts = list(table.chunks)
        except _csv_arrow._Fallback:
            parts = list(table.fallback())
        df = pd.concat(parts, ignore_index=True)
        return df.assign(_line=table.relines(df["_line"].to_numpy())), table.skipped

    (fast, fast_skips), (careful, careful_skips) = cells(True), cells(False)
    pd.testing.assert_frame_equal(fast, careful)
    assert fast_skips == careful_skips


DATE_SPELLINGS = [
    "2026-03-17", "17/03/2026", " 2026-1-5", "2026-01-05T10:00", "05.01.2026", "20260317",
    "17/03/26", "x", "", None, "0001-01-01", "2026-13-01", "1/2/2026",
]  # fmt: skip


@pytest.mark.parametrize("dayfirst", [True, False])
def test_date_fast_path_equals_the_careful_parser(dayfirst):
    # every day number 0-32 of every month number 0-13, both ways, at the edges of the years
    days = [
        text
        for y in (1899, 1900, 2023, 2024, 2100, 2199, 2200)
        for m in range(14)
        for d in range(33)
        for text in (f"{y}-{m:02d}-{d:02d}", f"{d:02d}/{m:02d}/{y}", f"{m:02d}/{d:02d}/{y}")
    ]
    s = pd.Series(days + DATE_SPELLINGS, dtype="str")
    fast, bad = _parse.parse_date(s, dayfirst)
    careful = _parse._dates_on_uniques(_parse.clean_text(s), dayfirst)
    pd.testing.assert_series_equal(fast, careful)
    assert bad.tolist() == (_parse.clean_text(s).notna() & careful.isna()).tolist()
    assert fast.notna().sum() > 2000 and bad.sum() > 2000  # both kinds are there
