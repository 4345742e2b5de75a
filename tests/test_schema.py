"""Validation and quarantine of in-memory tables (``schema.validate_portfolio``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from recovery_analytics.portfolio import (
    CLAIM_COLUMNS,
    DEBTOR_COLUMNS,
    EVENT_COLUMNS,
    QUARANTINE_COLUMNS,
    InputError,
    validate_portfolio,
)


def debtors(**extra):
    base = {
        "debtor_id": ["D1", "D2", "D3"],
        "debtor_type": ["B2B", "Particulier", "société"],
        "insolvency_status": ["", "RJ", "Liquidation judiciaire"],
        "insolvency_date": ["", "05/06/2026", "2026-01-02"],
    }
    return pd.DataFrame(base | extra)


def claims(rows=None):
    rows = rows or [
        ("F1", "D1", "01/03/2026", "31/03/2026", "1 234,56", "", "oui"),
        ("F2", "D2", "02/03/2026", "01/04/2026", "100", "EUR", ""),
        ("F3", "D3", "03/03/2026", "02/04/2026", "50,5", "€", "non"),
    ]
    cols = ["claim_id", "debtor_id", "invoice_date", "due_date", "amount", "currency", "disputed"]
    return pd.DataFrame(rows, columns=cols)


def events(rows=None):
    rows = rows or [
        ("F1", "10/04/2026", "Relance", "", ""),
        ("F1", "05/04/2026", "paiement", "100,00", ""),
        ("F2", "05/04/2026", "promesse", "50", "30/04/2026"),
        ("F3", "01/04/2026", "Mise en demeure", "", ""),
    ]
    return pd.DataFrame(rows, columns=["claim_id", "date", "type", "amount", "promise_date"])


def reasons(p, table=None):
    q = p.quarantine if table is None else p.quarantine[p.quarantine["table"] == table]
    return dict(zip(q["record_id"], q["reason"], strict=True))


def test_clean_portfolio_is_typed_and_complete():
    p = validate_portfolio(debtors(), claims(), events())
    assert p.quarantine.empty
    assert p.counts["quarantined"].tolist() == [0, 0, 0]
    for df, spec in (
        (p.debtors, DEBTOR_COLUMNS),
        (p.claims, CLAIM_COLUMNS),
        (p.events, EVENT_COLUMNS),
    ):
        assert list(df.columns[: len(spec)]) == list(spec)
        assert [str(df[c].dtype) for c in spec] == [d for d, _ in spec.values()]
    assert p.debtors["debtor_type"].tolist() == ["B2B", "B2C", "B2B"]
    assert p.debtors["insolvency_status"].tolist() == ["none", "redressement", "liquidation"]
    assert p.claims["amount"].tolist() == [1234.56, 100.0, 50.5]
    assert p.claims["currency"].tolist() == ["EUR"] * 3
    assert p.claims["disputed"].tolist() == [True, False, False]
    # events sorted by (date, claim_id); aliases resolved
    assert p.events["type"].tolist() == [
        "formal_notice",
        "payment",
        "promise_to_pay",
        "reminder_letter",
    ]
    assert p.events["claim_id"].tolist() == ["F3", "F1", "F2", "F1"]
    assert p.events["promise_date"].iloc[2] == pd.Timestamp("2026-04-30")
    assert list(QUARANTINE_COLUMNS) == list(p.quarantine.columns[: len(QUARANTINE_COLUMNS)])


def test_events_sort_is_stable_for_ties():
    rows = [("F2", "01/04/2026", "sms", "", ""), ("F1", "01/04/2026", "call_attempt", "", "")]
    rows += [("F1", "01/04/2026", "call_reached", "", "")]
    p = validate_portfolio(debtors(), claims(), events(rows))
    assert p.events["type"].tolist() == ["call_attempt", "call_reached", "sms"]


GOOD = {"claim_id": "X", "debtor_id": "D1", "invoice_date": "01/03/2026"}
GOOD |= {"due_date": "31/03/2026", "amount": "10", "currency": "", "disputed": ""}


@pytest.mark.parametrize(
    ("change", "column", "reason"),
    [
        ({"amount": "-120,50"}, "amount", "amount '-120,50' is negative"),
        ({"amount": "0,00"}, "amount", "amount '0,00' is zero"),
        ({"amount": "douze euros"}, "amount", "amount 'douze euros' is not a number"),
        (
            {"due_date": "31/02/2026"},
            "due_date",
            "due_date '31/02/2026' is not a valid date (expected dd/mm/yyyy or yyyy-mm-dd)",
        ),
        (
            {"invoice_date": "28/08/2024", "due_date": "01/01/2023"},
            "due_date",
            "due_date '01/01/2023' is before invoice_date '28/08/2024'",
        ),
        ({"debtor_id": "NOPE"}, "debtor_id", "debtor NOPE does not exist in debtors"),
        ({"invoice_date": ""}, "invoice_date", "invoice_date is empty (required)"),
        ({"currency": "USD"}, "currency", "currency 'USD' is not EUR and has no conversion rate"),
        (
            {"amount": "10 $", "currency": "EUR"},
            "currency",
            "amount is written in USD but currency is 'EUR'",
        ),
        ({"disputed": "peut-être"}, "disputed", "disputed 'peut-être' is not a yes/no value"),
    ],
)
def test_bad_claim_rows_are_quarantined_with_reason(change, column, reason):
    row = tuple((GOOD | change).values())
    p = validate_portfolio(debtors(), claims([*claims().itertuples(index=False), row]), None)
    q = p.quarantine
    assert len(q) == 1
    assert q["record_id"].iloc[0] == "X" and q["column"].iloc[0] == column
    assert q["reason"].iloc[0].startswith(reason)
    assert q["line"].iloc[0] == 4  # record number of the 4th row
    assert p.claims["claim_id"].tolist() == ["F1", "F2", "F3"]
    assert p.counts.set_index("table").loc["claims"].tolist() == [4, 3, 1]


def test_duplicate_keeps_first_and_names_its_line():
    rows = [
        *claims().itertuples(index=False),
        ("F2", "D1", "01/03/2026", "31/03/2026", "9", "", ""),
    ]
    p = validate_portfolio(debtors(), claims(rows))
    assert p.claims.set_index("claim_id").loc["F2", "amount"] == 100.0
    assert reasons(p) == {"F2": "duplicate claim_id F2, first seen on line 2"}


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (("F9", "01/04/2026", "payment", "10", ""), "claim F9 does not exist in claims"),
        (("F1", "01/04/2026", "telepathy", "", ""), "event type 'telepathy' is unknown"),
        (
            ("F1", "01/04/2026", "promise_to_pay", "10", ""),
            "promise_to_pay event without a promise_date",
        ),
        (("F1", "01/04/2026", "payment", "", ""), "payment event without an amount"),
        (
            ("F1", "01/04/2026", "credit_note", "-5", ""),
            "credit_note amount '-5' must be greater than 0",
        ),
        (("F1", "32/04/2026", "sms", "", ""), "date '32/04/2026' is not a valid date"),
    ],
)
def test_bad_event_rows_are_quarantined_with_reason(row, reason):
    p = validate_portfolio(debtors(), claims(), events([*events().itertuples(index=False), row]))
    q = p.quarantine
    assert len(q) == 1 and q["table"].iloc[0] == "events"
    assert q["reason"].iloc[0].startswith(reason)
    assert len(p.events) == 4


def test_cascade_from_debtor_to_claims_to_events():
    d = debtors()
    d.loc[1, "debtor_type"] = "martien"
    p = validate_portfolio(d, claims(), events())
    why_debtor = "debtor_type 'martien' is unknown (expected B2B, B2C;"
    assert reasons(p, "debtors")["D2"].startswith(why_debtor)
    assert reasons(p, "claims")["F2"].startswith("debtor D2 was quarantined: " + why_debtor)
    assert reasons(p, "events")["F2"].startswith("claim F2 was quarantined: debtor D2 was")
    assert p.counts["rows_read"].tolist() == [3, 3, 4]
    assert p.counts["quarantined"].tolist() == [1, 1, 1]
    assert (p.counts["valid"] + p.counts["quarantined"] == p.counts["rows_read"]).all()


def test_currency_conversion_with_rates_keeps_original():
    rows = [
        *claims().itertuples(index=False),
        ("F4", "D1", "01/03/2026", "31/03/2026", "200", "usd", ""),
    ]
    ev = events([("F4", "01/04/2026", "payment", "50", "")])
    p = validate_portfolio(debtors(), claims(rows), ev, currency_rates={"USD": 0.9})
    f4 = p.claims.set_index("claim_id").loc["F4"]
    assert f4["amount"] == pytest.approx(180.0)
    assert (f4["amount_original"], f4["currency_original"], f4["currency"]) == (200.0, "USD", "EUR")
    assert p.events["amount"].iloc[0] == pytest.approx(45.0)
    assert p.events["amount_original"].iloc[0] == 50.0


def test_typed_input_and_missing_optional_columns():
    d = pd.DataFrame({"debtor_id": [1, 2], "debtor_type": ["B2C", "B2B"]})
    c = pd.DataFrame(
        {
            "claim_id": ["A", "B"],
            "debtor_id": ["1", "2"],
            "invoice_date": pd.to_datetime(["2026-03-01 10:30", "2026-03-02 00:00"]),
            "due_date": pd.to_datetime(["2026-03-31", "2026-04-01"]).astype("datetime64[s]"),
            "amount": [10.0, 20.5],
            "disputed": [True, False],
        }
    )
    p = validate_portfolio(d, c)
    assert p.quarantine.empty
    assert p.claims["invoice_date"].tolist() == [
        pd.Timestamp("2026-03-01"),
        pd.Timestamp("2026-03-02"),
    ]
    assert p.claims["due_date"].dtype == "datetime64[ns]"
    assert p.claims["creditor_id"].isna().all() and p.claims["currency"].tolist() == ["EUR", "EUR"]
    assert p.debtors["insolvency_status"].tolist() == ["none", "none"]
    assert p.events.empty and str(p.events["date"].dtype) == "datetime64[ns]"


def test_missing_required_column_raises():
    with pytest.raises(InputError, match=r"missing required claims column\(s\) amount"):
        validate_portfolio(debtors(), claims().drop(columns="amount"))


def test_shuffled_rows_give_same_valid_set_and_quarantine():
    rng = np.random.default_rng(0)
    c_rows = [*claims().itertuples(index=False)]
    c_rows += [
        ("B1", "D1", "01/03/2026", "31/02/2026", "10", "", ""),
        ("B2", "D9", "01/03/2026", "31/03/2026", "10", "", ""),
        ("B3", "D1", "01/03/2026", "31/03/2026", "-1", "", ""),
        ("B4", "D4", "01/03/2026", "31/03/2026", "7", "", ""),
    ]
    e_rows = [*events().itertuples(index=False), ("B4", "01/04/2026", "sms", "", "")]
    e_rows += [("B1", "01/04/2026", "sms", "", ""), ("F2", "01/04/2026", "alien", "", "")]
    d = pd.concat([debtors(), pd.DataFrame({"debtor_id": ["D4"], "debtor_type": ["?"]})])
    base = validate_portfolio(d, claims(c_rows), events(e_rows))
    assert len(base.quarantine) == 8

    def canon(p):
        keys = {
            "debtors": "debtor_id",
            "claims": "claim_id",
            "events": ["claim_id", "date", "type"],
        }
        tables = [getattr(p, t).sort_values(k).reset_index(drop=True) for t, k in keys.items()]
        q = p.quarantine.drop(columns="line").sort_values(["table", "record_id", "reason"])
        return tables, q.reset_index(drop=True)

    for _ in range(5):
        shuffled = [
            df.sample(frac=1, random_state=rng).reset_index(drop=True)
            for df in (d, claims(c_rows), events(e_rows))
        ]
        got = validate_portfolio(*shuffled)
        (t1, q1), (t2, q2) = canon(base), canon(got)
        for a, b in zip(t1, t2, strict=True):
            pd.testing.assert_frame_equal(a, b)
        pd.testing.assert_frame_equal(q1, q2)
