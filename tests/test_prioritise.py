"""The call queue: eligibility, capacity, assignment, determinism, the lists of the week.

The pieces have their own test files: ``test_phones.py``, ``test_uplift.py``
(value of a call, uplift) and ``test_escalation.py`` (next best action).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from recovery_analytics.amicable import train_model
from recovery_analytics.demo import generate_demo
from recovery_analytics.portfolio import Portfolio
from recovery_analytics.queue import (
    EXCLUSION_REASONS,
    QUEUE_COLUMNS,
    build_call_queue,
    check_french_phone,
    write_call_queue,
)
from recovery_analytics.state import portfolio_state

AS_OF = "2026-06-30"


@pytest.fixture(scope="module")
def portfolio():
    return generate_demo(250, seed=0)


@pytest.fixture(scope="module")
def model(portfolio):
    return train_model(portfolio, num_threads=1, n_estimators=25)[0]


@pytest.fixture(scope="module")
def cq(portfolio, model):
    return build_call_queue(portfolio, model, AS_OF, collectors=2, calls_per_collector=8)


def _overdue_debtors(portfolio, as_of=AS_OF):
    st = portfolio_state(portfolio, as_of)
    return set(st.loc[st["is_open"] & (st["days_past_due"] > 0), "debtor_id"])


# ----------------------------------------------------------------------------- the queue
def test_capacity_never_exceeded_and_every_debtor_accounted_once(cq, portfolio):
    q = cq.queue
    assert list(q.columns) == list(QUEUE_COLUMNS)
    # 2 collectors x 8 calls; a debtor whose learned call effect does not pay its cost stays out
    assert 12 <= len(q) <= 16
    assert q.groupby("collector").size().max() <= 8
    assert q["rank"].tolist() == list(range(1, len(q) + 1))
    assert q["value_per_minute"].is_monotonic_decreasing
    assert q["debtor_id"].is_unique and cq.excluded["debtor_id"].is_unique
    assert not set(q["debtor_id"]) & set(cq.excluded["debtor_id"])
    assert set(q["debtor_id"]) | set(cq.excluded["debtor_id"]) == _overdue_debtors(portfolio)
    assert set(cq.excluded["reason"]) <= set(EXCLUSION_REASONS)
    assert cq.excluded["reason_label"].notna().all()
    assert set(cq.excluded["reason"]) & {"below_capacity", "not_worth_a_call"}
    summ = cq.summary.set_index("collector")
    assert summ["debtors"].sum() == len(q)
    assert summ["call_eur"].sum() == pytest.approx(q["call_eur"].sum())
    # the claims behind each line
    assert set(cq.claims["debtor_id"]) == set(q["debtor_id"])
    in_call = cq.claims.groupby("debtor_id")["in_call"].sum()
    assert in_call.to_dict() == q.set_index("debtor_id")["open_claims"].to_dict()


def test_queued_debtors_pass_every_rule(cq, portfolio):
    st = portfolio_state(portfolio, AS_OF)
    mine = st[st["debtor_id"].isin(cq.queue["debtor_id"]) & st["is_open"]]
    assert not (mine["insolvency_status"] != "none").any()
    assert not mine["open_dispute"].any()
    assert not (mine["promise_pending"] & (mine["days_past_due"] > 0)).any()
    assert (
        check_french_phone(
            portfolio.debtors.set_index("debtor_id").loc[cq.queue["debtor_id"], "phone"]
        )["phone_status"]
        .isin(["ok", "foreign"])
        .all()
    )
    assert cq.queue["phone"].str.fullmatch(r"0\d( \d\d){4}|\+\d+").all()
    calls = portfolio.events[portfolio.events["type"].isin(["call_attempt", "call_reached"])]
    calls = calls.merge(portfolio.claims[["claim_id", "debtor_id"]], on="claim_id")
    recent = calls[(calls["date"] > pd.Timestamp(AS_OF) - pd.Timedelta(days=7))]
    assert not set(recent["debtor_id"]) & set(cq.queue["debtor_id"])
    assert (cq.queue["net_eur"] > 0).all()
    assert cq.queue["talking_points"].str.len().gt(0).all()
    # The model's reasons name the invoice they are about (one of the debtor's claims).
    about = cq.queue["talking_points"].str.extract(r"^facture (\S+) : ")[0]
    claims_of = cq.claims.groupby("debtor_id")["claim_id"].agg(set)
    assert all(c in claims_of[d] for c, d in zip(about, cq.queue["debtor_id"], strict=True))
    # every excluded-for-contact debtor is on the list of contacts to check
    contact = cq.excluded[cq.excluded["reason"].str.startswith("contact_")]
    assert set(contact["debtor_id"]) <= set(cq.contact_to_check["debtor_id"])
    assert cq.disputes["claim_id"].is_unique
    assert set(cq.letters["channel"]) <= {"email", "letter", "registered_letter"}


def test_deterministic_and_independent_of_row_order(portfolio, model, cq, tmp_path):
    rng = np.random.default_rng(5)

    def shuffle(df):
        return df.iloc[rng.permutation(len(df))].reset_index(drop=True)

    shuffled = Portfolio(
        shuffle(portfolio.debtors),
        shuffle(portfolio.claims),
        shuffle(portfolio.events),
        extra_features=portfolio.extra_features,
    )
    again = build_call_queue(shuffled, model, AS_OF, collectors=2, calls_per_collector=8)
    for name in ("queue", "claims", "excluded", "letters", "summary", "disputes"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(cq, name), obj=name)
    for suffix in (".csv", ".xlsx"):
        a = write_call_queue(cq, tmp_path / f"a{suffix}").read_bytes()
        b = write_call_queue(again, tmp_path / f"b{suffix}").read_bytes()
        assert a == b, suffix


def test_minutes_capacity_and_segment_caps(portfolio, model):
    cq = build_call_queue(
        portfolio, model, AS_OF, collectors=["Ana", "Bob"], calls_per_collector=None,
        minutes_per_day=20.0, max_per_segment={"particulier": 1}, judicial=False, reasons=False,
    )  # fmt: skip
    g = cq.queue.groupby("collector")
    assert (g["expected_minutes"].sum() <= 20.0 + 1e-9).all()
    seg = cq.queue[cq.queue["segment"] == "particulier"].groupby("collector").size()
    assert (seg <= 1).all()
    assert set(cq.queue["collector"]) <= {"Ana", "Bob"}


def test_skills_and_the_previous_collector(portfolio, model):
    base = build_call_queue(portfolio, model, AS_OF, collectors=["A", "B"], calls_per_collector=6)
    # the last call of the 1st queued debtor was made by B: B keeps it
    first = base.queue.iloc[0]
    claim = portfolio.claims.loc[portfolio.claims["debtor_id"] == first["debtor_id"], "claim_id"]
    other = "B" if first["collector"] == "A" else "A"
    extra = pd.DataFrame(
        {"claim_id": [claim.iloc[0]], "date": [pd.Timestamp("2026-05-01")], "type": "call_reached",
         "amount": np.nan, "promise_date": pd.NaT, "collector": [other]}
    )  # fmt: skip
    events = pd.concat([portfolio.events.assign(collector=pd.NA), extra], ignore_index=True)
    p2 = Portfolio(portfolio.debtors, portfolio.claims, events,
                   extra_features=portfolio.extra_features)  # fmt: skip
    cq = build_call_queue(p2, model, AS_OF, collectors=["A", "B"], calls_per_collector=6)
    row = cq.queue.set_index("debtor_id").loc[first["debtor_id"]]
    assert row["collector"] == other and row["previous_collector"] == other
    skilled = build_call_queue(
        portfolio, model, AS_OF, collectors=["A", "B"], calls_per_collector=6,
        skills={"A": ["B2B", "fr"], "B": ["B2C"]}, reasons=False,
    )  # fmt: skip
    q = skilled.queue
    assert (q.loc[q["collector"] == "A", "debtor_type"] == "B2B").all()
    assert (q.loc[q["collector"] == "B", "debtor_type"] == "B2C").all()


def test_a_payments_only_ledger_still_gets_a_queue(portfolio):
    ev = portfolio.events[portfolio.events["type"].isin(["payment", "credit_note"])]
    ledger = Portfolio(
        portfolio.debtors.drop(columns=["segment", "bureau_score"]),
        portfolio.claims,
        ev.reset_index(drop=True),
    )
    model = train_model(ledger, num_threads=1, n_estimators=20)[0]
    cq = build_call_queue(ledger, model, AS_OF, collectors=1, calls_per_collector=10, lang="en")
    assert len(cq.queue) == 10
    assert (cq.uplift["n_called"] == 0).all()
    assert cq.queue["suggested_action"].str.startswith("Call").all()
    assert set(cq.queue["debtor_id"]) | set(cq.excluded["debtor_id"]) == _overdue_debtors(ledger)
    # nothing logged: the first step of the scenario is a reminder letter, not a court route
    assert "reminder_letter" in set(cq.letters["action"])


def test_a_model_with_extra_features_queues_a_portfolio_read_without_mapping(
    portfolio, model, cq, tmp_path
):
    from recovery_analytics.portfolio import read_portfolio, write_portfolio

    assert set(model.required_columns()) >= {"bureau_score", "segment"}
    write_portfolio(portfolio, tmp_path)
    (tmp_path / "mapping.toml").unlink()
    plain = read_portfolio(tmp_path)
    assert plain.extra_features == {}
    again = build_call_queue(plain, model, AS_OF, collectors=2, calls_per_collector=8)
    assert again.queue["debtor_id"].tolist() == cq.queue["debtor_id"].tolist()
