"""The value of a call (hand-worked euros) and the uplift of a reached call from the history."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from recovery_analytics.portfolio import Portfolio
from recovery_analytics.queue import call_value, estimate_call_uplift

AS_OF = "2026-06-30"


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
