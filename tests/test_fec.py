"""The FEC as a portfolio source (art. L47 A and A47 A-1 LPF).

The fixture ``tests/fixtures/fec`` is a small firm's FEC for 2024 and 2025,
written by hand: journals AN (opening), VT (sales), BQ (bank) and HA
(purchases); customers C001 and C002 with partial lettering, a credit note
(AV-01), an opening entry (FA2024-090 carried into 2025), a payment (VIR-0520)
dated before the as_of of 31/05/2025 but lettered after it (05/06/2025), an
unlettered cheque, and a transfer from C003 that settles no invoice.

Worked by hand, at as_of 31/05/2025, from the 2025 FEC alone:

* FA2024-090 (C001): opening entry 600,00, paid 600,00 on 15/02 (lettering A) -> 0.
* FA-101 (C001): 1 200,00; 500,00 on 01/03 (partial lettering b). VIR-0520
  (800,00, 20/05) is lettered F with FA-104 only on 05/06, after as_of: at
  as_of it is imputed by art. 1342-10 C. civ. (oldest due debt first): 700,00
  to FA-101 (due 09/02) and 100,00 to FA-104 (due 01/05) -> FA-101 0.
* FA-104 (C001): 800,00 - 100,00 -> 700,00.
* FA-102 (C002): 2 400,00 - 1 000,00 (lettering d, 10/04) - 300,00 (unlettered
  cheque of 25/05, imputed to the oldest open invoice) -> 1 100,00.
* FA-103 (C002): 360,00 - 120,00 credit note AV-01 - 240,00 cheque (lettering C) -> 0.
* C001 owes 700,00; C002 1 100,00; the 50,00 of C003 goes to the quarantine.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from recovery_analytics.cli import main
from recovery_analytics.demo import generate_demo, write_fec
from recovery_analytics.portfolio import InputError, read_fec, read_portfolio
from recovery_analytics.portfolio._fec_alloc import allocate
from recovery_analytics.state import portfolio_state

FIXTURES = Path(__file__).parent / "fixtures" / "fec"
FEC_2024 = FIXTURES / "123456789FEC20241231.txt"
FEC_2025 = FIXTURES / "123456789FEC20251231.txt"
AS_OF = "2025-05-31"


def _open(p, as_of=AS_OF) -> pd.Series:
    state = portfolio_state(p, as_of)
    return state.set_index("claim_id")["outstanding_eur"].sort_index()


def _events(p) -> list[tuple]:
    ev = p.events
    return list(
        zip(
            ev["claim_id"],
            ev["date"].dt.strftime("%Y-%m-%d"),
            ev["type"],
            ev["amount"].round(2),
            ev["fec_line"],
            strict=True,
        )
    )


def test_hand_made_fec_claims_events_and_balances_at_as_of():
    p = read_fec(FEC_2025, as_of=AS_OF)
    claims = p.claims[["claim_id", "debtor_id", "invoice_date", "due_date", "amount"]]
    claims = claims.assign(
        invoice_date=claims["invoice_date"].dt.strftime("%Y-%m-%d"),
        due_date=claims["due_date"].dt.strftime("%Y-%m-%d"),
    )
    # due date = invoice (PieceDate) + 30 days, art. L441-10 I C. com. (no terms given)
    assert claims.values.tolist() == [
        ["FA2024-090", "C001", "2024-11-15", "2024-12-15", 600.0],
        ["FA-101", "C001", "2025-01-10", "2025-02-09", 1200.0],
        ["FA-102", "C002", "2025-01-20", "2025-02-19", 2400.0],
        ["FA-103", "C002", "2025-02-05", "2025-03-07", 360.0],
        ["FA-104", "C001", "2025-04-01", "2025-05-01", 800.0],
    ]
    assert p.claims["fec_line"].tolist() == [2, 5, 8, 11, 26]
    assert _events(p) == [
        ("FA2024-090", "2025-02-15", "payment", 600.0, 14),
        ("FA-101", "2025-03-01", "payment", 500.0, 19),
        ("FA-103", "2025-03-10", "credit_note", 120.0, 21),
        ("FA-103", "2025-03-20", "payment", 240.0, 24),
        ("FA-102", "2025-04-10", "payment", 1000.0, 29),
        ("FA-101", "2025-05-20", "payment", 700.0, 33),
        ("FA-104", "2025-05-20", "payment", 100.0, 33),
        ("FA-102", "2025-05-25", "payment", 300.0, 35),
    ]
    assert _open(p).to_dict() == {
        "FA-101": 0.0,
        "FA-102": 1100.0,
        "FA-103": 0.0,
        "FA-104": 700.0,
        "FA2024-090": 0.0,
    }
    state = portfolio_state(p, AS_OF)
    assert state.groupby("debtor_id")["outstanding_eur"].sum().to_dict() == {
        "C001": 700.0,
        "C002": 1100.0,
    }
    assert p.debtors.set_index("debtor_id")["name"].to_dict() == {
        "C001": "Boulangerie Martin SARL",
        "C002": "Hôtel du Port",
        "C003": "Garage Lefèvre",
    }
    assert set(p.debtors["debtor_type"]) == {"B2B"}  # the documented default


def test_every_fec_line_is_in_the_portfolio_the_quarantine_or_counted():
    p = read_fec(FEC_2025, as_of=AS_OF)
    lines = p.fec_lines
    assert lines["line"].tolist() == list(range(2, 37))  # header = line 1, 35 lines
    assert lines["category"].value_counts().to_dict() == {
        "not_receivable": 22,
        "payment": 6,
        "invoice": 4,
        "opening_claim": 1,
        "credit_note": 1,
        "quarantined": 1,
    }
    q = p.quarantine
    assert q[["table", "source", "line", "record_id", "value"]].values.tolist() == [
        ["events", FEC_2025.name, 31, "VIR-0420", "50,00"]
    ]
    assert "settles no invoice" in q["reason"].iloc[0]
    claimed = set(p.claims["fec_line"])
    settled = set(p.events["fec_line"])
    in_lines = lines.loc[lines["category"].isin(["invoice", "opening_claim"]), "line"]
    assert claimed == set(in_lines)
    paid = lines.loc[lines["category"].isin(["payment", "credit_note"]), "line"]
    assert settled == set(paid)
    assert "35 lines" in p.notes[0]


def test_a_lettering_dated_after_as_of_is_ignored_at_that_date():
    known = read_fec(FEC_2025)  # every lettering, whatever its date
    at = read_fec(FEC_2025, as_of=AS_OF)
    assert _open(known)[["FA-101", "FA-104"]].tolist() == [700.0, 0.0]  # VIR-0520 -> FA-104
    assert _open(at)[["FA-101", "FA-104"]].tolist() == [0.0, 700.0]  # imputed oldest first
    # the customers' balances do not depend on it
    for p in (known, at):
        assert portfolio_state(p, AS_OF).groupby("debtor_id")["outstanding_eur"].sum().tolist() == [
            700.0,
            1100.0,
        ]


def test_two_fiscal_years_are_one_history_and_the_opening_entry_is_counted_once():
    p = read_portfolio(FIXTURES, as_of=AS_OF)  # the folder: both years
    fa = p.claims.set_index("claim_id").loc["FA2024-090"]
    assert fa["amount"] == 1000.0 and fa["fec_file"] == FEC_2024.name  # the invoice, not the AN
    assert len(p.claims) == 6 and p.claims["claim_id"].is_unique
    paid = p.events.loc[p.events["claim_id"] == "FA2024-090", ["date", "amount"]]
    assert paid["amount"].tolist() == [400.0, 600.0]  # 2024 partial, 2025 on the opening entry
    lines = p.fec_lines
    opening = lines.loc[(lines["file"] == FEC_2025.name) & (lines["line"] == 2), "category"]
    assert opening.tolist() == ["opening_matched"]
    single = read_fec(FEC_2025, as_of=AS_OF)
    both = portfolio_state(p, AS_OF).groupby("debtor_id")["outstanding_eur"].sum()
    one = portfolio_state(single, AS_OF).groupby("debtor_id")["outstanding_eur"].sum()
    assert both.to_dict() == one.to_dict() == {"C001": 700.0, "C002": 1100.0}
    assert not any("one fiscal year" in n for n in p.notes)
    assert any("one fiscal year" in n for n in single.notes)  # what train will say


def _variant(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "fec.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    "change",
    ["pipe", "cp1252", "bom", "lower_header", "extra_column", "decimal_point", "montant_sens"],
)
def test_real_export_variants_read_the_same(tmp_path, change):
    text = FEC_2025.read_text("utf-8")
    rows = [line.split("\t") for line in text.splitlines()]
    encoding = "utf-8"
    if change == "pipe":
        text = text.replace("\t", "|")
    elif change == "cp1252":
        encoding = "cp1252"
    elif change == "bom":
        text = "\ufeff" + text
    elif change == "lower_header":
        text = text.replace(text.splitlines()[0], text.splitlines()[0].upper())
    elif change == "extra_column":
        text = "\n".join(
            "\t".join([*r, "Analytique" if i == 0 else "A1"]) for i, r in enumerate(rows)
        )
    elif change == "decimal_point":
        text = "\n".join(
            "\t".join([*r[:11], r[11].replace(",", "."), r[12].replace(",", "."), *r[13:]])
            for r in rows
        )
    else:  # the Montant / Sens variant the specification allows instead of Debit / Credit
        out = ["\t".join([*rows[0][:11], "Montant", "Sens", *rows[0][13:]])]
        for r in rows[1:]:
            debit = r[11] != "0,00"
            out.append(
                "\t".join([*r[:11], r[11] if debit else r[12], "D" if debit else "C", *r[13:]])
            )
        text = "\n".join(out)
    p = read_fec(_variant(tmp_path, text, encoding), as_of=AS_OF)
    base = read_fec(FEC_2025, as_of=AS_OF)
    pd.testing.assert_frame_equal(
        p.claims.drop(columns="fec_file"), base.claims.drop(columns="fec_file")
    )
    pd.testing.assert_frame_equal(
        p.events.drop(columns="fec_file"), base.events.drop(columns="fec_file")
    )


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda r: [x[:14] + x[15:] for x in r], "missing column(s) DateLet"),
        (lambda r: r[:5] + [[*r[5][:12], "999,00", *r[5][13:]]] + r[6:], "not balanced"),
        (lambda r: r[:4] + [[*r[4][:3], "20251341", *r[4][4:]]] + r[5:], "EcritureDate"),
        (lambda r: r[:4] + [[*r[4][:11], "douze", *r[4][12:]]] + r[5:], "not an amount"),
    ],
    ids=["missing_column", "unbalanced_entry", "bad_date", "bad_amount"],
)
def test_structural_problems_stop_with_one_clear_error(tmp_path, edit, message):
    rows = [line.split("\t") for line in FEC_2025.read_text("utf-8").splitlines()]
    path = _variant(tmp_path, "\n".join("\t".join(r) for r in edit(rows)) + "\n")
    with pytest.raises(InputError, match=re.escape(message)):
        read_fec(path)
    result = CliRunner().invoke(main, ["validate", "--portfolio", str(path), "--format", "fec"])
    assert result.exit_code == 2
    assert message.split("(")[0] in result.output and "Traceback" not in result.output


def test_overlapping_years_are_refused(tmp_path):
    shutil.copy(FEC_2025, tmp_path / "a.txt")
    shutil.copy(FEC_2025, tmp_path / "b.txt")
    with pytest.raises(InputError, match="overlap"):
        read_fec(tmp_path)


def test_mapping_gives_terms_types_and_a_customer_file(tmp_path):
    shutil.copy(FEC_2025, tmp_path)
    (tmp_path / "clients.csv").write_text(
        "Compte;Type;Téléphone;Délai\nC002;Particulier;06 12 34 56 78;45\n", encoding="utf-8"
    )
    (tmp_path / "mapping.toml").write_text(
        '[fec]\ncustomers = "clients.csv"\npayment_terms_days = 60\n'
        '[debtors.columns]\n"Compte" = "debtor_id"\n"Type" = "debtor_type"\n'
        '"Téléphone" = "phone"\n"Délai" = "payment_terms_days"\n',
        encoding="utf-8",
    )
    p = read_portfolio(tmp_path / FEC_2025.name)  # mapping.toml beside the file
    debtors = p.debtors.set_index("debtor_id")
    assert debtors.loc["C002", ["debtor_type", "phone"]].tolist() == ["B2C", "06 12 34 56 78"]
    assert debtors.loc["C001", "debtor_type"] == "B2B"
    terms = (p.claims["due_date"] - p.claims["invoice_date"]).dt.days
    assert dict(zip(p.claims["claim_id"], terms, strict=True)) == {
        "FA2024-090": 60,
        "FA-101": 60,
        "FA-102": 45,
        "FA-103": 45,
        "FA-104": 60,
    }
    (tmp_path / "mapping.toml").write_text('[fec]\nclient_accounts = ["411"]\n', encoding="utf-8")
    with pytest.raises(InputError, match="unknown key \\[fec\\] 'client_accounts'"):
        read_portfolio(tmp_path / FEC_2025.name)


_HEAD = (
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\t"
    "CompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\t"
    "ValidDate\tMontantdevise\tIdevise"
)


def _line(j, num, d, acc, aux, piece, debit, credit, let="", dlet=""):
    return "\t".join(
        [j, j, num, d, acc, acc, aux, aux, piece, d, piece, debit, credit, let, dlet, d, "", ""]
    )


def test_write_off_reclassification_and_rejected_payment(tmp_path):
    rows = [
        _line("VT", "1", "20250105", "411000", "C9", "F1", "240,00", "0,00", "W", "20250630"),
        _line("VT", "1", "20250105", "706000", "", "F1", "0,00", "240,00"),
        _line("VT", "2", "20250110", "411000", "C9", "F2", "120,00", "0,00"),
        _line("VT", "2", "20250110", "706000", "", "F2", "0,00", "120,00"),
        # F1 moved to doubtful customers (416): a transfer, not a payment
        _line("OD", "3", "20250301", "416000", "C9", "F1", "240,00", "0,00", "W", "20250630"),
        _line("OD", "3", "20250301", "411000", "C9", "F1", "0,00", "240,00", "W", "20250630"),
        # then written off against 654 with the VAT recovered (art. 272 CGI)
        _line("OD", "4", "20250630", "654000", "", "F1", "200,00", "0,00"),
        _line("OD", "4", "20250630", "445710", "", "F1", "40,00", "0,00"),
        _line("OD", "4", "20250630", "416000", "C9", "F1", "0,00", "240,00", "W", "20250630"),
        # F2 paid by cheque, the cheque bounces: a new debt due at once
        _line("BQ", "5", "20250201", "411000", "C9", "CHQ", "0,00", "120,00"),
        _line("BQ", "5", "20250201", "512000", "", "CHQ", "120,00", "0,00"),
        _line("BQ", "6", "20250215", "411000", "C9", "IMP", "120,00", "0,00"),
        _line("BQ", "6", "20250215", "512000", "", "IMP", "0,00", "120,00"),
    ]
    path = _variant(tmp_path, "\n".join([_HEAD, *rows]) + "\n")
    p = read_fec(path)
    cats = p.fec_lines.set_index("line")["category"]
    assert cats[[6, 7]].tolist() == ["transfer", "transfer"]
    assert cats[10] == "write_off" and cats[13] == "other_debit"
    assert p.claims[["claim_id", "amount"]].values.tolist() == [
        ["F1", 240.0],
        ["F2", 120.0],
        ["IMP", 120.0],
    ]
    imp = p.claims.set_index("claim_id").loc["IMP"]
    assert imp["due_date"] == imp["invoice_date"] == pd.Timestamp("2025-02-15")
    state = portfolio_state(p, "2025-07-01").set_index("claim_id")
    assert state.loc["F1", "written_off"] and state.loc["F1", "outstanding_eur"] == 0.0
    assert state["outstanding_eur"].to_dict() == {"F1": 0.0, "F2": 0.0, "IMP": 120.0}


@pytest.fixture(scope="module")
def demo_fec(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo_fec")
    demo = generate_demo(300, seed=11)
    paths = write_fec(demo, root / "fec")
    return demo, root / "fec", paths


@pytest.mark.parametrize("as_of", ["2026-06-30", "2026-04-15", "2025-11-30"])
def test_round_trip_demo_fec_portfolio_same_open_amount_per_debtor(demo_fec, as_of):
    demo, folder, paths = demo_fec
    assert len(paths) == 3  # 2024, 2025, 2026
    p = read_portfolio(folder, as_of=as_of)
    assert len(p.quarantine) == 0 and len(p.claims) == len(demo.claims)
    want = portfolio_state(demo, as_of).groupby("debtor_id")["outstanding_eur"].sum()
    got = portfolio_state(p, as_of).groupby("debtor_id")["outstanding_eur"].sum()
    both = pd.concat([want, got], axis=1, keys=["demo", "fec"]).fillna(0.0)
    assert want.sum() > 100_000
    np.testing.assert_array_equal(
        np.round(both["demo"] * 100).astype(int), np.round(both["fec"] * 100).astype(int)
    )
    # with every lettering known, each claim's balance and payments are the demo's
    full = read_portfolio(folder)
    a = portfolio_state(demo, as_of).set_index("claim_id")[["outstanding_eur", "paid_eur"]]
    b = portfolio_state(full, as_of).set_index("claim_id")[["outstanding_eur", "paid_eur"]]
    pd.testing.assert_frame_equal(a.sort_index().round(2), b.sort_index().round(2))
    pay = demo.events.loc[demo.events["type"] == "payment"]
    assert len(full.events.loc[full.events["type"] == "payment"]) == len(pay)


def test_cli_demo_data_writes_a_fec_that_validates(tmp_path):
    runner = CliRunner()
    out = tmp_path / "fec"
    result = runner.invoke(
        main, ["demo-data", "--out", str(out), "--debtors", "40", "--format", "fec"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*FEC*.txt")) == [
        "999999999FEC20241231.txt",
        "999999999FEC20251231.txt",
        "999999999FEC20261231.txt",
    ]
    result = runner.invoke(main, ["validate", "--portfolio", str(out)])
    assert result.exit_code == 0, result.output
    assert "FEC:" in result.output and "quarantined" in result.output


def test_train_on_a_single_year_says_how_much_history_it_needs(demo_fec, tmp_path):
    paths = demo_fec[2]
    single = tmp_path / "one"
    single.mkdir()
    shutil.copy(paths[-1], single)
    result = CliRunner().invoke(
        main,
        [
            "train",
            "--portfolio",
            str(single / paths[-1].name),
            "--model-out",
            str(tmp_path / "m"),
            "--threads",
            "1",
        ],
    )
    assert "one fiscal year" in result.output and "132 days" in result.output


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 2), st.integers(0, 4), st.integers(0, 900)), max_size=8),
    st.lists(st.tuples(st.integers(0, 2), st.integers(0, 4), st.integers(0, 900)), max_size=8),
)
def test_allocation_is_first_in_first_out_within_each_group(claims, credits):
    def arrays(rows):
        return [np.array([r[k] for r in rows], np.int64) for k in range(3)]

    c, p, amount = allocate(*arrays(claims), *arrays(credits))
    expected: dict = {}
    for g in range(3):
        ci = sorted((i for i, r in enumerate(claims) if r[0] == g), key=lambda i: (claims[i][1], i))
        pi = sorted(
            (j for j, r in enumerate(credits) if r[0] == g), key=lambda j: (credits[j][1], j)
        )
        left_c = {i: claims[i][2] for i in ci}
        left_p = {j: credits[j][2] for j in pi}
        for j in pi:
            for i in ci:
                x = min(left_c[i], left_p[j])
                if x > 0:
                    expected[(i, j)] = expected.get((i, j), 0) + x
                    left_c[i] -= x
                    left_p[j] -= x
    got: dict = {}
    for i, j, x in zip(c.tolist(), p.tolist(), amount.tolist(), strict=True):
        got[(i, j)] = got.get((i, j), 0) + x
    assert got == expected


@pytest.mark.slow
def test_the_whole_weekly_job_runs_from_a_fec(tmp_path):
    from recovery_analytics.reports import ensure_model, run_weekly

    folder = tmp_path / "fec"
    write_fec(generate_demo(150, seed=7), folder)
    model = ensure_model(folder, tmp_path / "model", progress=False, n_estimators=20, num_threads=1)
    result = run_weekly(folder, model, "2026-06-30", tmp_path / "out", progress=False)
    assert list(result.notebooks) == ["10_weekly_call_queue", "11_judicial_review"]
    assert result.quarantined_rows == 0
    for path in result.html.values():
        assert path.stat().st_size > 10_000
    assert any((result.folder / "call_queue").iterdir())
    scores = pd.read_parquet(result.folder / "judicial" / "scores.parquet")
    open_now = portfolio_state(read_portfolio(folder, as_of="2026-06-30"), "2026-06-30")
    assert len(scores) == int(open_now["is_open"].sum()) > 0


def test_the_documented_fec_mapping_is_valid(tmp_path):
    doc = (Path(__file__).parents[1] / "docs" / "input-format.md").read_text("utf-8")
    (block,) = re.findall(r"```toml fec-mapping.toml\n(.*?)```", doc, flags=re.S)
    (tmp_path / "m.toml").write_text(block, encoding="utf-8")
    from recovery_analytics.portfolio import load_mapping

    mapping = load_mapping(tmp_path / "m.toml")
    assert mapping.fec["payment_terms_days"] == 45
    assert mapping.columns["debtors"]["delai"] == "payment_terms_days"


def test_a_zero_line_and_a_malformed_line_go_to_the_quarantine_with_their_line(tmp_path):
    rows = [
        _line("VT", "1", "20250105", "411000", "C9", "F1", "100,00", "0,00"),
        _line("VT", "1", "20250105", "706000", "", "F1", "0,00", "100,00"),
        _line("VT", "2", "20250106", "411000", "C9", "F2", "0,00", "0,00"),
        "VT\tVT\t3\t20250107\t411000",  # cut short: 5 fields instead of 18
    ]
    path = _variant(tmp_path, "\n".join([_HEAD, *rows]) + "\n")
    p = read_fec(path)
    q = p.quarantine.sort_values("line")
    assert q[["line", "check"]].values.tolist() == [[4, "fec_zero_line"], [5, "malformed_line"]]
    assert "neither debit nor credit" in q["reason"].iloc[0]
    assert "fewer fields" in q["reason"].iloc[1]
    assert p.notes[0].startswith("FEC: 4 lines") and "1 unreadable" in p.notes[0]
    assert p.claims["claim_id"].tolist() == ["F1"]


def test_commands_read_the_fec_as_of_their_date(tmp_path):
    out = tmp_path / "judicial.csv"
    args = ["judicial", "--portfolio", str(FEC_2025), "--as-of", "31/05/2025", "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    # VIR-0520 is lettered with FA-104 only on 05/06: on 31/05 it paid FA-101 (oldest first)
    assert dict(zip(table["claim_id"], table["outstanding_eur"], strict=True)) == {
        "FA-102": 1100.0,
        "FA-104": 700.0,
    }
    assert "1 input row(s) quarantined" in result.output  # the credit of C003
    assert (tmp_path / "quarantine.csv").is_file()
