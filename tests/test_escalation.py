"""Next best action: the escalation scenario, its dates and the judicial route."""

from __future__ import annotations

import pandas as pd

from recovery_analytics.queue import EscalationPolicy, next_best_action

AS_OF = "2026-06-30"


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


def test_an_old_claim_moves_to_the_step_proper_to_its_age_not_to_a_late_first_letter():
    # 730 days past due, nothing logged (a payments-only ledger): a formal notice now,
    # not a first reminder "due" two years ago, and never court without a notice
    st = _state(days_past_due=[730, 730, 20, 90], n_formal_notices=[0, 1, 0, 0],
                last_action_date=[pd.NaT, pd.Timestamp("2026-06-27"), pd.NaT,
                                  pd.Timestamp("2026-07-05")])  # fmt: skip
    out = next_best_action(st).set_index("claim_id")
    assert out.loc["C00", "action"] == "formal_notice"
    assert out.loc["C00", "action_date"] == pd.Timestamp(AS_OF)
    assert not out.loc["C00", "late"]
    assert out.loc["C01", "action"] == "call"  # notice done: court step, no route -> recall
    assert out.loc["C01", "action_date"] >= pd.Timestamp("2026-06-27")
    assert out.loc["C02", "action"] == "reminder_letter"  # 20 days: within the catch-up
    # the planned date is never before the last action
    assert out.loc["C03", "action_date"] >= pd.Timestamp("2026-07-05")
    assert (
        out["action_date"]
        >= st.set_index("claim_id")["last_action_date"].fillna(pd.Timestamp("1970-01-01"))
    ).all()
