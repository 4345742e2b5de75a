"""Tests of the demo portfolio generator: contract, determinism, realism, effects."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd
import pytest

from recovery_analytics.demo import DunningPolicy, debtors_for_claims, generate_demo
from recovery_analytics.demo._generate import CLAIMS_PER_DEBTOR
from recovery_analytics.portfolio import (
    CLAIM_COLUMNS,
    DEBTOR_COLUMNS,
    DEBTOR_TYPES,
    EVENT_COLUMNS,
    EVENT_TYPES,
    EVENT_TYPES_WITH_AMOUNT,
    INSOLVENCY_STATUSES,
    QUARANTINE_COLUMNS,
    Portfolio,
)

AS_OF = pd.Timestamp("2026-06-30")
DAY = pd.Timedelta(days=1)
START = AS_OF - 900 * DAY  # start of the exported history (default history_days)


@pytest.fixture(scope="module")
def small() -> Portfolio:
    return generate_demo(400, seed=3)


@pytest.fixture(scope="module")
def big() -> Portfolio:
    """About 110k claims: enough for the age curve and the effect of calls."""
    return generate_demo(20_000, seed=11)


@pytest.fixture(scope="module")
def ledger(big) -> pd.DataFrame:
    """One row per claim invoiced within the history (the carried-over book is a biased
    sample: only its survivors are exported): settlement date (paid + credited reaches
    the amount), first payment, write-off, first reached call, debtor attributes."""
    c = big.claims.merge(big.debtors, on="debtor_id", suffixes=("", "_debtor"))
    ev = big.events
    money = ev[ev["type"].isin(["payment", "credit_note"])].merge(
        c[["claim_id", "amount"]], on="claim_id", suffixes=("", "_claim")
    )
    money["cum"] = money.groupby("claim_id")["amount"].cumsum()
    full = money[money["cum"] >= money["amount_claim"] - 0.01]
    first_of = {
        "settled": full.groupby("claim_id")["date"].min(),
        "first_payment": ev[ev["type"] == "payment"].groupby("claim_id")["date"].min(),
        "written_off": ev[ev["type"] == "write_off"].groupby("claim_id")["date"].min(),
        "reached": ev[ev["type"] == "call_reached"].groupby("claim_id")["date"].min(),
        "dialled": ev[ev["type"].isin(["call_attempt", "call_reached"])]
        .groupby("claim_id")["date"]
        .min(),
    }
    for col, s in first_of.items():
        c[col] = c["claim_id"].map(s)
    c["age"] = (AS_OF - c["due_date"]).dt.days
    c["settled_dpd"] = (c["settled"] - c["due_date"]).dt.days
    return c[c["invoice_date"] >= START].reset_index(drop=True)


# -- contract --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "spec"),
    [("debtors", DEBTOR_COLUMNS), ("claims", CLAIM_COLUMNS), ("events", EVENT_COLUMNS)],
)
def test_canonical_columns_and_dtypes(small, table, spec):
    df = getattr(small, table)
    assert list(df.columns[: len(spec)]) == list(spec)
    assert {c: str(df[c].dtype) for c in spec} == {c: t for c, (t, _) in spec.items()}
    for col, (dtype, required) in spec.items():
        if required:
            assert df[col].notna().all(), col
        if dtype.startswith("datetime"):
            values = df[col].dropna()
            assert (values == values.dt.normalize()).all(), col
    assert df.index.equals(pd.RangeIndex(len(df)))


def test_portfolio_metadata(small):
    assert list(small.debtors.columns[len(DEBTOR_COLUMNS) :]) == ["segment", "bureau_score"]
    assert str(small.debtors["segment"].dtype) == "str"
    assert str(small.debtors["bureau_score"].dtype) == "float64"
    assert small.extra_features == {"numeric": ["bureau_score"], "categorical": ["segment"]}
    assert small.source == "demo(seed=3)"
    assert small.quarantine.empty and tuple(small.quarantine.columns) == QUARANTINE_COLUMNS
    counts = small.counts.set_index("table")
    for t in ("debtors", "claims", "events"):
        n = len(getattr(small, t))
        assert counts.loc[t, "rows_read"] == counts.loc[t, "valid"] == n
        assert counts.loc[t, "quarantined"] == 0


def test_values_are_in_their_domains(small):
    d, c, e = small.debtors, small.claims, small.events
    assert d["debtor_id"].is_unique and c["claim_id"].is_unique
    assert set(d["debtor_type"]) <= set(DEBTOR_TYPES)
    assert set(d["insolvency_status"]) <= set(INSOLVENCY_STATUSES)
    assert set(e["type"]) <= set(EVENT_TYPES)
    assert (c["amount"] > 0).all() and (c["due_date"] >= c["invoice_date"]).all()
    assert (c["amount"] == c["amount"].round(2)).all()
    assert (c["currency"] == "EUR").all()
    assert set((c["due_date"] - c["invoice_date"]).dt.days) <= {0, 30, 45, 60}
    scores = d["bureau_score"].dropna()
    assert scores.between(1, 10).all() and (scores == scores.round()).all()
    assert set(d["segment"]) == {"grand compte", "PME", "TPE", "particulier"}
    b2c = d["debtor_type"] == "B2C"
    assert (d.loc[b2c, "segment"] == "particulier").all()
    assert d.loc[b2c, ["siren", "naf_code"]].isna().all().all()


def test_rows_sorted_deterministically(small):
    assert small.debtors["debtor_id"].is_monotonic_increasing
    assert small.claims["claim_id"].is_monotonic_increasing
    e = small.events
    key = pd.MultiIndex.from_arrays([e["date"], e["claim_id"]])
    assert key.is_monotonic_increasing


def test_referential_integrity(small):
    assert small.claims["debtor_id"].isin(small.debtors["debtor_id"]).all()
    assert small.events["claim_id"].isin(small.claims["claim_id"]).all()


def test_events_between_invoice_and_as_of(small):
    e = small.events.merge(small.claims[["claim_id", "invoice_date"]], on="claim_id")
    assert (e["date"] <= AS_OF).all()
    assert (e["date"] >= e["invoice_date"]).all()
    assert (small.debtors["insolvency_date"].dropna() <= AS_OF).all()


def test_other_as_of_and_history():
    p = generate_demo(150, seed=2, as_of=date(2025, 3, 31), history_days=400)
    start = pd.Timestamp("2025-03-31") - pd.Timedelta(days=400)
    assert p.events["date"].max() <= pd.Timestamp("2025-03-31")
    assert p.events["date"].min() >= start
    assert p.claims["invoice_date"].max() <= pd.Timestamp("2025-03-31")
    old = p.claims["invoice_date"] < start
    assert 0 < old.mean() < 0.25  # the book carried over from before the history


def test_carried_over_claims_are_open_at_the_start(small):
    """Claims invoiced before the history are those still open at its start: no event
    before it, an amount (the balance then) that later payments do not exceed."""
    from recovery_analytics.state import portfolio_state

    c = small.claims
    old = c[c["invoice_date"] < START]
    assert len(old) > 20
    assert (small.events["date"] >= START).all()
    state = portfolio_state(small, START - DAY).set_index("claim_id")
    assert state.loc[old["claim_id"], "is_open"].all()
    paid = small.events[small.events["type"].isin(["payment", "credit_note"])]
    paid = paid.groupby("claim_id")["amount"].sum()
    paid = paid.reindex(old["claim_id"]).fillna(0)  # instalments add up to the cent
    assert (paid <= old.set_index("claim_id")["amount"] + 0.005).all()
    # some of them are ancient, like the book at as_of
    assert ((START - old["due_date"]).dt.days > 365).mean() > 0.1


def test_recovery_base_rate_is_stationary():
    """The share of open overdue claims recovered within 90 days is flat over the
    history: no warm-up at its start, no drift (the first and last thirds of the
    snapshot dates within 4 points), and so is the age of the overdue book."""
    from recovery_analytics.amicable import training_snapshots

    snaps = training_snapshots(generate_demo(3000, seed=21), every_days=28, include_not_due=False)
    dates = np.sort(snaps["as_of"].unique())
    third = len(dates) // 3
    first = snaps[snaps["as_of"].isin(dates[:third])]
    last = snaps[snaps["as_of"].isin(dates[-third:])]
    assert 0.2 < first["recovered"].mean() < 0.45
    assert abs(first["recovered"].mean() - last["recovered"].mean()) < 0.04
    by_date = snaps.groupby("as_of")["recovered"].mean()
    assert by_date.max() - by_date.min() < 0.12
    old = (first["days_past_due"] > 365).mean(), (last["days_past_due"] > 365).mean()
    assert old[0] > 0.1 and abs(old[0] - old[1]) < 0.05
    assert abs(len(first) - len(last)) / len(last) < 0.15  # the book's size is stable too


def test_amount_columns_follow_event_type(small):
    e = small.events
    needs = e["type"].isin(EVENT_TYPES_WITH_AMOUNT)
    assert (e.loc[needs, "amount"] > 0).all()
    assert e.loc[~needs, "amount"].isna().all()
    promises = e[e["type"] == "promise_to_pay"]
    assert len(promises) > 0
    assert (promises["promise_date"] > promises["date"]).all()
    assert e.loc[e["type"] != "promise_to_pay", "promise_date"].isna().all()


def test_payments_never_exceed_amount_minus_credit_notes(big):
    e = big.events
    money = e[e["type"].isin(["payment", "credit_note"])]
    got = money.pivot_table(index="claim_id", columns="type", values="amount", aggfunc="sum")
    got = got.fillna(0.0).join(big.claims.set_index("claim_id")["amount"])
    assert (got["payment"] <= got["amount"] - got["credit_note"] + 0.01).all()
    assert (got["credit_note"] <= got["amount"] + 0.01).all()


def test_disputed_flag_is_a_dispute_open_at_as_of(small, big):
    for p in (small, big):
        e = p.events
        opened = e[e["type"] == "dispute_opened"].groupby("claim_id")["date"].max()
        resolved = e[e["type"] == "dispute_resolved"].groupby("claim_id")["date"].max()
        is_open = opened.to_frame("o").join(resolved.rename("r"))
        open_ids = set(is_open.index[~(is_open["r"] >= is_open["o"])])
        assert set(p.claims.loc[p.claims["disputed"], "claim_id"]) == open_ids
    assert big.claims["disputed"].sum() > 0


# -- determinism -------------------------------------------------------------------------


def test_same_seed_same_tables_and_bytes(small):
    again = generate_demo(400, seed=3, as_of="2026-06-30")
    for t in ("debtors", "claims", "events"):
        pd.testing.assert_frame_equal(getattr(small, t), getattr(again, t))
        assert getattr(small, t).to_csv(index=False) == getattr(again, t).to_csv(index=False)
    assert generate_demo(50, seed=1, as_of=date(2026, 6, 30)).events.equals(
        generate_demo(50, seed=1).events
    )


def test_different_seed_different_tables(small):
    other = generate_demo(400, seed=4)
    assert not small.claims.equals(other.claims)
    assert not small.debtors["name"].equals(other.debtors["name"])


def test_rejects_no_debtor():
    with pytest.raises(ValueError, match="n_debtors must be at least 1"):
        generate_demo(0)
    with pytest.raises(ValueError, match="history_days must be at least 1"):
        generate_demo(10, history_days=0)


# -- sizing and the policy ------------------------------------------------------------------


def test_debtors_for_claims_sizes_the_portfolio(big):
    assert debtors_for_claims(1) == 1
    assert debtors_for_claims(1_000_000) == pytest.approx(1_000_000 / CLAIMS_PER_DEBTOR, abs=1)
    # insolvent debtors stop being invoiced, hence a little below the nominal mean
    assert len(big.claims) / len(big.debtors) == pytest.approx(CLAIMS_PER_DEBTOR, rel=0.06)


def test_policy_calendar_is_followed():
    no_calls = DunningPolicy(call_share=0.0, review_call_share=0.0, email_day=2)
    p = generate_demo(300, seed=5, policy=no_calls)
    e = p.events.merge(p.claims[["claim_id", "due_date"]], on="claim_id")
    assert not e["type"].isin(["call_attempt", "call_reached", "promise_to_pay"]).any()
    emails = e[e["type"] == "reminder_email"]
    assert len(emails) > 0 and ((emails["date"] - emails["due_date"]).dt.days == 2).all()
    fn = e[e["type"] == "formal_notice"].merge(p.claims[["claim_id", "amount"]], on="claim_id")
    assert (fn["amount_y"] >= DunningPolicy().formal_notice_min_eur).all()


# -- realism ------------------------------------------------------------------------------


def test_french_identifiers(big):
    d = big.debtors
    b2b = d["debtor_type"] == "B2B"
    assert b2b.mean() == pytest.approx(0.6, abs=0.02)
    siren = d.loc[b2b, "siren"]
    assert siren.str.fullmatch(r"[0-9]{9}").all()
    digits = np.array([list(map(int, s)) for s in siren.head(2000)])
    doubled = digits[:, 1::2] * 2
    luhn = digits[:, 0::2].sum(axis=1) + (doubled - 9 * (doubled > 9)).sum(axis=1)
    assert (luhn % 10 == 0).all()
    assert d.loc[b2b, "naf_code"].str.fullmatch(r"[0-9]{2}\.[0-9]{2}[A-Z]").all()
    assert {"75", "69", "13", "2A", "971"} <= set(d["department"])
    assert d["phone"].isna().mean() == pytest.approx(0.10, abs=0.02)
    assert 0.1 < d["email"].isna().mean() < 0.35
    digits_only = d["phone"].dropna().str.replace(r"^\+33", "0", regex=True)
    digits_only = digits_only.str.replace(r"[ .]", "", regex=True)
    malformed = ~digits_only.str.fullmatch(r"0[1-9][0-9]{8}")
    assert 0.005 < malformed.mean() < 0.05
    assert d["name"].str.contains(re.escape("Boulangerie ")).any()
    assert d.loc[~b2b, "name"].str.match(r"(M\.|Mme) ").all()


def test_insolvencies_are_few_b2b_and_stop_payments(big, ledger):
    d = big.debtors
    insolvent = d["insolvency_status"] != "none"
    assert (insolvent == d["insolvency_date"].notna()).all()
    assert (d.loc[insolvent, "debtor_type"] == "B2B").all()
    share = insolvent[d["debtor_type"] == "B2B"].mean()
    assert 0.01 < share < 0.08
    # claims still unpaid at the publication date are mostly never paid afterwards
    c = ledger[ledger["insolvency_date"].notna()]
    c = c[c["invoice_date"] < c["insolvency_date"]]
    still_open = c[~(c["first_payment"] <= c["insolvency_date"])]
    assert len(still_open) > 200
    pay = big.events[big.events["type"] == "payment"].merge(
        still_open[["claim_id", "insolvency_date"]], on="claim_id"
    )
    paid_after = pay.loc[pay["date"] > pay["insolvency_date"], "claim_id"].nunique()
    assert paid_after / len(still_open) < 0.10
    # and no dunning after the publication
    actions = big.events[big.events["type"].isin(["call_attempt", "formal_notice", "sms"])]
    actions = actions.merge(still_open[["claim_id", "insolvency_date"]], on="claim_id")
    assert (actions["date"] < actions["insolvency_date"]).all()


def test_amounts_by_type(ledger):
    med = ledger.groupby("debtor_type")["amount"].median()
    assert 60 < med["B2C"] < 300 and 500 < med["B2B"] < 5000
    assert ledger.loc[ledger["debtor_type"] == "B2B", "amount"].max() > 50_000


@pytest.mark.parametrize(
    ("age", "low", "high"),
    # share of the claims still unpaid at `age` days past due that are settled by
    # as_of (with at least a year of follow-up); facts file section 5: ~55 % at 90
    # days, ~40 % at 180 days, ~20 % at 1 year
    [(30, 0.70, 0.92), (90, 0.45, 0.65), (180, 0.28, 0.48), (365, 0.10, 0.30)],
)
def test_recovery_falls_with_age(ledger, age, low, high):
    base = ledger[ledger["age"] >= age + 365]
    cut = base["due_date"] + pd.Timedelta(days=age)
    unpaid = base[~(base["settled"] <= cut) & ~(base["written_off"] <= cut)]
    assert len(unpaid) > 500
    assert low <= unpaid["settled"].notna().mean() <= high


def test_settled_within_30_days_past_due(ledger):
    old = ledger[ledger["age"] >= 30]
    within = old["settled_dpd"] <= 30
    assert 0.65 <= within.mean() <= 0.85  # persuadables and lost causes pay later
    by_score = within.groupby(old["bureau_score"]).mean()
    assert by_score[by_score.index >= 8].min() >= 0.85  # the best segments: ~90 %
    assert by_score[by_score.index <= 3].max() <= 0.65  # the score is informative


def test_open_book_at_as_of(ledger):
    open_ = ledger[ledger["settled"].isna() & ledger["written_off"].isna()]
    assert 0.05 < len(open_) / len(ledger) < 0.2
    assert (ledger["settled"].notna()).mean() > 0.8  # enough closed claims to train on
    ages = pd.cut(open_["age"], [-100, 0, 90, 365, 10_000]).value_counts(normalize=True)
    assert (ages > 0.1).all()  # not yet due, fresh, old and very old claims


def test_payment_history_predicts_next_claims(ledger):
    late = ledger[ledger["age"] >= 60].copy()
    late["late30"] = ~(late["settled_dpd"] <= 30)
    rank = late.groupby("debtor_id")["invoice_date"].rank(method="first")
    size = late.groupby("debtor_id")["claim_id"].transform("size")
    enough = size >= 6
    late = late[enough]
    half = np.where(rank[enough] <= size[enough] / 2, "before", "after")
    rates = late.groupby(["debtor_id", half])["late30"].mean().unstack()
    corr = rates["before"].corr(rates["after"])
    assert 0.3 < corr < 0.95  # informative, not a perfect predictor


def test_reached_call_raises_short_term_payment(ledger):
    """Claims reached by phone 20-30 days past due pay within 21 days far more often than
    comparable claims (valid phone, open at 25 days, dunning creditor) never called."""
    dpd = (ledger["reached"] - ledger["due_date"]).dt.days
    called = ledger[dpd.between(20, 30)]
    rate_called = (
        (called["first_payment"] > called["reached"])
        & (called["first_payment"] <= called["reached"] + 21 * DAY)
    ).mean()
    at = ledger["due_date"] + 25 * DAY
    keep = (
        ledger["dialled"].isna()
        & ledger["phone"].notna()
        & (ledger["creditor_id"] != "CR05")
        & (ledger["age"] >= 60)
        & ~(ledger["first_payment"] <= at)
        & ~(ledger["written_off"] <= at)
    )
    control, at = ledger[keep], at[keep]
    rate_control = (
        (control["first_payment"] > at) & (control["first_payment"] <= at + 21 * DAY)
    ).mean()
    assert len(called) > 1000 and len(control) > 1000
    assert rate_called > rate_control + 0.12


def test_many_overdue_claims_are_never_called(ledger):
    overdue = ledger[(ledger["age"] >= 60) & ~(ledger["settled_dpd"] <= 40)]
    assert 0.3 < overdue["dialled"].isna().mean() < 0.8


def test_promises_are_often_but_not_always_kept(big):
    e = big.events
    prom = e[e["type"] == "promise_to_pay"][["claim_id", "date", "promise_date", "amount"]]
    pay = e[e["type"] == "payment"][["claim_id", "date", "amount"]]
    m = prom.merge(pay, on="claim_id", suffixes=("", "_pay"))
    window = (m["date_pay"] > m["date"]) & (m["date_pay"] <= m["promise_date"] + 3 * DAY)
    paid = m[window].groupby(["claim_id", "date"])["amount_pay"].sum()
    due = prom[prom["promise_date"] + 3 * DAY < AS_OF].set_index(["claim_id", "date"])
    kept = paid.reindex(due.index).fillna(0) >= due["amount"] - 1
    assert 0.45 < kept.mean() < 0.9
