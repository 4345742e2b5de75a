"""Reading portfolios from files and databases: French exports, bad input, round trips."""

from __future__ import annotations

import gzip
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from recovery_analytics.portfolio import (
    InputError,
    read_portfolio,
    summarize,
    write_portfolio,
    write_quarantine,
)

FIXTURES = Path(__file__).parent / "fixtures"
DEBTORS = "debtor_id;debtor_type;name\nD1;B2B;Hôtel du Lac\nD2;particulier;Zoé\n"
CLAIMS = (
    "claim_id;debtor_id;invoice_date;due_date;amount;currency;disputed\n"
    "F1;D1;17/03/2026;16/05/2026;1 234,56 €;EUR;non\n"
    "F2;D2;2026-03-18;2026-04-17;99,9;;oui\n"
)
EVENTS = (
    "claim_id;date;type;amount;promise_date\n"
    "F1;20/05/2026;Relance;;\n"
    "F1;01/06/2026;Règlement;100;\n"
)


def folder(tmp_path, debtors=DEBTORS, claims=CLAIMS, events=EVENTS, encoding="utf-8", name="p"):
    out = tmp_path / name
    out.mkdir()
    for table, text in (("debtors", debtors), ("claims", claims), ("events", events)):
        if text is not None:
            (out / f"{table}.csv").write_bytes(text.encode(encoding))
    return out


def by_id(p, table="claims"):
    q = p.quarantine[p.quarantine["table"] == table]
    return dict(zip(q["record_id"], q["reason"], strict=True))


# ------------------------------------------------------------------ the ERP fixture
def test_erp_fixture_quarantines_exactly_the_documented_rows():
    p = read_portfolio(FIXTURES / "erp_fr")
    claims_q = p.quarantine[p.quarantine["table"] == "claims"].set_index("record_id")
    assert sorted(claims_q.index) == sorted(
        ["BAD-DATE", "BAD-NEG", "F07-0000002", "BAD-DEBTOR", "BAD-AMOUNT", "BAD-ORDER"]
    )
    expected = {
        "BAD-DATE": ("due_date", "invalid_date", "due_date '31/02/2026' is not a valid date"),
        "BAD-NEG": ("amount", "amount_negative", "amount '-120,50' is negative"),
        "F07-0000002": (
            "claim_id",
            "duplicate_id",
            "duplicate claim_id F07-0000002, first seen on line 4",
        ),
        "BAD-DEBTOR": ("debtor_id", "unknown_debtor", "debtor NO-SUCH-DEBTOR does not exist"),
        "BAD-AMOUNT": ("amount", "invalid_number", "amount 'douze euros' is not a number"),
        "BAD-ORDER": (
            "due_date",
            "date_order",
            "due_date '01/01/2023' is before invoice_date '28/08/2024'",
        ),
    }
    for rid, (column, check, reason) in expected.items():
        row = claims_q.loc[rid]
        assert (row["column"], row["check"]) == (column, check)
        assert row["reason"].startswith(reason)
        assert row["source"] == "claims.csv"
    assert claims_q["line"].tolist() == [241, 242, 243, 244, 245, 246]  # header = line 1
    # the first F07-0000002 (line 4, 8431,31 EUR) is the one kept
    assert p.claims.set_index("claim_id").loc["F07-0000002", "amount"] == 8431.31
    events_q = p.quarantine[p.quarantine["table"] == "events"]
    assert events_q["line"].tolist() == [960, 961]
    assert events_q["reason"].tolist() == [
        "claim NO-SUCH-CLAIM does not exist in claims",
        "event type 'telepathy' is unknown (expected one of the event types of "
        "docs/input-format.md; map other spellings under [events.values.type])",
    ]
    # no event points at a quarantined claim: the cascade sends 0 events there
    assert not p.quarantine["check"].eq("quarantined_claim").any()
    counts = p.counts.set_index("table")
    assert counts.loc["debtors"].tolist() == [60, 60, 0]
    assert counts.loc["claims"].tolist() == [245, 239, 6]  # 246 lines minus the header
    assert counts.loc["events"].tolist() == [960, 958, 2]
    assert (counts["valid"] + counts["quarantined"] == counts["rows_read"]).all()
    # Windows-1252 accents decoded, decimal comma, oui/non, dd/mm/yyyy
    assert p.debtors["name"].iloc[1] == "François 1"
    assert p.debtors["insolvency_date"].iloc[0] == pd.Timestamp("2026-06-05")
    assert p.claims["amount"].iloc[0] == 442.99 and p.claims["disputed"].sum() == 9
    assert p.events["date"].is_monotonic_increasing


# ------------------------------------------------------------------ French CSV dialects
def test_french_csv_cp1252_bom_and_tab(tmp_path):
    p = read_portfolio(folder(tmp_path, encoding="cp1252"))
    assert p.debtors["name"].tolist() == ["Hôtel du Lac", "Zoé"]
    assert p.claims["amount"].tolist() == [1234.56, 99.9]
    assert p.claims["disputed"].tolist() == [False, True]
    assert p.events["type"].tolist() == ["reminder_letter", "payment"]
    assert p.debtors["debtor_type"].tolist() == ["B2B", "B2C"]
    # UTF-8 with BOM, tab-separated, gzip
    out = tmp_path / "bom"
    out.mkdir()
    (out / "debtors.csv").write_bytes(b"\xef\xbb\xbf" + DEBTORS.replace(";", "\t").encode())
    with gzip.open(out / "claims.csv.gz", "wb") as fh:
        fh.write(CLAIMS.encode("utf-8-sig"))
    p2 = read_portfolio(out)
    assert p2.debtors["name"].tolist() == ["Hôtel du Lac", "Zoé"]
    pd.testing.assert_frame_equal(p2.claims, p.claims)
    assert p2.events.empty and "no events table" in p2.notes[0]


def test_amount_spellings_and_thousands(tmp_path):
    amounts = [
        "1 234,56 €",
        "EUR 1.234,56",
        "1\u00a0234,56",
        "1\u202f234,56",
        "1234.56",
        "1,234.56",
    ]
    rows = "".join(f"F{i};D1;01/03/2026;31/03/2026;{a}\n" for i, a in enumerate(amounts))
    p = read_portfolio(
        folder(tmp_path, claims="claim_id;debtor_id;invoice_date;due_date;amount\n" + rows)
    )
    assert p.claims["amount"].tolist() == [1234.56] * len(amounts)


def test_dates_in_every_accepted_form(tmp_path):
    dates = [
        "05/03/2026",
        "05-03-2026",
        "05.03.2026",
        "2026-03-05",
        "2026-03-05T14:30:00",
        "5/3/2026",
    ]
    rows = "".join(f"F{i};D1;{d};31/03/2026;10\n" for i, d in enumerate(dates))
    p = read_portfolio(
        folder(tmp_path, claims="claim_id;debtor_id;invoice_date;due_date;amount\n" + rows)
    )
    assert (p.claims["invoice_date"] == pd.Timestamp("2026-03-05")).all()
    assert len(p.claims) == len(dates)


def test_column_names_case_spaces_accents_and_extra_columns_kept(tmp_path):
    claims = (
        "\ufeff Claim_ID ;DEBTOR_ID;Invoice Date;due_date;Amount;Commentaire;Région\n"
        "F1;D1;01/03/2026;31/03/2026;10;à rappeler;Île-de-France\n"
    )
    p = read_portfolio(folder(tmp_path, claims=claims))
    assert list(p.claims.columns)[-2:] == ["Commentaire", "Région"]
    assert p.claims["Commentaire"].tolist() == ["à rappeler"]
    assert p.claims["claim_id"].tolist() == ["F1"]


def test_blank_lines_keep_line_numbers_right(tmp_path):
    claims = (
        "\n"  # a blank line before the header (line 1)
        "claim_id;debtor_id;invoice_date;due_date;amount\n"  # line 2
        "F1;D1;01/03/2026;31/03/2026;10\n"  # 3
        "\n"  # 4
        ";;;;\n"  # 5: an empty record, ignored like a blank line
        "F2;D1;01/03/2026;31/03/2026;0\n"  # 6
        "F3;D1;01/03/2026;31/03/2026;10;oops;too many\n"  # 7
        "F4;D1;01/03/2026;31/03/2026;abc\n"  # 8
    )
    p = read_portfolio(folder(tmp_path, claims=claims), chunksize=2)
    q = p.quarantine
    assert q["line"].tolist() == [6, 7, 8]
    assert q["record_id"].tolist() == [
        "F2",
        "F3",
        "F4",
    ]  # the id of a line with too many fields is kept
    assert q["reason"].iloc[1].startswith("line has 7 fields but the header has 5")
    assert p.counts.set_index("table").loc["claims"].tolist() == [4, 1, 3]


# ------------------------------------------------------------------ structural errors
@pytest.mark.parametrize(
    ("claims", "match"),
    [
        ("", r"claims.csv is empty \(0 bytes\)"),
        (
            "claim_id;debtor_id;invoice_date;due_date;amount\n",
            "claims.csv has a header but no rows",
        ),
        (
            "claim_id;debtor_id;invoice_date;due_date\nF1;D1;01/03/2026;31/03/2026\n",
            r"missing required claims column\(s\) amount; columns found: 'claim_id', .*--mapping",
        ),
        (
            "claim_id|debtor_id|invoice_date|due_date|amount\nF1|D1|01/03/2026|31/03/2026|10\n",
            r"Only one column was found: the separator may not be",
        ),
        ("\n\n  \n", "has no header line"),
    ],
)
def test_structural_problems_raise_one_clear_error(tmp_path, claims, match):
    with pytest.raises(InputError, match=match):
        read_portfolio(folder(tmp_path, claims=claims))


def test_missing_tables_and_sources(tmp_path):
    with pytest.raises(InputError, match=r"no claims table in this folder; found: debtors.csv"):
        read_portfolio(folder(tmp_path, claims=None, events=None))
    with pytest.raises(InputError, match="not found"):
        read_portfolio(tmp_path / "nowhere")
    (tmp_path / "x.json").write_text("{}")
    with pytest.raises(InputError, match="unsupported portfolio source"):
        read_portfolio(tmp_path / "x.json")


def test_binary_file_named_csv_is_not_csv(tmp_path):
    out = folder(tmp_path)
    (out / "claims.csv").write_bytes(b"PK\x03\x04" + bytes(100))
    with pytest.raises(InputError, match=r"claims\.csv is not a CSV file: it looks like an Excel"):
        read_portfolio(out)
    (out / "claims.csv").write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(InputError, match=r"claims\.csv is not a CSV file"):
        read_portfolio(out)


def test_header_only_events_give_empty_events(tmp_path):
    p = read_portfolio(folder(tmp_path, events="claim_id;date;type;amount;promise_date\n"))
    assert p.events.empty
    assert [str(t) for t in p.events.dtypes] == [
        "str",
        "datetime64[ns]",
        "str",
        "float64",
        "datetime64[ns]",
    ]
    assert p.notes == ["events.csv has no rows: the portfolio has no events"]


# ------------------------------------------------------------------ xlsx, parquet, SQL
def test_xlsx_round_trip_and_missing_sheet(tmp_path):
    p = read_portfolio(folder(tmp_path))
    book = tmp_path / "book.xlsx"
    with pd.ExcelWriter(book) as writer:
        for table in ("debtors", "claims", "events"):
            getattr(p, table).to_excel(writer, sheet_name=table, index=False)
    back = read_portfolio(book)
    for table in ("debtors", "claims", "events"):
        pd.testing.assert_frame_equal(getattr(back, table), getattr(p, table))
    assert back.quarantine.empty
    with pd.ExcelWriter(tmp_path / "half.xlsx") as writer:
        p.debtors.to_excel(writer, sheet_name="debtors", index=False)
        p.claims.to_excel(writer, sheet_name="Feuil1", index=False)
    with pytest.raises(
        InputError, match=r"no claims table in this workbook \(sheets\); found: debtors, Feuil1"
    ):
        read_portfolio(tmp_path / "half.xlsx")


def test_xlsx_rows_are_excel_row_numbers(tmp_path):
    book = tmp_path / "b.xlsx"
    claims = pd.DataFrame(
        {
            "claim_id": ["F1", "F2"],
            "debtor_id": ["D1", "D1"],
            "invoice_date": ["01/03/2026", "01/03/2026"],
            "due_date": [pd.Timestamp("2026-03-31"), "31/02/2026"],
            "amount": [10.5, 3],
        }
    )
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame({"debtor_id": ["D1"], "debtor_type": ["B2B"]}).to_excel(
            writer, sheet_name="debtors", index=False
        )
        claims.to_excel(writer, sheet_name="Claims", index=False)
    p = read_portfolio(book)
    assert p.quarantine[["source", "line", "record_id"]].values.tolist() == [
        ["b.xlsx[Claims]", 3, "F2"]
    ]
    assert p.claims["due_date"].tolist() == [pd.Timestamp("2026-03-31")]


def test_parquet_round_trip(tmp_path):
    p = read_portfolio(folder(tmp_path))
    paths = write_portfolio(p, tmp_path / "pq", fmt="parquet")
    back = read_portfolio(tmp_path / "pq", chunksize=1)
    assert set(paths) == {"debtors", "claims", "events"}
    for table in ("debtors", "claims", "events"):
        pd.testing.assert_frame_equal(getattr(back, table), getattr(p, table))


def test_csv_round_trip_is_byte_identical(tmp_path):
    p = read_portfolio(folder(tmp_path))
    first = write_portfolio(p, tmp_path / "a")
    back = read_portfolio(tmp_path / "a")
    for table in ("debtors", "claims", "events"):
        pd.testing.assert_frame_equal(getattr(back, table), getattr(p, table))
    second = write_portfolio(back, tmp_path / "b")
    for table in first:
        assert first[table].read_bytes() == second[table].read_bytes()
    assert first["claims"].read_text(encoding="utf-8").splitlines() == [
        "claim_id,debtor_id,invoice_date,due_date,amount,currency,disputed,creditor_id",
        "F1,D1,2026-03-17,2026-05-16,1234.56,EUR,False,",
        "F2,D2,2026-03-18,2026-04-17,99.9,EUR,True,",
    ]


def test_sqlite_round_trip_and_bad_urls(tmp_path):
    import sqlalchemy as sa

    p = read_portfolio(folder(tmp_path))
    db = tmp_path / "p.db"
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        for table in ("debtors", "claims", "events"):
            getattr(p, table).to_sql(table, conn, index=False)
        pd.DataFrame({"claim_id": ["F9"], "date": ["2026-06-01"], "type": ["sms"]}).to_sql(
            "events", conn, index=False, if_exists="append"
        )
    engine.dispose()
    back = read_portfolio(f"sqlite:///{db}")
    for table in ("debtors", "claims"):
        pd.testing.assert_frame_equal(getattr(back, table), getattr(p, table))
    assert back.quarantine[["source", "line", "reason"]].values.tolist() == [
        ["events", 3, "claim F9 does not exist in claims"]
    ]
    with pytest.raises(InputError, match="SQLite database file not found"):
        read_portfolio(f"sqlite:///{tmp_path / 'missing.db'}")
    assert not (tmp_path / "missing.db").exists()
    with pytest.raises(InputError) as err:
        read_portfolio("postgresql+psycopg2://alice:s3cret@127.0.0.1:1/recouvrement")
    assert "cannot connect to postgresql+psycopg2://alice:***@127.0.0.1:1/recouvrement" in str(
        err.value
    )
    assert "s3cret" not in str(err.value)


# ------------------------------------------------------------------ quarantine and summary
def test_quarantine_file_and_summary(tmp_path):
    claims = CLAIMS + "F3;D9;01/03/2026;31/03/2026;-5\nF4;D1;01/03/2026;31/03/2026;0\n"
    p = read_portfolio(folder(tmp_path, claims=claims))
    assert by_id(p) == {
        "F3": "amount '-5' is negative: record credit notes and payments as events, not as claims",
        "F4": "amount '0' is zero: a claim must have a positive amount",
    }
    path = write_quarantine(p.quarantine, tmp_path / "out" / "quarantine.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"table;source;line;record_id" in raw
    back = pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str)
    assert back["line"].tolist() == ["4", "5"]
    text = summarize(p)
    assert "claims           4      2            2" in text
    assert "amount: amount_negative x1" in text


# ------------------------------------------------------------------ big file streams
@pytest.mark.slow
def test_50mb_claims_csv_streams_with_bounded_memory(tmp_path):
    n = 800_000
    rng = np.random.default_rng(1)
    out = tmp_path / "big"
    out.mkdir()
    ids = np.char.add("D", np.arange(1000).astype(str))
    pd.DataFrame({"debtor_id": ids, "debtor_type": "B2B"}).to_csv(
        out / "debtors.csv", sep=";", index=False
    )
    claims = pd.DataFrame(
        {
            "claim_id": np.char.add("FACTURE-2026-", np.arange(n).astype(str)),
            "debtor_id": ids[rng.integers(0, 1000, n)],
            "invoice_date": "17/03/2026",
            "due_date": "16/05/2026",
            "amount": np.char.replace(np.round(rng.uniform(10, 5000, n), 2).astype(str), ".", ","),
            "currency": "EUR",
            "disputed": "non",
            "commentaire": "relancer le client par téléphone",
        }
    )
    claims.to_csv(out / "claims.csv", sep=";", index=False, encoding="cp1252")
    size = (out / "claims.csv").stat().st_size
    assert size > 50e6
    script = textwrap.dedent(
        f"""
        import resource
        from recovery_analytics.portfolio import read_portfolio
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        p = read_portfolio({str(out)!r}, chunksize=100_000)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(len(p.claims), len(p.quarantine), (after - before) * 1024)
        """
    )
    res = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    rows, quarantined, peak = res.stdout.split()
    assert (int(rows), int(quarantined)) == (n, 0)
    assert int(peak) < 6 * size, f"peak {int(peak) / 1e6:.0f} MB for a {size / 1e6:.0f} MB file"


def test_fixture_is_a_byte_copy_of_the_shared_sample():
    shared = Path("/work/shared/samples/export-erp-fr")
    if not shared.exists():
        pytest.skip("shared sample not available")
    for f in shared.iterdir():
        assert (FIXTURES / "erp_fr" / f.name).read_bytes() == f.read_bytes()


def test_extra_features_travel_with_the_folder_in_mapping_toml(tmp_path):
    from recovery_analytics.demo import generate_demo

    demo = generate_demo(20, seed=2)
    paths = write_portfolio(demo, tmp_path / "out")
    assert paths["mapping"].name == "mapping.toml"
    back = read_portfolio(tmp_path / "out")
    assert back.extra_features == {"categorical": ["segment"], "numeric": ["bureau_score"]}
    assert any("mapping.toml" in note for note in back.notes)
    # An explicit mapping wins over the folder's own.
    explicit = tmp_path / "explicit.toml"
    explicit.write_text("[features]\nnumeric = ['bureau_score']\n", encoding="utf-8")
    assert read_portfolio(tmp_path / "out", explicit).extra_features == {
        "numeric": ["bureau_score"]
    }
    # Without extra features, no mapping file is written.
    demo.extra_features = {}
    assert "mapping" not in write_portfolio(demo, tmp_path / "plain")
    assert not (tmp_path / "plain" / "mapping.toml").exists()
