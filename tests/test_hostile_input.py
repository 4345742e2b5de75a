"""Hostile and clumsy input: absurd amounts, bad rates, NUL bytes, duplicate headers,
mistyped mappings, overpayments, contradicting debtors, mixed encodings.

Every input row still ends in the portfolio or the quarantine; structural
problems are one InputError naming the key, the file or the line.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd
import pytest

from recovery_analytics.portfolio import (
    InputError,
    load_mapping,
    read_portfolio,
    summarize,
    validate_portfolio,
)

DEBTORS = "debtor_id;debtor_type;name\nD1;B2B;SARL Martin\nD2;B2C;Zoé\n"
HEAD = "claim_id;debtor_id;invoice_date;due_date;amount\n"
CLAIMS = HEAD + "F1;D1;01/03/2026;31/03/2026;1200\nF2;D2;01/03/2026;31/03/2026;99,90\n"
EVENTS = "claim_id;date;type;amount\nF1;20/04/2026;payment;100\n"


def make(tmp_path, debtors=DEBTORS, claims=CLAIMS, events=EVENTS, enc="utf-8", name="p"):
    out = tmp_path / name
    out.mkdir()
    for table, text in (("debtors", debtors), ("claims", claims), ("events", events)):
        data = text if isinstance(text, bytes) else text.encode(enc)
        (out / f"{table}.csv").write_bytes(data)
    return out


def quarantined(p, check):
    q = p.quarantine
    return q[q["check"] == check]


# ----------------------------------------------------------------------------- amounts
def test_a_401_digit_amount_is_quarantined_not_infinite(tmp_path):
    claims = CLAIMS + f"F3;D1;01/03/2026;31/03/2026;{'9' * 401}\n"
    p = read_portfolio(make(tmp_path, claims=claims))
    assert p.claims["claim_id"].tolist() == ["F1", "F2"]
    bad = quarantined(p, "amount_not_finite")
    assert bad[["line", "record_id"]].values.tolist() == [[4, "F3"]]
    assert "not a finite number" in bad["reason"].iloc[0]
    assert np.isfinite(p.claims["amount"]).all()


def test_inf_and_1e300_from_parquet_and_sqlite(tmp_path):
    claims = pd.DataFrame({"claim_id": ["F1", "F2", "F3"], "debtor_id": ["D1", "D1", "D2"],
                           "invoice_date": ["2026-03-01"] * 3, "due_date": ["2026-03-31"] * 3,
                           "amount": [1200.0, float("inf"), 1e300]})  # fmt: skip
    debtors = pd.DataFrame({"debtor_id": ["D1", "D2"], "debtor_type": ["B2B", "B2C"]})
    folder = tmp_path / "pq"
    folder.mkdir()
    debtors.to_parquet(folder / "debtors.parquet")
    claims.to_parquet(folder / "claims.parquet")
    db = tmp_path / "p.db"
    with sqlite3.connect(db) as con:
        debtors.to_sql("debtors", con, index=False)
        claims.to_sql("claims", con, index=False)
    for source in (folder, f"sqlite:///{db}"):
        p = read_portfolio(source)
        assert p.claims["claim_id"].tolist() == ["F1"]
        checks = p.quarantine.set_index("record_id")["check"].to_dict()
        assert checks == {"F2": "amount_not_finite", "F3": "amount_implausible"}
        assert "100,000,000 €" in p.quarantine["reason"].iloc[1]


def test_plausibility_ceiling_is_configurable(tmp_path):
    folder = make(tmp_path)
    (folder / "mapping.toml").write_text("[checks]\nmax_amount_eur = 1000\n", encoding="utf-8")
    p = read_portfolio(folder)
    # 1 200 € > 1 000 €: quarantined, and its payment follows it (the cascade)
    assert p.claims["claim_id"].tolist() == ["F2"]
    assert quarantined(p, "amount_implausible")["record_id"].tolist() == ["F1"]
    assert quarantined(p, "quarantined_claim")["line"].tolist() == [2]
    (folder / "mapping.toml").write_text("[checks]\nmax_amount_eur = -5\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"max_amount_eur = -5"):
        read_portfolio(folder)


def test_an_infinite_payment_is_quarantined(tmp_path):
    events = EVENTS + f"F2;21/04/2026;payment;{'1' * 400}\n"
    p = read_portfolio(make(tmp_path, events=events))
    assert quarantined(p, "amount_not_finite")[["table", "line"]].values.tolist() == [["events", 3]]


def test_currency_rates_must_be_finite_and_positive(tmp_path):
    folder = make(tmp_path)
    for rate in ("inf", "nan", "0", "-1.1", '"0.9"'):
        (folder / "mapping.toml").write_text(f"[currency_rates]\nUSD = {rate}\n", "utf-8")
        with pytest.raises(InputError, match=r"\[currency_rates\] USD = .*finite number > 0"):
            read_portfolio(folder)
    d = pd.DataFrame({"debtor_id": ["D1"], "debtor_type": ["B2B"]})
    c = pd.DataFrame({"claim_id": ["F1"], "debtor_id": ["D1"], "invoice_date": ["01/03/2026"],
                      "due_date": ["31/03/2026"], "amount": ["10"]})  # fmt: skip
    with pytest.raises(InputError, match=r"currency_rates USD = inf"):
        validate_portfolio(d, c, currency_rates={"USD": float("inf")})


# ----------------------------------------------------------------------------- NUL bytes
@pytest.mark.parametrize("line", [2, 3000])
def test_a_nul_byte_stops_the_read_wherever_it_is(tmp_path, line):
    rows = [f"F{i};D1;01/03/2026;31/03/2026;{i}\n" for i in range(1, 3001)]
    rows[line - 2] = rows[line - 2].replace(f"F{line - 1};", f"F{line - 1}\x00;")
    claims = (HEAD + "".join(rows)).encode()
    assert claims.index(b"\x00") > 65536 or line == 2  # the second case is past the sniffed head
    with pytest.raises(InputError, match=rf"claims\.csv .* line {line} holds a NUL byte"):
        read_portfolio(make(tmp_path, claims=claims))


def test_a_nul_character_in_a_parquet_id_is_quarantined(tmp_path):
    folder = tmp_path / "pq"
    folder.mkdir()
    pd.DataFrame({"debtor_id": ["D1", "D\x002"], "debtor_type": ["B2B", "B2C"]}).to_parquet(
        folder / "debtors.parquet"
    )
    pd.DataFrame({"claim_id": ["F1"], "debtor_id": ["D1"], "invoice_date": ["2026-03-01"],
                  "due_date": ["2026-03-31"], "amount": [10.0]}).to_parquet(
        folder / "claims.parquet"
    )  # fmt: skip
    p = read_portfolio(folder)
    bad = quarantined(p, "nul_character")
    assert bad[["table", "line", "column"]].values.tolist() == [["debtors", 2, "debtor_id"]]
    assert p.counts.set_index("table").loc["debtors", "valid"] == 1


# ----------------------------------------------------------------------------- headers, mapping
def test_duplicate_headers_are_an_error(tmp_path):
    claims = (
        "claim_id;debtor_id;invoice_date;due_date;amount;Amount\nF1;D1;01/03/2026;31/03/2026;1;2\n"
    )
    with pytest.raises(InputError, match=r"claims\.csv: column 'Amount' appears twice .*5 and 6"):
        read_portfolio(make(tmp_path, claims=claims))
    book = tmp_path / "p.xlsx"
    with pd.ExcelWriter(book) as xw:
        pd.DataFrame({"debtor_id": ["D1"], "debtor_type": ["B2B"]}).to_excel(
            xw, sheet_name="debtors", index=False
        )
        cols = ["claim_id", "debtor_id", "invoice_date", "due_date", "amount", "debtor_id "]
        row = ["F1", "D1", "2026-03-01", "2026-03-31", 1, "D1"]
        pd.DataFrame([row], columns=cols).to_excel(xw, sheet_name="claims", index=False)
    with pytest.raises(InputError, match=r"p\.xlsx\[claims\]: column 'debtor_id' appears twice"):
        read_portfolio(book)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[read]\ndayfirst = "false"\n', r"\[read\] dayfirst = 'false': expected true or false"),
        ('[read]\nencoding = "base64"\n', r"'base64' is not a text encoding"),
        ("[read]\nencoding = 8\n", r"\[read\] encoding = 8: expected a string"),
        ('files = "x"\n', r"\[files\] must be a table"),
        ('[claims]\ncolumns = "x"\n', r"\[claims.columns\] must be a table"),
        ('[claims.values]\ncurrency = "EUR"\n', r"\[claims.values.currency\] must be a table"),
        ("[claims.constants]\ncurrency = [1]\n", r"\[claims.constants\] currency = \[1\]"),
        ("[checks]\nmax_amount_eur = true\n", r"max_amount_eur = True: expected a number"),
    ],
)
def test_mapping_values_are_type_checked(tmp_path, toml, message):
    path = tmp_path / "m.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_mapping(path)


def test_a_mapping_that_is_not_utf8(tmp_path):
    path = tmp_path / "m.toml"
    path.write_bytes("[claims.columns]\n'Numéro' = 'claim_id'\n".encode("cp1252"))
    with pytest.raises(InputError, match=r"m\.toml is not UTF-8 text"):
        load_mapping(path)


def test_a_file_that_is_not_a_database(tmp_path):
    fake = tmp_path / "passwd"
    fake.write_text("root:x:0:0:root:/root:/bin/bash\n")
    with pytest.raises(InputError, match=r"cannot read the tables of sqlite:///.*passwd"):
        read_portfolio(f"sqlite:///{fake}")


def test_a_folder_named_like_a_table(tmp_path):
    folder = make(tmp_path)
    (folder / "events.csv").unlink()
    (folder / "events.csv").mkdir()
    with pytest.raises(InputError, match=r"events\.csv is a folder"):
        read_portfolio(folder)


# ----------------------------------------------------------------------------- payments, debtors
def test_overpayment_and_payment_before_invoice_are_warnings_not_losses(tmp_path):
    events = (
        "claim_id;date;type;amount\n"
        "F1;20/04/2026;payment;1000\n"  # line 2
        "F1;25/04/2026;credit_note;150\n"  # line 3: 1 150 of 1 200
        "F2;15/02/2026;payment;50\n"  # line 4: before the invoice of 01/03/2026
        "F1;30/04/2026;payment;100\n"  # line 5: 1 250 > 1 200: surplus 50
    )
    p = read_portfolio(make(tmp_path, events=events))
    assert len(p.events) == 4 and p.quarantine.empty  # kept: the cash is real
    w = p.warnings
    assert w[["line", "record_id", "check"]].values.tolist() == [
        [4, "F2", "payment_before_invoice"],
        [5, "F1", "overpayment"],
    ]
    over = w.loc[w["check"] == "overpayment", "reason"].iloc[0]
    assert "total 1,250.00 € for an amount of 1,200.00 € (surplus 50.00 €" in over
    assert "15/02/2026 before the invoice date 01/03/2026" in w["reason"].iloc[0]
    assert "overpayment x1" in summarize(p)


def test_an_event_whose_debtor_contradicts_its_claim_is_quarantined(tmp_path):
    events = (
        "claim_id;debtor_id;date;type;amount\n"
        "F1;D1;20/04/2026;payment;100\n"
        "F1;D2;21/04/2026;call_attempt;\n"
        "F2;;22/04/2026;call_attempt;\n"
    )
    p = read_portfolio(make(tmp_path, events=events))
    bad = quarantined(p, "debtor_mismatch")
    assert bad["line"].tolist() == [3]
    assert bad["reason"].iloc[0] == (
        "event debtor_id D2 contradicts its claim F1, which belongs to debtor D1"
    )
    assert len(p.events) == 2  # rows read = valid + quarantined
    assert p.counts.set_index("table").loc["events"].tolist() == [3, 2, 1]


# ----------------------------------------------------------------------------- encodings
def test_utf8_lines_in_a_cp1252_file_are_reported_with_their_line(tmp_path):
    debtors = (
        "debtor_id;debtor_type;name\nD1;B2B;Société Générale\n".encode("cp1252")
        + "D2;B2C;François Müller\n".encode()
    )
    p = read_portfolio(make(tmp_path, debtors=debtors))
    w = p.warnings[p.warnings["check"] == "mojibake"]
    assert w[["table", "line", "column"]].values.tolist() == [["debtors", 3, "name"]]
    assert "probably 'François Müller'" in w["reason"].iloc[0]
    assert p.debtors["name"].iloc[0] == "Société Générale"


def test_double_encoded_utf8_is_reported(tmp_path):
    debtors = "debtor_id;debtor_type;name\nD1;B2B;FranÃ§ois\nD2;B2C;Zoé\n"
    p = read_portfolio(make(tmp_path, debtors=debtors))
    assert p.warnings[["line", "value", "check"]].values.tolist() == [[2, "FranÃ§ois", "mojibake"]]


# ----------------------------------------------------------------------------- malformed lines
def test_a_line_with_too_many_fields_keeps_its_id_and_the_reason_chain(tmp_path):
    claims = CLAIMS + "F3;D1;01/03/2026;31/03/2026;10;extra;x\n"
    events = EVENTS + "F3;21/04/2026;relance;\n"
    p = read_portfolio(make(tmp_path, claims=claims, events=events))
    bad = p.quarantine.set_index("check")
    assert bad.loc["malformed_line", ["line", "record_id"]].tolist() == [4, "F3"]
    child = bad.loc["quarantined_claim"]
    assert child["line"] == 3
    assert child["reason"].startswith("claim F3 was quarantined: line has 7 fields")


def test_an_unterminated_quote_names_its_own_line(tmp_path):
    claims = CLAIMS + 'F3;D1;01/03/2026;31/03/2026;"10\nF4;D1;01/03/2026;31/03/2026;10\n'
    with pytest.raises(InputError, match=r"claims\.csv line 4: a quoted value is never closed"):
        read_portfolio(make(tmp_path, claims=claims))


def test_an_unreadable_earlier_scores_file_is_skipped(tmp_path):
    from recovery_analytics.judicial import prediction_check

    p = read_portfolio(make(tmp_path))
    scored = pd.DataFrame({"claim_id": ["F1"], "as_of": [pd.Timestamp("2026-04-01")],
                           "outstanding_eur": [1200.0], "expected_recovery_eur": [600.0],
                           "p_amicable": [0.5]})  # fmt: skip
    for day in ("2026-04-01", "2026-04-08"):
        (tmp_path / "out" / day / "judicial").mkdir(parents=True)
        scored.to_parquet(tmp_path / "out" / day / "judicial" / "scores.parquet")
    broken = tmp_path / "out" / "2026-04-08" / "judicial" / "scores.parquet"
    broken.write_bytes(broken.read_bytes()[:40])
    check = prediction_check(p, None, "2026-06-30", history_dir=tmp_path / "out")
    assert check["scored_as_of"].tolist() == [pd.Timestamp("2026-04-01")]
    assert check["collected_eur"].tolist() == [100.0]  # the payment of 20/04/2026
    assert len(check.attrs["skipped"]) == 1 and str(broken) in check.attrs["skipped"][0]


def test_a_symlink_leaving_the_folder_is_refused_without_quoting_it(tmp_path):
    folder = make(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    (folder / "events.csv").unlink()
    (folder / "events.csv").symlink_to(secret)
    with pytest.raises(InputError, match=r"events\.csv is a symbolic link to a file outside") as e:
        read_portfolio(folder)
    assert "root:x" not in str(e.value)
    # a link inside the folder is fine
    (folder / "events.csv").unlink()
    (folder / "raw").mkdir()
    (folder / "raw" / "ev.csv").write_text(EVENTS)
    (folder / "events.csv").symlink_to(folder / "raw" / "ev.csv")
    assert len(read_portfolio(folder).events) == 1


def test_a_control_character_in_a_name_is_a_warning(tmp_path):
    debtors = "debtor_id;debtor_type;name\nD1;B2B;SARL\x0bMartin\nD2;B2C;Zoé\n"
    p = read_portfolio(make(tmp_path, debtors=debtors))
    assert p.warnings[["line", "column", "check"]].values.tolist() == [
        [2, "name", "control_character"]
    ]
    assert "'SARL\\x0bMartin' holds a control character" in p.warnings["reason"].iloc[0]
    assert len(p.debtors) == 2  # kept; the exports replace it (tests/test_guard.py)
