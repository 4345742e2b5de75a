"""The TOML mapping: the documented worked example, recodes, constants, bad mappings."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from recovery_analytics.portfolio import InputError, Mapping, load_mapping, read_portfolio

DOC = Path(__file__).parents[1] / "docs" / "input-format.md"


def worked_example(tmp_path):
    """Write the files and the mapping of the docs' worked example into tmp_path."""
    text = DOC.read_text(encoding="utf-8")
    for name, body in re.findall(r"```csv (\S+)\n(.*?)```", text, flags=re.S):
        (tmp_path / name).write_bytes(body.encode("cp1252"))
    (toml,) = re.findall(r"```toml\n(.*?)```", text, flags=re.S)
    (tmp_path / "mapping.toml").write_text(toml, encoding="utf-8")
    return tmp_path / "mapping.toml"


def test_documented_worked_example(tmp_path):
    p = read_portfolio(tmp_path, mapping=worked_example(tmp_path))
    d = p.debtors.set_index("debtor_id")
    assert d["debtor_type"].to_dict() == {"C001": "B2B", "C002": "B2C", "C003": "B2B"}
    assert d["insolvency_status"].to_dict() == {
        "C001": "none",
        "C002": "none",
        "C003": "redressement",
    }
    assert d.loc["C003", "name"] == "Hôtel du Port" and d.loc["C002", "Segment"] == "Particulier"
    c = p.claims.set_index("claim_id")
    assert list(c.index) == ["FA-1", "FA-2", "FA-3"]
    assert c["amount"].tolist() == pytest.approx([1234.56, 89.90, 2500 * 0.92])
    assert c.loc["FA-3", ["amount_original", "currency_original"]].tolist() == [2500.0, "USD"]
    assert c["currency"].tolist() == ["EUR"] * 3
    assert c["disputed"].tolist() == [False, True, False]
    assert c["creditor_id"].tolist() == ["CLIENT-A"] * 3
    assert str(c["Score"].dtype) == "float64" and c["Score"].tolist()[:2] == [0.82, 0.4]
    assert p.extra_features == {"numeric": ["Score"], "categorical": ["Segment"]}
    e = p.events
    assert e["type"].tolist() == [
        "reminder_letter",
        "call_attempt",
        "promise_to_pay",
        "payment",
        "payment",
    ]
    assert e["amount"].tolist()[-1] == pytest.approx(460.0)  # 500 USD at 0.92
    assert e["promise_date"].iloc[2] == pd.Timestamp("2026-03-15")
    q = p.quarantine.set_index(["table", "record_id"])["reason"]
    assert q.loc[("claims", "FA-4")] == (
        "amount '-50,00' is negative: record credit notes and payments as events, not as claims"
    )
    assert q.loc[("events", "FA-4")] == "claim FA-4 was quarantined: " + q.loc[("claims", "FA-4")]
    assert p.counts[["rows_read", "valid", "quarantined"]].values.tolist() == [
        [3, 3, 0],
        [4, 3, 1],
        [6, 5, 1],
    ]


def test_non_eur_claim_is_quarantined_without_rates(tmp_path):
    mapping = worked_example(tmp_path)
    text = mapping.read_text(encoding="utf-8").replace("[currency_rates]\nUSD = 0.92\n", "")
    mapping.write_text(text, encoding="utf-8")
    p = read_portfolio(tmp_path, mapping=mapping)
    q = p.quarantine.set_index(["table", "record_id"])["reason"]
    assert q.loc[("claims", "FA-3")].startswith(
        "currency 'USD' is not EUR and has no conversion rate"
    )
    assert q.loc[("events", "FA-3")].startswith("claim FA-3 was quarantined: currency 'USD'")
    assert "amount_original" not in p.claims.columns


def test_mapping_from_dict_normalises_keys():
    m = Mapping.from_dict(
        {
            "read": {"sep": "tab", "decimal": ","},
            "claims": {
                "columns": {" Montant TTC ": "amount"},
                "values": {"disputed": {"Litige": True}},
            },
        }
    )
    assert m.sep == "\t" and m.decimal == "," and m.dayfirst is True
    assert m.columns["claims"] == {"montant_ttc": "amount"}
    assert m.values["claims"] == {"disputed": {"litige": True}}


def test_recode_and_constants_on_a_plain_folder(tmp_path):
    (tmp_path / "debtors.csv").write_text("debtor_id;kind\nD1;Entreprise\n", encoding="utf-8")
    (tmp_path / "claims.csv").write_text(
        "claim_id;debtor_id;invoice_date;due_date;amount;creditor_id\n"
        "F1;D1;01/03/2026;31/03/2026;10;\nF2;D1;01/03/2026;31/03/2026;10;CLIENT-B\n",
        encoding="utf-8",
    )
    m = Mapping.from_dict(
        {
            "debtors": {"columns": {"Kind": "debtor_type"}},
            "claims": {"constants": {"creditor_id": "CLIENT-A", "disputed": True}},
        }
    )
    p = read_portfolio(tmp_path, mapping=m)
    assert p.debtors["debtor_type"].tolist() == ["B2B"]
    assert p.claims["creditor_id"].tolist() == ["CLIENT-A", "CLIENT-B"]
    assert p.claims["disputed"].tolist() == [True, True]


@pytest.mark.parametrize(
    ("toml", "match"),
    [
        ('[creances.columns]\n"x" = "claim_id"\n', r"unknown section \[creances\]"),
        (
            '[claims.columns]\n"Montant" = "montant"\n',
            r"\[claims.columns\] 'Montant' = 'montant': 'montant' is not a claims col",
        ),
        (
            '[claims.values.statut]\n"Litige" = true\n',
            r"\[claims.values.statut\]: 'statut' is not a claims column",
        ),
        ("[read]\nseparator = ';'\n", r"unknown key \[read\] 'separator'"),
        ("[read]\nencoding = 'klingon'\n", "not a known encoding"),
        ("[currency_rates]\nUSD = -1\n", r"\[currency_rates\] USD = -1"),
        ("[files]\nfactures = 'f.csv'\n", r"\[files\] 'factures'"),
        ("[claims\ncolumns = 1\n", "is not valid TOML"),
    ],
)
def test_invalid_mapping_names_the_key(tmp_path, toml, match):
    path = tmp_path / "bad.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(InputError, match=match):
        load_mapping(path)


def test_missing_mapping_file_and_unknown_feature(tmp_path):
    with pytest.raises(InputError, match=r"mapping file .* not found"):
        load_mapping(tmp_path / "nope.toml")
    mapping = worked_example(tmp_path)
    mapping.write_text(
        mapping.read_text(encoding="utf-8").replace('"Score"]', '"Cote"]'), encoding="utf-8"
    )
    with pytest.raises(InputError, match="feature column 'Cote' declared under \\[features\\]"):
        read_portfolio(tmp_path, mapping=mapping)
