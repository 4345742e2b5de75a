"""The call queue: eligibility, value of a call, capacity, assignment, next best action."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from recovery_analytics.amicable import train_model
from recovery_analytics.demo import generate_demo
from recovery_analytics.exports import write_call_queue
from recovery_analytics.features import portfolio_state
from recovery_analytics.prioritise import (
    EXCLUSION_REASONS,
    QUEUE_COLUMNS,
    EscalationPolicy,
    build_call_queue,
    call_value,
    check_french_phone,
    estimate_call_uplift,
    format_french_phone,
    next_best_action,
)
from recovery_analytics.schema import Portfolio

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


# ----------------------------------------------------------------------------- phones
def test_french_phone_numbers_are_validated_and_normalised():
    raw = pd.Series(
        [
            "06 12 34 56 78",
            "06.12.34.56.78",
            "+33 6 12 34 56 78",
            "+33 (0)1 23 45 67 89",
            "0033 612345678",
            "+262 692 12 34 56",  # Réunion mobile
            "+596 596 12 34 56",  # Martinique landline
            "+44 20 7123 4567",  # foreign, callable
            "06 12 34",  # truncated
            "00 00 00 00 00",  # placeholder
            "06 11 11 11 11",  # fake
            "tel 0612345678",  # letters
            "",
            None,
        ]
    )
    out = check_french_phone(raw)
    assert out["phone_status"].tolist() == [
        "ok", "ok", "ok", "ok", "ok", "ok", "ok", "foreign",
        "malformed", "malformed", "malformed", "malformed", "missing", "missing",
    ]  # fmt: skip
    assert out["phone_national"].tolist()[:8] == [
        "0612345678", "0612345678", "0612345678", "0123456789", "0612345678",
        "0692123456", "0596123456", "+442071234567",
    ]  # fmt: skip
    assert out["phone_national"].iloc[8:].isna().all()
    formatted = format_french_phone(out["phone_national"])
    assert formatted.iloc[0] == "06 12 34 56 78"
    assert formatted.iloc[5] == "06 92 12 34 56"
    assert formatted.iloc[7] == "+442071234567"


# ----------------------------------------------------------------------------- value of a call
def test_call_value_hand_worked_example():
    # D1: claim 1: O 1000, E 400, lift 1.5 -> (0.5 x 400 = 200, cap 600) = 200
    #     claim 2: O 300, E 280, lift 2 -> min(280, 20) = 20     -> 220 if reached
    #     reach 0.5, broken promise x1.25 -> 137.50 €
    #     minutes 0.5 x 8 + 0.5 x 1 = 4.5; cost 0.60 x 4.5 = 2.70 €; net 134.80; 29.9556 €/min
    # D2: O 50, E 10, lift 1.5 -> 5; reach 0.2 -> 1.00 €; minutes 0.2 x 6 + 0.8 = 2.0;
    #     cost 0.10 + 0.60 x 2 = 1.30 €; net -0.30 € (not worth a call)
    claims = pd.DataFrame(
        {
            "debtor_id": ["D1", "D2", "D1"],
            "outstanding_eur": [1000.0, 50.0, 300.0],
            "expected_recovery_eur": [400.0, 10.0, 280.0],
            "lift": [1.5, 1.5, 2.0],
        }
    )
    debtors = pd.DataFrame(
        {
            "debtor_id": ["D2", "D1"],
            "reach_rate": [0.2, 0.5],
            "talk_minutes": [6.0, 8.0],
            "broken_promise": [False, True],
        }
    )
    out = call_value(claims, debtors, call_cost_eur=0.10)
    assert out["debtor_id"].tolist() == ["D1", "D2"]
    np.testing.assert_allclose(out["call_eur"], [137.5, 1.0])
    np.testing.assert_allclose(out["expected_minutes"], [4.5, 2.0])
    np.testing.assert_allclose(out["cost_eur"], [0.1 + 2.7, 1.3])
    np.testing.assert_allclose(out["net_eur"], [134.7, -0.3])
    np.testing.assert_allclose(out["value_per_minute"], [134.7 / 4.5, -0.15])


def test_a_broken_promise_moves_the_debtor_up():
    claims = pd.DataFrame(
        {"debtor_id": ["A", "B"], "outstanding_eur": [1000.0] * 2,
         "expected_recovery_eur": [300.0] * 2, "lift": [1.5] * 2}
    )  # fmt: skip
    debtors = pd.DataFrame(
        {"debtor_id": ["A", "B"], "reach_rate": [0.5] * 2, "talk_minutes": [8.0] * 2,
         "broken_promise": [False, True]}
    )  # fmt: skip
    out = call_value(claims, debtors).set_index("debtor_id")
    assert out.loc["B", "call_eur"] == pytest.approx(1.25 * out.loc["A", "call_eur"])
    assert out.loc["B", "value_per_minute"] > out.loc["A", "value_per_minute"]


# ----------------------------------------------------------------------------- uplift
def _tiny_ledger(with_calls: bool) -> Portfolio:
    n = 40
    ids = [f"F{i:02d}" for i in range(n)]
    debtors = pd.DataFrame({"debtor_id": [f"D{i:02d}" for i in range(n)], "debtor_type": "B2B"})
    claims = pd.DataFrame(
        {
            "claim_id": ids,
            "debtor_id": debtors["debtor_id"],
            "invoice_date": pd.Timestamp("2025-12-01"),
            "due_date": pd.Timestamp("2026-01-01"),
            "amount": 100.0,
        }
    )
    called = ids[:20]
    ev = [
        pd.DataFrame(
            {
                "claim_id": called,
                "date": pd.Timestamp("2026-02-10"),
                "type": "payment",
                "amount": 100.0,
            }
        )
    ]
    if with_calls:
        ev.append(
            pd.DataFrame(
                {
                    "claim_id": called,
                    "date": pd.Timestamp("2026-02-05"),
                    "type": "call_reached",
                    "amount": np.nan,
                }
            )
        )
    return Portfolio(debtors, claims, pd.concat(ev, ignore_index=True))


def test_uplift_from_the_history_and_the_prior_without_calls():
    up = estimate_call_uplift(_tiny_ledger(True), AS_OF).set_index("age_bucket")
    # the 20 reached claims (36 days past due on 5 Feb) all paid within 30 days
    assert up.loc["31-60", "n_called"] == 20
    assert up.loc["31-60", "paid_called"] == pytest.approx(1.0)
    assert up.loc["31-60", "lift_raw"] > 1.5
    assert (up["lift"] >= 1).all() and (up["lift"] <= 3).all()
    assert up.loc["31-60", "lift"] > up.loc["365+", "lift"] > 1.5  # shrunk to the pooled lift
    assert up["reach_rate"].iloc[0] == pytest.approx((20 + 20 * 0.45) / (20 + 20))
    none = estimate_call_uplift(_tiny_ledger(False), AS_OF)
    assert (none["n_called"] == 0).all()
    np.testing.assert_allclose(none["lift"], 1.5)  # the prior
    np.testing.assert_allclose(none["reach_rate"], 0.45)


# ----------------------------------------------------------------------------- the queue
def test_capacity_never_exceeded_and_every_debtor_accounted_once(cq, portfolio):
    q = cq.queue
    assert list(q.columns) == list(QUEUE_COLUMNS)
    assert len(q) == 16  # 2 collectors x 8 calls: the demo has more callable debtors
    assert q.groupby("collector").size().max() <= 8
    assert q["rank"].tolist() == list(range(1, len(q) + 1))
    assert q["value_per_minute"].is_monotonic_decreasing
    assert q["debtor_id"].is_unique and cq.excluded["debtor_id"].is_unique
    assert not set(q["debtor_id"]) & set(cq.excluded["debtor_id"])
    assert set(q["debtor_id"]) | set(cq.excluded["debtor_id"]) == _overdue_debtors(portfolio)
    assert set(cq.excluded["reason"]) <= set(EXCLUSION_REASONS)
    assert cq.excluded["reason_label"].notna().all()
    assert "below_capacity" in set(cq.excluded["reason"])
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
    a = write_call_queue(cq, tmp_path / "a.csv").read_bytes()
    b = write_call_queue(again, tmp_path / "b.csv").read_bytes()
    assert a == b


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


# ----------------------------------------------------------------------------- next best action
def _state(**cols):
    n = len(next(iter(cols.values())))
    base = {
        "claim_id": [f"C{i:02d}" for i in range(n)],
        "debtor_id": [f"D{i}" for i in range(n)],
        "is_open": [True] * n,
        "as_of": [pd.Timestamp(AS_OF)] * n,
        "debtor_type": ["B2C"] * n,
        "amount": [1000.0] * n,
        "outstanding_eur": [1000.0] * n,
        "n_reminders": [0] * n,
        "n_call_attempts": [0] * n,
        "n_formal_notices": [0] * n,
        "stage_rank": [0] * n,
        "last_action_date": [pd.NaT] * n,
        "formal_notice_date": [pd.NaT] * n,
        "judicial_filing_date": [pd.NaT] * n,
        "promise_pending": [False] * n,
        "next_promise_date": [pd.NaT] * n,
        "open_dispute": [False] * n,
        "insolvency_status": ["none"] * n,
        "p_amicable": [0.8] * n,
    }
    base.update(cols)
    st = pd.DataFrame(base)
    st["due_date"] = pd.Timestamp(AS_OF) - pd.to_timedelta(st["days_past_due"], unit="D")
    return st


def test_next_best_action_follows_the_escalation_scenario():
    d = pd.Timestamp
    st = _state(
        days_past_due=[-10, -10, 10, 20, 40, 40, 70, 90, 90, 30, 30, 30, 200],
        amount=[6000.0, 500.0] + [1000.0] * 11,
        n_reminders=[0, 0, 0, 1, 2, 1, 2, 2, 2, 0, 0, 0, 2],
        n_call_attempts=[0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 1],
        n_formal_notices=[0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1],
        stage_rank=[0, 0, 0, 1, 2, 2, 2, 4, 4, 0, 0, 0, 5],
        last_action_date=[
            pd.NaT,
            pd.NaT,
            pd.NaT,
            d("2026-06-25"),
            d("2026-06-01"),
            d("2026-06-01"),
            d("2026-05-20"),
            d("2026-05-01"),
            d("2026-05-01"),
            pd.NaT,
            pd.NaT,
            pd.NaT,
            d("2026-01-01"),
        ],
        formal_notice_date=[pd.NaT] * 7 + [d("2026-05-01")] * 2 + [pd.NaT] * 3 + [d("2025-12-01")],
        judicial_filing_date=[pd.NaT] * 12 + [d("2026-01-01")],
        promise_pending=[False] * 9 + [True, False, False, False],
        next_promise_date=[pd.NaT] * 9 + [d("2026-07-04"), pd.NaT, pd.NaT, pd.NaT],
        open_dispute=[False] * 10 + [True, False, False],
        insolvency_status=["none"] * 11 + ["liquidation", "none"],
    )
    judicial = pd.DataFrame(
        {"claim_id": st["claim_id"], "recommended_route": ["continue_amicable"] * 13,
         "declaration_deadline": [pd.NaT] * 11 + [d("2026-08-15"), pd.NaT]}
    )  # fmt: skip
    judicial.loc[7, "recommended_route"] = "injonction_de_payer"
    judicial.loc[11, "recommended_route"] = "declare_claim"
    out = next_best_action(st, judicial, EscalationPolicy())
    assert out["action"].tolist() == [
        "courtesy_reminder",  # large invoice not yet due
        "not_due",  # small, low-risk invoice not yet due
        "reminder_letter",
        "call",
        "formal_notice",  # letter, call and second letter done; no visit for B2C
        "second_letter",
        "formal_notice",
        "court",  # notice sent, the judicial module recommends an injonction de payer
        "call",  # notice sent, court not worth it: call again
        "wait_promise",
        "resolve_dispute",
        "declare_claim",
        "follow_court_case",
    ]
    due = st["due_date"]
    dates = out["action_date"]
    assert dates[0] == due[0] - pd.Timedelta(days=5)
    assert dates[2] == due[2] + pd.Timedelta(days=7)  # 7 days after the due date: 27 June
    assert dates[3] == d("2026-07-02")  # due + 15 = 25 June, but 7 days after the 25 June letter
    assert dates[4] == due[4] + pd.Timedelta(days=45)
    assert dates[7] == max(due[7] + pd.Timedelta(days=60), d("2026-05-11"))
    assert dates[8] == d("2026-05-31")  # court day (due + 60) is later than last action + 14
    assert dates[9] == d("2026-07-07")  # promised 4 July + 3 days of grace
    assert dates[11] == d("2026-08-15")
    assert out.loc[7, "route"] == "injonction_de_payer" and pd.isna(out.loc[8, "route"])
    assert out.loc[2, "channel"] == "letter" and out.loc[7, "channel"] == "court"
    # a visit for a large B2B debtor between the second letter and the formal notice
    b2b = _state(days_past_due=[50], debtor_type=["B2B"], n_reminders=[2], n_call_attempts=[1],
                 stage_rank=[2], debtor_open_exposure_eur=[20_000.0])  # fmt: skip
    assert next_best_action(b2b)["action"].tolist() == ["visit"]
    no_visit = EscalationPolicy(visit_min_eur=None)
    assert next_best_action(b2b, policy=no_visit)["action"].tolist() == ["formal_notice"]
