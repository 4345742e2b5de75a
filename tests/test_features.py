"""Tests of the claim state at an as_of date (``features``).

The tiny portfolio below is written by hand and every expected value was
worked out by hand from the contract (``docs/state-contract.md``); the
comments show the arithmetic. As of 2026-03-31.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from recovery_analytics.portfolio import COURT_EVENT_TYPES, EVENT_TYPES, Portfolio
from recovery_analytics.state import (
    STAGES,
    debtor_history,
    open_claims,
    portfolio_state,
    portfolio_states,
)

AS_OF = "2026-03-31"
NaT = pd.NaT


def _dt(values):
    return pd.Series(pd.to_datetime(values), dtype="datetime64[ns]")


def _debtors() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "debtor_id": pd.Series(["D1", "D2", "D3", "D4"], dtype="str"),
            "debtor_type": pd.Series(["B2B", "B2C", "B2B", "B2B"], dtype="str"),
            "naf_code": pd.Series(["47.11Z", None, "62.01Z", "41.20A"], dtype="str"),
            "department": pd.Series(["75", "2A", None, "971"], dtype="str"),
            "insolvency_status": pd.Series(
                ["none", "redressement", "liquidation", "none"], dtype="str"
            ),
            # D2's proceedings are published after as_of, D3's before.
            "insolvency_date": _dt([None, "2026-05-15", "2026-02-01", None]),
        }
    )


def _claims() -> pd.DataFrame:
    rows = [
        # claim, debtor, invoice, due, amount, disputed
        ("C01", "D1", "2025-12-01", "2025-12-31", 1000.0, False),
        ("C02", "D1", "2026-01-15", "2026-02-14", 500.0, False),
        ("C03", "D2", "2026-03-01", "2026-04-30", 250.0, False),
        ("C04", "D2", "2025-06-01", "2025-07-01", 300.0, False),
        ("C05", "D3", "2025-10-01", "2025-10-31", 800.0, True),
        ("C06", "D3", "2025-11-01", "2025-12-01", 1200.0, False),
        ("C07", "D1", "2025-09-01", "2025-10-01", 200.0, False),
        ("C08", "D1", "2025-10-01", "2025-10-31", 300.0, False),
        ("C09", "D4", "2026-04-15", "2026-05-15", 900.0, False),  # invoiced after as_of
        ("C10", "D4", "2026-03-20", "2026-04-19", 150.0, False),
    ]
    c = pd.DataFrame(rows, columns=["claim_id", "debtor_id", "inv", "due", "amount", "disputed"])
    return pd.DataFrame(
        {
            "claim_id": c["claim_id"].astype("str"),
            "debtor_id": c["debtor_id"].astype("str"),
            "invoice_date": _dt(c["inv"]),
            "due_date": _dt(c["due"]),
            "amount": c["amount"].astype("float64"),
            "currency": pd.Series(["EUR"] * len(c), dtype="str"),
            "disputed": c["disputed"].astype(bool),
            "creditor_id": pd.Series(["K1"] * 9 + [None], dtype="str"),
        }
    )


def _events_frame(rows) -> pd.DataFrame:
    e = pd.DataFrame(rows, columns=["claim_id", "date", "type", "amount", "promise_date"])
    return pd.DataFrame(
        {
            "claim_id": e["claim_id"].astype("str"),
            "date": _dt(e["date"]),
            "type": e["type"].astype("str"),
            "amount": e["amount"].astype("float64"),
            "promise_date": _dt(e["promise_date"]),
        }
    )


def _events() -> pd.DataFrame:
    n = np.nan
    return _events_frame(
        [
            ("C01", "2026-01-05", "reminder_letter", n, None),
            ("C01", "2026-01-10", "call_attempt", n, None),
            ("C01", "2026-01-12", "call_reached", n, None),
            ("C01", "2026-01-12", "promise_to_pay", 400.0, "2026-01-20"),  # kept
            ("C01", "2026-01-20", "payment", 400.0, None),  # partial payment
            ("C01", "2026-04-15", "payment", 600.0, None),  # after as_of: ignored
            ("C02", "2026-02-01", "credit_note", 100.0, None),
            ("C02", "2026-02-16", "reminder_email", n, None),
            ("C02", "2026-02-20", "promise_to_pay", 400.0, "2026-03-01"),  # broken
            ("C02", "2026-03-05", "sms", n, None),
            ("C02", "2026-03-25", "promise_to_pay", 400.0, "2026-04-10"),  # pending
            ("C04", "2025-08-01", "dispute_opened", n, None),
            ("C04", "2025-09-01", "dispute_resolved", n, None),
            ("C04", "2025-10-01", "formal_notice", n, None),
            ("C04", "2026-02-15", "write_off", n, None),
            ("C06", "2026-03-01", "dispute_opened", n, None),
            ("C06", "2026-03-10", "judicial_filing", n, None),
            ("C06", "2026-03-20", "promise_to_pay", 1200.0, "2026-03-29"),  # in grace
            ("C07", "2025-10-05", "promise_to_pay", 100.0, "2025-10-10"),  # kept (+1 day)
            ("C07", "2025-10-11", "payment", 100.0, None),
            ("C07", "2025-10-21", "payment", 100.0, None),  # settled 20 days late
            ("C08", "2025-10-26", "payment", 300.0, None),  # settled 5 days early
            ("C10", "2026-03-25", "promise_to_pay", 150.0, "2026-03-31"),  # due today
        ]
    )


def _portfolio(events=None, claims=None, debtors=None) -> Portfolio:
    return Portfolio(
        debtors=_debtors() if debtors is None else debtors,
        claims=_claims() if claims is None else claims,
        events=_events() if events is None else events,
    )


@pytest.fixture(scope="module")
def state() -> pd.DataFrame:
    return portfolio_state(_portfolio(), AS_OF).set_index("claim_id")


def test_rows_and_order(state):
    # C09 is invoiced on 2026-04-15, after as_of: it does not exist yet.
    assert list(state.index) == ["C01", "C02", "C03", "C04", "C05", "C06", "C07", "C08", "C10"]
    assert (state["as_of"] == pd.Timestamp(AS_OF)).all()


def test_contract_columns_and_dtypes():
    out = portfolio_state(_portfolio(), AS_OF)
    contract = {
        "claim_id": "str", "debtor_id": "str", "creditor_id": "str",
        "as_of": "datetime64[ns]", "debtor_type": "str",
        "invoice_date": "datetime64[ns]", "due_date": "datetime64[ns]",
        "amount": "float64", "paid_eur": "float64", "credited_eur": "float64",
        "written_off": "bool", "outstanding_eur": "float64", "is_open": "bool",
        "days_past_due": "int64", "payment_terms_days": "int64", "stage": "str",
        "stage_rank": "int64", "n_reminders": "int64", "n_call_attempts": "int64",
        "n_calls_reached": "int64", "n_promises": "int64", "n_promises_kept": "int64",
        "n_promises_broken": "int64", "promise_pending": "bool",
        "next_promise_date": "datetime64[ns]", "promised_eur_pending": "float64",
        "last_action_date": "datetime64[ns]", "days_since_last_action": "float64",
        "last_contact_date": "datetime64[ns]", "days_since_last_contact": "float64",
        "last_payment_date": "datetime64[ns]", "n_payments": "int64",
        "partial_payment": "bool", "open_dispute": "bool",
        "dispute_opened_date": "datetime64[ns]", "dispute_age_days": "float64",
        "n_formal_notices": "int64", "formal_notice_date": "datetime64[ns]",
        "judicial_filing_date": "datetime64[ns]", "judgment_date": "datetime64[ns]",
        "last_acknowledgement_date": "datetime64[ns]", "insolvency_status": "str",
        "insolvency_date": "datetime64[ns]", "debtor_open_exposure_eur": "float64",
        "debtor_open_claims": "int64",
        "last_promise_form_unknown_date": "datetime64[ns]",
        "legacy_filing_date": "datetime64[ns]", "ip_request_date": "datetime64[ns]",
        "ip_order_date": "datetime64[ns]", "ip_service_date": "datetime64[ns]",
        "opposition_date": "datetime64[ns]", "summons_date": "datetime64[ns]",
        "claim_declaration_date": "datetime64[ns]",
        "naf_code": "str", "department": "str",
        "debtor_hist_claims": "int64", "debtor_hist_share_late": "float64",
        "debtor_hist_median_days_late": "float64", "debtor_hist_mean_days_late": "float64",
        "debtor_hist_share_partial": "float64", "debtor_hist_promises_kept_ratio": "float64",
        "debtor_hist_written_off": "int64",
    }  # fmt: skip
    assert list(out.columns) == list(contract)
    for col, dtype in contract.items():
        assert out[col].dtype == dtype, col
    assert isinstance(out.index, pd.RangeIndex)


def test_partial_payment_promise_kept_and_calls(state):
    r = state.loc["C01"]
    assert r["paid_eur"] == 400.0
    assert r["outstanding_eur"] == 600.0  # 1000 - 400; the 600 paid on 15/04 is future
    assert r["is_open"] and r["partial_payment"]
    assert r["days_past_due"] == 90  # 31 Jan + 28 Feb + 31 Mar after 31/12
    assert r["payment_terms_days"] == 30
    assert (r["stage"], r["stage_rank"]) == ("call", 2)
    assert (r["n_reminders"], r["n_call_attempts"], r["n_calls_reached"]) == (1, 2, 1)
    # promise of 400 for 20/01 made on 12/01, 400 paid on 20/01: kept
    assert (r["n_promises"], r["n_promises_kept"], r["n_promises_broken"]) == (1, 1, 0)
    assert not r["promise_pending"] and pd.isna(r["next_promise_date"])
    assert r["promised_eur_pending"] == 0.0
    assert r["last_action_date"] == pd.Timestamp("2026-01-12")  # the reached call
    assert r["days_since_last_action"] == 78.0  # 19 (Jan) + 28 + 31
    assert r["last_contact_date"] == pd.Timestamp("2026-01-20")  # the payment
    assert r["days_since_last_contact"] == 70.0
    assert r["last_payment_date"] == pd.Timestamp("2026-01-20") and r["n_payments"] == 1
    assert r["last_acknowledgement_date"] == pd.Timestamp("2026-01-20")
    assert not r["open_dispute"] and r["insolvency_status"] == "none"


def test_credit_note_broken_and_pending_promise(state):
    r = state.loc["C02"]
    assert (r["credited_eur"], r["paid_eur"], r["outstanding_eur"]) == (100.0, 0.0, 400.0)
    assert r["days_past_due"] == 45  # 14 (Feb) + 31
    assert (r["stage"], r["n_reminders"], r["n_call_attempts"]) == ("reminder", 2, 0)
    # promise for 01/03: nothing paid by 04/03 (grace) < 31/03: broken;
    # promise for 10/04 >= as_of: pending
    assert (r["n_promises"], r["n_promises_kept"], r["n_promises_broken"]) == (2, 0, 1)
    assert r["promise_pending"]
    assert r["next_promise_date"] == pd.Timestamp("2026-04-10")
    assert r["promised_eur_pending"] == 400.0
    assert r["last_action_date"] == pd.Timestamp("2026-03-05")  # the sms
    assert r["days_since_last_action"] == 26.0
    assert r["last_contact_date"] == pd.Timestamp("2026-03-25")  # the second promise
    # promises of unknown form do not interrupt prescription (art. 2240 C. civ.: the
    # acknowledgement must be provable); they are given apart
    assert pd.isna(r["last_acknowledgement_date"])
    assert r["last_promise_form_unknown_date"] == pd.Timestamp("2026-03-25")
    assert pd.isna(r["last_payment_date"]) and not r["partial_payment"]


def test_not_yet_due_and_future_insolvency(state):
    r = state.loc["C03"]
    assert r["days_past_due"] == -30  # due 30/04
    assert r["payment_terms_days"] == 60
    assert (r["stage"], r["stage_rank"], r["outstanding_eur"]) == ("none", 0, 250.0)
    assert pd.isna(r["last_action_date"]) and np.isnan(r["days_since_last_action"])
    assert pd.isna(r["last_contact_date"]) and np.isnan(r["days_since_last_contact"])
    # D2's redressement is published on 15/05, after as_of
    assert r["insolvency_status"] == "none" and pd.isna(r["insolvency_date"])
    assert r["debtor_type"] == "B2C" and r["department"] == "2A" and pd.isna(r["naf_code"])


def test_dispute_resolved_then_written_off(state):
    r = state.loc["C04"]
    assert r["written_off"] and not r["is_open"]
    assert r["outstanding_eur"] == 0.0 and r["paid_eur"] == 0.0
    assert r["days_past_due"] == 273  # 183 days from 01/07 to 31/12, then 90
    assert (r["stage"], r["stage_rank"]) == ("formal_notice", 4)
    assert r["n_formal_notices"] == 1
    assert r["formal_notice_date"] == pd.Timestamp("2025-10-01")
    assert not r["open_dispute"] and pd.isna(r["dispute_opened_date"])
    assert r["last_action_date"] == pd.Timestamp("2025-10-01")
    assert r["last_contact_date"] == pd.Timestamp("2025-09-01")  # dispute resolved
    assert pd.isna(r["last_acknowledgement_date"])


def test_static_dispute_flag_and_past_insolvency(state):
    r = state.loc["C05"]
    assert r["open_dispute"]
    assert pd.isna(r["dispute_opened_date"]) and np.isnan(r["dispute_age_days"])
    assert r["days_past_due"] == 151  # 31 (Nov) + 31 + 31 + 28 + 30 from 31/10
    assert r["insolvency_status"] == "liquidation"
    assert r["insolvency_date"] == pd.Timestamp("2026-02-01")


def test_open_dispute_judicial_and_promise_in_grace(state):
    r = state.loc["C06"]
    assert r["open_dispute"]
    assert r["dispute_opened_date"] == pd.Timestamp("2026-03-01")
    assert r["dispute_age_days"] == 30.0
    assert (r["stage"], r["stage_rank"]) == ("judicial", 5)
    assert r["judicial_filing_date"] == pd.Timestamp("2026-03-10")
    assert pd.isna(r["judgment_date"])
    assert r["last_action_date"] == pd.Timestamp("2026-03-10")
    # promised for 29/03, grace until 01/04 >= as_of: neither kept nor broken,
    # and no longer pending
    assert (r["n_promises"], r["n_promises_kept"], r["n_promises_broken"]) == (1, 0, 0)
    assert not r["promise_pending"]


def test_settled_claims(state):
    for claim, paid in [("C07", 200.0), ("C08", 300.0)]:
        r = state.loc[claim]
        assert r["paid_eur"] == paid and r["outstanding_eur"] == 0.0
        assert not r["is_open"] and not r["partial_payment"]
    assert state.loc["C07", "n_promises_kept"] == 1  # 100 paid on 11/10 for 10/10 + 3


def test_promise_due_today_is_pending(state):
    r = state.loc["C10"]
    assert r["days_past_due"] == -19
    assert r["promise_pending"] and r["next_promise_date"] == pd.Timestamp(AS_OF)
    assert r["promised_eur_pending"] == 150.0
    assert (r["n_promises_kept"], r["n_promises_broken"]) == (0, 0)
    assert pd.isna(r["creditor_id"])


def test_debtor_exposure(state):
    exposure = state[["debtor_id", "debtor_open_exposure_eur", "debtor_open_claims"]]
    by_debtor = exposure.drop_duplicates().set_index("debtor_id")
    assert by_debtor.loc["D1"].tolist() == [1000.0, 2]  # C01 600 + C02 400
    assert by_debtor.loc["D2"].tolist() == [250.0, 1]  # C03; C04 written off
    assert by_debtor.loc["D3"].tolist() == [2000.0, 2]  # C05 800 + C06 1200
    assert by_debtor.loc["D4"].tolist() == [150.0, 1]  # C10; C09 not invoiced yet
    assert len(exposure.drop_duplicates()) == 4


def test_debtor_history_by_hand():
    h = debtor_history(_portfolio(), AS_OF).set_index("debtor_id")
    assert list(h.index) == ["D1", "D2", "D3", "D4"]
    d1 = h.loc["D1"]
    # settled: C07 (2 payments, settled 21/10, 20 days late), C08 (settled
    # 26/10, 5 days early -> 0 days late); C01 settles after as_of.
    assert d1["debtor_hist_claims"] == 2
    assert d1["debtor_hist_share_late"] == 0.5
    assert d1["debtor_hist_median_days_late"] == 10.0
    assert d1["debtor_hist_mean_days_late"] == 10.0
    assert d1["debtor_hist_share_partial"] == 0.5
    assert d1["debtor_hist_promises_kept_ratio"] == 1.0  # C07's promise kept
    assert d1["debtor_hist_written_off"] == 0
    # D2: C04 written off, nothing settled; D3, D4: no history at all
    assert h.loc["D2", "debtor_hist_written_off"] == 1
    for d in ["D2", "D3", "D4"]:
        assert h.loc[d, "debtor_hist_claims"] == 0
        assert h.loc[d, ["debtor_hist_share_late", "debtor_hist_median_days_late"]].isna().all()
    # merged into the state, per debtor
    s = portfolio_state(_portfolio(), AS_OF).set_index("claim_id")
    assert s.loc["C02", "debtor_hist_median_days_late"] == 10.0
    assert np.isnan(s.loc["C10", "debtor_hist_share_late"])


def test_history_only_counts_claims_settled_by_as_of():
    # On 15/10/2025 C07 is only half paid and C08 not paid: no history yet.
    h = debtor_history(_portfolio(), "2025-10-15").set_index("debtor_id")
    assert h.loc["D1", "debtor_hist_claims"] == 0
    # On 22/10 C07 is settled (20 days late); C08 is not.
    h = debtor_history(_portfolio(), "2025-10-22").set_index("debtor_id")
    assert h.loc["D1", "debtor_hist_claims"] == 1
    assert h.loc["D1", "debtor_hist_median_days_late"] == 20.0


def _empty_events() -> pd.DataFrame:
    return _events_frame([]).iloc[0:0]


@pytest.mark.parametrize(
    "events",
    [_empty_events(), pd.DataFrame()],
    ids=["typed-empty", "no-columns"],
)
def test_portfolio_without_events(events):
    s = portfolio_state(_portfolio(events=events), AS_OF).set_index("claim_id")
    assert len(s) == 9
    counts = [c for c in s.columns if c.startswith("n_")] + ["stage_rank", "debtor_hist_claims"]
    assert (s[counts] == 0).all().all()
    assert (s["stage"] == "none").all()
    dates = [
        "next_promise_date", "last_action_date", "last_contact_date", "last_payment_date",
        "dispute_opened_date", "formal_notice_date", "judicial_filing_date", "judgment_date",
        "last_acknowledgement_date",
    ]  # fmt: skip
    assert s[dates].isna().all().all()
    assert (s["outstanding_eur"] == s["amount"]).all()
    assert s["is_open"].all() and not s["partial_payment"].any()
    assert s["open_dispute"].tolist() == [c == "C05" for c in s.index]  # static flag only
    assert s.loc["C01", "debtor_open_exposure_eur"] == 1000 + 500 + 200 + 300


def test_payments_only_ledger():
    # A small firm's ledger: payments only, no promise_date column at all.
    events = _events()
    events = events[events["type"] == "payment"].drop(columns=["promise_date"])
    s = portfolio_state(_portfolio(events=events), AS_OF).set_index("claim_id")
    assert s.loc["C01", "outstanding_eur"] == 600.0
    assert (s["n_promises"] == 0).all() and (s["stage"] == "none").all()
    assert s.loc["C01", "last_contact_date"] == pd.Timestamp("2026-01-20")


def test_stages_and_open_claims(state):
    assert STAGES[0] == "none" and STAGES[-1] == "enforcement" and len(STAGES) == 8
    assert (state["stage_rank"] == [STAGES.index(s) for s in state["stage"]]).all()
    opened = open_claims(state.reset_index())
    assert opened["claim_id"].tolist() == ["C01", "C02", "C03", "C05", "C06", "C10"]


def test_input_row_order_does_not_matter():
    p = _portfolio()
    shuffled = Portfolio(
        debtors=p.debtors.sample(frac=1, random_state=1),
        claims=p.claims.sample(frac=1, random_state=2),
        events=p.events.sample(frac=1, random_state=3),
    )
    assert_frame_equal(portfolio_state(shuffled, AS_OF), portfolio_state(p, AS_OF))


# --- Leakage: nothing dated after as_of may change the state -------------


def _with_future(p: Portfolio, future_events: pd.DataFrame) -> Portfolio:
    later_claims = pd.DataFrame(
        {
            "claim_id": pd.Series(["C11", "C12"], dtype="str"),
            "debtor_id": pd.Series(["D1", "D4"], dtype="str"),
            "invoice_date": _dt(["2026-04-01", "2026-09-01"]),
            "due_date": _dt(["2026-05-01", "2026-10-01"]),
            "amount": [5000.0, 70.0],
            "currency": pd.Series(["EUR", "EUR"], dtype="str"),
            "disputed": [True, False],
            "creditor_id": pd.Series(["K1", "K1"], dtype="str"),
        }
    )
    debtors = p.debtors.copy()
    # D1 and D4 go into proceedings after as_of; D2's moves further out.
    debtors["insolvency_status"] = pd.Series(
        ["liquidation", "redressement", "liquidation", "sauvegarde"], dtype="str"
    )
    debtors["insolvency_date"] = _dt(["2026-04-01", "2027-01-01", "2026-02-01", "2026-04-02"])
    return Portfolio(
        debtors=debtors,
        claims=pd.concat([p.claims, later_claims], ignore_index=True),
        events=pd.concat([p.events, future_events], ignore_index=True),
    )


def test_future_events_claims_and_insolvencies_change_nothing():
    p = _portfolio()
    n = np.nan
    future = _events_frame(
        [
            ("C01", "2026-04-01", "payment", 600.0, None),  # settles C01
            ("C02", "2026-04-01", "write_off", n, None),
            ("C03", "2026-04-01", "dispute_opened", n, None),
            ("C05", "2026-04-01", "dispute_resolved", n, None),
            ("C06", "2026-04-01", "payment", 1200.0, None),  # would keep the promise late
            ("C06", "2026-04-02", "judgment", n, None),
            ("C10", "2026-04-01", "promise_to_pay", 150.0, "2026-04-05"),
            ("C10", "2026-05-01", "credit_note", 150.0, None),
            ("C11", "2026-04-02", "formal_notice", n, None),
            ("C09", "2026-06-01", "payment", 900.0, None),
        ]
    )
    for when in [AS_OF, "2026-03-15", "2025-12-31"]:
        base = portfolio_state(p, when)
        known = _events()["date"] <= pd.Timestamp(when)
        cut, later = _events()[known], pd.concat([_events()[~known], future])
        grown = _with_future(Portfolio(p.debtors, p.claims, cut), later)
        assert_frame_equal(portfolio_state(grown, when), base)
        for days in (None, 30, 365):
            assert_frame_equal(
                debtor_history(grown, when, history_days=days),
                debtor_history(p, when, history_days=days),
            )


_CLAIMS = [f"C{i:02d}" for i in range(1, 13)]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_CLAIMS),
            st.integers(1, 400),
            st.sampled_from(EVENT_TYPES),
            st.floats(0.0, 3000.0, allow_nan=False),
            st.integers(-30, 60),
        ),
        max_size=25,
    )
)
def test_arbitrary_future_events_change_nothing(rows):
    p = _portfolio()
    as_of = pd.Timestamp(AS_OF)
    future = _events_frame(
        [
            (c, as_of + pd.Timedelta(days=d), t, a, as_of + pd.Timedelta(days=d + pd_off))
            for c, d, t, a, pd_off in rows
        ]
    )
    assert_frame_equal(portfolio_state(_with_future(p, future), AS_OF), portfolio_state(p, AS_OF))


# --- Random portfolios: many dates at once, and a plain reference ---------


def _random_portfolio(seed: int, n_claims: int = 60, n_events: int = 500) -> Portfolio:
    rng = np.random.default_rng(seed)
    debtors = pd.DataFrame(
        {
            "debtor_id": pd.Series([f"D{i}" for i in range(12)], dtype="str"),
            "debtor_type": pd.Series(rng.choice(["B2B", "B2C"], 12), dtype="str"),
            "insolvency_status": pd.Series(rng.choice(["none", "liquidation"], 12), dtype="str"),
            "insolvency_date": _dt(
                pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 500, 12), "D")
            ),
        }
    )
    inv = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 400, n_claims), "D")
    claims = pd.DataFrame(
        {
            "claim_id": pd.Series([f"K{i:03d}" for i in range(n_claims)], dtype="str"),
            "debtor_id": pd.Series(rng.choice(debtors["debtor_id"], n_claims), dtype="str"),
            "invoice_date": _dt(inv),
            "due_date": _dt(inv + pd.to_timedelta(rng.choice([0, 30, 60], n_claims), "D")),
            "amount": rng.choice([100.0, 250.0, 1000.0], n_claims),
            "disputed": rng.random(n_claims) < 0.1,
        }
    )
    ci = rng.integers(0, n_claims, n_events)
    types = rng.choice(np.array(EVENT_TYPES), n_events)
    date = claims["invoice_date"].to_numpy()[ci] + rng.integers(0, 300, n_events).astype(
        "timedelta64[D]"
    )
    amount = np.where(
        np.isin(types, ["payment", "credit_note", "promise_to_pay"]),
        rng.choice([50.0, 100.0, 250.0], n_events),
        np.nan,
    )
    promise = np.where(
        types == "promise_to_pay",
        date + rng.integers(0, 20, n_events).astype("timedelta64[D]"),
        np.datetime64("NaT"),
    )
    events = _events_frame(
        list(zip(claims["claim_id"].to_numpy()[ci], date, types, amount, promise, strict=True))
    )
    return Portfolio(debtors, claims, events)


DATES = ["2025-03-01", "2025-06-15", "2025-06-16", "2025-11-30", "2026-06-30"]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_many_dates_equal_one_date_at_a_time(seed):
    p = _random_portfolio(seed)
    many = portfolio_states(p, [*reversed(DATES), DATES[0]])
    one_by_one = pd.concat([portfolio_state(p, d) for d in DATES], ignore_index=True)
    assert_frame_equal(many, one_by_one)
    opened = portfolio_states(p, DATES, only_open=True)
    assert_frame_equal(opened, one_by_one[one_by_one["is_open"]].reset_index(drop=True))
    some = portfolio_states(p, DATES, columns=["outstanding_eur", "debtor_hist_claims"])
    assert_frame_equal(
        some, one_by_one[["claim_id", "as_of", "outstanding_eur", "debtor_hist_claims"]]
    )
    none = portfolio_states(p, [])
    assert len(none) == 0 and list(none.columns) == list(one_by_one.columns)


def _reference(p: Portfolio, as_of: str) -> pd.DataFrame:
    """A plain, slow re-statement of some contract rules, claim by claim."""
    t = pd.Timestamp(as_of)
    ev = p.events[p.events["date"] <= t]
    rows = []
    for claim in p.claims[p.claims["invoice_date"] <= t].itertuples():
        e = ev[ev["claim_id"] == claim.claim_id]
        pays = e[e["type"] == "payment"]
        money = e[e["type"].isin(["payment", "credit_note"])]
        kept = broken = 0
        for pr in e[e["type"] == "promise_to_pay"].itertuples():
            end = min(pr.promise_date + pd.Timedelta(days=3), t)
            window = pays[(pays["date"] >= pr.date) & (pays["date"] <= end)]["amount"].sum()
            covered = money[money["date"] <= end]["amount"].sum() >= claim.amount - 0.01
            k = pr.promise_date <= t and (window >= pr.amount - 1 or covered)
            kept += k
            broken += (pr.promise_date + pd.Timedelta(days=3) < t) and not k
        stages = {"reminder_letter": 1, "reminder_email": 1, "sms": 1, "call_attempt": 2}
        stages |= {"call_reached": 2, "visit": 3, "formal_notice": 4}
        stages |= dict.fromkeys(COURT_EVENT_TYPES, 5)  # any court step is the judicial stage
        stages |= {"judgment": 6, "enforcement": 7}
        opened = e[e["type"] == "dispute_opened"]["date"].max()
        resolved = e[e["type"] == "dispute_resolved"]["date"].max()
        rows.append(
            {
                "claim_id": claim.claim_id,
                "paid_eur": float(pays["amount"].sum()),
                "credited_eur": float(e[e["type"] == "credit_note"]["amount"].sum()),
                "stage_rank": max([stages.get(x, 0) for x in e["type"]], default=0),
                "n_calls_reached": int((e["type"] == "call_reached").sum()),
                "n_promises_kept": kept,
                "n_promises_broken": broken,
                "open_dispute": bool(
                    claim.disputed
                    or (pd.notna(opened) and (pd.isna(resolved) or opened > resolved))
                ),
                "last_payment_date": pays["date"].max(),
            }
        )
    return pd.DataFrame(rows)


@pytest.mark.parametrize("seed", [3, 4])
def test_matches_plain_reference(seed):
    p = _random_portfolio(seed)
    for as_of in ["2025-06-15", "2026-01-31"]:
        ref = _reference(p, as_of)
        got = portfolio_state(p, as_of)[ref.columns]
        assert_frame_equal(got, ref, check_dtype=False)
        assert (got["n_promises_kept"] + got["n_promises_broken"]).sum() > 0


# --- Debtor history look-back and open-only states -------------------------


def test_history_look_back_by_hand():
    # As of 31/03/2026 D1's settled claims are C07 (21/10/2025, 161 days before,
    # 20 days late, 2 payments, its promise kept) and C08 (26/10/2025, early).
    # A look-back of N days covers [as_of - (N - 1), as_of].
    h = debtor_history(_portfolio(), AS_OF, history_days=162).set_index("debtor_id")
    assert h.loc["D1", "debtor_hist_claims"] == 2  # 21/10 is day 1 of the window
    h = debtor_history(_portfolio(), AS_OF, history_days=161).set_index("debtor_id")
    d1 = h.loc["D1"]
    assert d1["debtor_hist_claims"] == 1  # C07 dropped, C08 left
    assert d1["debtor_hist_share_late"] == 0.0
    assert d1["debtor_hist_median_days_late"] == 0.0
    assert d1["debtor_hist_share_partial"] == 0.0
    assert np.isnan(d1["debtor_hist_promises_kept_ratio"])  # C08 had no promise
    # D2's C04 was written off on 15/02/2026, 44 days before as_of
    assert debtor_history(_portfolio(), AS_OF, history_days=45).loc[1, "debtor_hist_written_off"]
    h = debtor_history(_portfolio(), AS_OF, history_days=44).set_index("debtor_id")
    assert h.loc["D2", "debtor_hist_written_off"] == 0
    # the default is one year; None is the whole history (here the same: 2 claims)
    everything = debtor_history(_portfolio(), AS_OF, history_days=None)
    assert_frame_equal(debtor_history(_portfolio(), AS_OF), everything)
    # on 31/12/2026 the year holds C01 (settled 15/04/2026), not C07 and C08 (2025)
    later = debtor_history(_portfolio(), "2026-12-31").set_index("debtor_id")
    assert later.loc["D1", "debtor_hist_claims"] == 1
    assert later.loc["D1", "debtor_hist_median_days_late"] == 105.0  # due 31/12/2025
    whole = debtor_history(_portfolio(), "2026-12-31", history_days=None)
    assert whole.set_index("debtor_id").loc["D1", "debtor_hist_claims"] == 3
    state = portfolio_state(_portfolio(), AS_OF, history_days=161).set_index("claim_id")
    assert state.loc["C02", "debtor_hist_claims"] == 1
    assert state.attrs["history_days"] == 161


@pytest.mark.parametrize("bad", [0, -5, 1.5, True])
def test_history_days_must_be_a_positive_number_of_days(bad):
    with pytest.raises(ValueError, match="history_days"):
        portfolio_state(_portfolio(), AS_OF, history_days=bad)


@pytest.mark.parametrize("history_days", [None, 30, 365])
def test_look_back_keeps_many_dates_and_open_only_equal(history_days):
    p = _random_portfolio(5)
    many = portfolio_states(p, DATES, history_days=history_days)
    one_by_one = pd.concat(
        [portfolio_state(p, d, history_days=history_days) for d in DATES], ignore_index=True
    )
    assert_frame_equal(many, one_by_one)
    assert many["debtor_hist_claims"].sum() > 0
    opened = portfolio_states(p, DATES, only_open=True, history_days=history_days)
    assert_frame_equal(opened, one_by_one[one_by_one["is_open"]].reset_index(drop=True))
    for d in DATES:
        assert_frame_equal(
            portfolio_state(p, d, only_open=True, history_days=history_days),
            open_claims(portfolio_state(p, d, history_days=history_days)),
        )


def test_only_open_state_by_hand():
    s = portfolio_state(_portfolio(), AS_OF, only_open=True)
    assert s["claim_id"].tolist() == ["C01", "C02", "C03", "C05", "C06", "C10"]
    # exposure and history still read the closed claims (C07, C08 settled; C04 written off)
    d1 = s[s["debtor_id"] == "D1"].iloc[0]
    assert (d1["debtor_open_exposure_eur"], d1["debtor_hist_claims"]) == (1000.0, 2)
    assert s.loc[s["debtor_id"] == "D2", "debtor_hist_written_off"].tolist() == [1]
