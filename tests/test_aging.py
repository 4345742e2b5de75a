"""Tests of the aged balance (``aging``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from recovery_analytics.portfolio import Portfolio
from recovery_analytics.state import (
    DEFAULT_BUCKETS,
    TOTAL_LABEL,
    age_bucket,
    aged_balance,
    bucket_labels,
    portfolio_state,
)

LABELS = ["non échu", "1–30 j", "31–60 j", "61–90 j", "91–180 j", "181–365 j", "> 365 j"]


def test_default_labels_in_order():
    assert DEFAULT_BUCKETS == (0, 30, 60, 90, 180, 365)
    assert bucket_labels() == LABELS
    cat = age_bucket([10])
    assert cat.ordered and list(cat.categories) == LABELS


@pytest.mark.parametrize(
    ("days", "label"),
    [
        (-400, "non échu"),
        (-1, "non échu"),
        (0, "non échu"),  # due today is not late
        (1, "1–30 j"),
        (30, "1–30 j"),
        (31, "31–60 j"),
        (60, "31–60 j"),
        (61, "61–90 j"),
        (90, "61–90 j"),
        (91, "91–180 j"),
        (180, "91–180 j"),
        (181, "181–365 j"),
        (365, "181–365 j"),
        (366, "> 365 j"),
        (5000, "> 365 j"),
    ],
)
def test_bucket_edges(days, label):
    assert age_bucket([days])[0] == label


def test_missing_days_and_custom_buckets():
    cat = age_bucket(pd.Series([np.nan, 15, 45], dtype="float64"), buckets=[30])
    assert pd.isna(cat[0]) and list(cat[1:]) == ["1–30 j", "> 30 j"]
    assert bucket_labels([0, 15, 45]) == ["non échu", "1–15 j", "16–45 j", "> 45 j"]
    with pytest.raises(ValueError, match="increasing"):
        bucket_labels([60, 30])
    with pytest.raises(ValueError, match="non-negative"):
        bucket_labels([-5, 30])


def _state() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "debtor_type": pd.Series(["B2B", "B2B", "B2B", "B2C", "B2C", "B2C"], dtype="str"),
            "department": pd.Series(["75", "75", None, "13", "13", "75"], dtype="str"),
            "is_open": [True, True, True, True, False, True],
            "outstanding_eur": [1000.0, 500.0, 250.0, 40.0, 0.0, 60.0],
            "days_past_due": [0, 31, 400, 31, 90, 366],
        }
    )


def test_by_debtor_type_by_hand():
    t = aged_balance(_state())
    assert list(t.columns) == [
        "debtor_type", "bucket", "n_claims", "outstanding_eur", "share_of_outstanding"
    ]  # fmt: skip
    assert len(t) == 2 * 7  # every bucket, empty ones included
    b2b = t[t["debtor_type"] == "B2B"].set_index("bucket")
    assert list(b2b.index) == LABELS
    assert b2b.loc["non échu", "outstanding_eur"] == 1000.0
    assert b2b.loc["31–60 j", "outstanding_eur"] == 500.0
    assert b2b.loc["> 365 j", "outstanding_eur"] == 250.0
    assert b2b.loc["61–90 j", ["n_claims", "outstanding_eur"]].tolist() == [0, 0.0]
    assert b2b.loc["non échu", "share_of_outstanding"] == pytest.approx(1000 / 1750)
    b2c = t[t["debtor_type"] == "B2C"].set_index("bucket")
    # the closed claim (90 days) is not in the balance
    assert b2c["n_claims"].tolist() == [0, 0, 1, 0, 0, 0, 1]
    assert b2c.loc["31–60 j", "share_of_outstanding"] == pytest.approx(0.4)  # 40 / 100
    assert t["n_claims"].dtype == "int64" and t["outstanding_eur"].dtype == "float64"


def test_totals_rows_and_other_columns():
    t = aged_balance(_state(), by=["department"], buckets=(30, 365), totals=True)
    labels = ["non échu", "1–30 j", "31–365 j", "> 365 j", TOTAL_LABEL]
    assert list(t["bucket"].cat.categories) == labels
    assert t["department"].isna().sum() == 5  # the missing département is a group
    totals = t[t["bucket"] == TOTAL_LABEL].set_index("department")
    assert totals.loc["75", ["n_claims", "outstanding_eur"]].tolist() == [3, 1560.0]
    assert totals.loc["13", ["n_claims", "outstanding_eur"]].tolist() == [1, 40.0]
    assert (totals["share_of_outstanding"] == 1.0).all()
    assert (
        t.loc[t["department"].isna() & (t["bucket"] == "> 365 j"), "outstanding_eur"].item()
        == 250.0
    )


def test_whole_portfolio_and_no_open_claim():
    t = aged_balance(_state(), by=None)
    assert t["bucket"].tolist() == LABELS
    assert t["outstanding_eur"].sum() == 1850.0  # sum over open claims
    assert t["share_of_outstanding"].sum() == pytest.approx(1.0)
    closed = _state().assign(is_open=False)
    empty = aged_balance(closed, by=None, totals=True)
    assert len(empty) == 8 and (empty["outstanding_eur"] == 0).all()
    assert (empty["share_of_outstanding"] == 0).all()
    assert len(aged_balance(closed)) == 0


def test_missing_column_says_how_to_fix():
    with pytest.raises(KeyError, match="merge the debtors"):
        aged_balance(_state(), by="naf_code")


def test_totals_equal_open_outstanding_on_a_portfolio():
    rng = np.random.default_rng(7)
    n = 300
    inv = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 800, n), "D")
    claims = pd.DataFrame(
        {
            "claim_id": pd.Series([f"C{i:03d}" for i in range(n)], dtype="str"),
            "debtor_id": pd.Series(rng.choice(["D1", "D2", "D3"], n), dtype="str"),
            "invoice_date": inv,
            "due_date": inv + pd.to_timedelta(30, "D"),
            "amount": np.round(rng.uniform(10, 5000, n), 2),
        }
    )
    debtors = pd.DataFrame(
        {
            "debtor_id": pd.Series(["D1", "D2", "D3"], dtype="str"),
            "debtor_type": pd.Series(["B2B", "B2C", "B2B"], dtype="str"),
        }
    )
    pay = rng.choice(n, 100, replace=False)
    events = pd.DataFrame(
        {
            "claim_id": claims["claim_id"].to_numpy()[pay],
            "date": claims["due_date"].to_numpy()[pay],
            "type": pd.Series(["payment"] * 100, dtype="str"),
            "amount": claims["amount"].to_numpy()[pay] * rng.choice([0.5, 1.0], 100),
        }
    )
    state = portfolio_state(Portfolio(debtors, claims, events), "2026-01-15")
    expected = state.loc[state["is_open"], "outstanding_eur"].sum()
    for by in ["debtor_type", ["debtor_type", "debtor_id"], None]:
        t = aged_balance(state, by=by, totals=True)
        total = t[t["bucket"] == TOTAL_LABEL]
        assert total["outstanding_eur"].sum() == pytest.approx(expected)
        assert t.loc[t["bucket"] != TOTAL_LABEL, "outstanding_eur"].sum() == pytest.approx(expected)
        assert total["n_claims"].sum() == state["is_open"].sum()
