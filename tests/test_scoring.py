"""The score table: DESIGN.md columns, one row per open claim, judicial columns joined."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from recovery_analytics.amicable import train_model
from recovery_analytics.demo import generate_demo
from recovery_analytics.judicial import SCORE_TABLE_COLUMNS, judicial_assessment, score_claims
from recovery_analytics.state import portfolio_state

AS_OF = pd.Timestamp("2026-06-30")

#: The score table of DESIGN.md ("Outputs"), spelled out: the contract users rely on.
DESIGN_COLUMNS = [
    *("claim_id", "debtor_id", "as_of", "outstanding_eur", "days_past_due", "stage"),
    *("p_amicable", "expected_recovery_eur", "recommended_route", "judicial_route"),
    *("judicial_cost_eur", "judicial_expected_net_eur", "amicable_expected_net_eur"),
    *("legal_flags", "reason_1", "reason_2", "reason_3"),
]


def test_score_table_columns_are_those_of_the_design() -> None:
    assert list(SCORE_TABLE_COLUMNS) == DESIGN_COLUMNS


@pytest.fixture(scope="module")
def portfolio():
    return generate_demo(200, seed=3)


@pytest.fixture(scope="module")
def model(portfolio):
    model, _ = train_model(portfolio, n_estimators=40, num_threads=1, refit=False)
    return model


def test_one_row_per_open_claim_with_design_columns(portfolio, model) -> None:
    table = score_claims(portfolio, AS_OF, model, with_reasons=10)
    state = portfolio_state(portfolio, AS_OF)
    assert tuple(table.columns[: len(SCORE_TABLE_COLUMNS)]) == SCORE_TABLE_COLUMNS
    assert sorted(table["claim_id"]) == sorted(state.loc[state["is_open"], "claim_id"])
    assert table["claim_id"].is_unique
    assert table["p_amicable"].between(0, 1).all()
    assert (table["expected_recovery_eur"] <= table["outstanding_eur"] + 0.01).all()
    assert table["reason_1"].notna().sum() == 10
    assert table["recommended_route"].notna().all()


def test_judicial_columns_are_those_of_the_assessment(portfolio, model) -> None:
    table = score_claims(portfolio, AS_OF, model, with_reasons=0)
    state = portfolio_state(portfolio, AS_OF)
    state = state[state["is_open"]].merge(
        table[["claim_id", "p_amicable", "expected_recovery_eur"]], on="claim_id"
    )
    direct = judicial_assessment(state, as_of=AS_OF).set_index("claim_id")
    joined = table.set_index("claim_id")
    # p_amicable is rounded to 4 decimals in the table, the assessment used the full value
    np.testing.assert_allclose(
        joined["judicial_cost_eur"].fillna(-1),
        direct.loc[joined.index, "judicial_cost_eur"].round(2).fillna(-1),
        atol=0.011,
    )
    assert (joined["recommended_route"] == direct.loc[joined.index, "recommended_route"]).all()


def test_without_a_model_the_prior_is_used_and_probabilities_are_empty(portfolio) -> None:
    table = score_claims(portfolio, AS_OF)
    assert table["p_amicable"].isna().all()
    assert table["judicial_cost_eur"].notna().any()


def test_all_routes_adds_every_route(portfolio) -> None:
    table = score_claims(portfolio, AS_OF, all_routes=True)
    assert {"net_injonction_de_payer_eur", "cost_action_au_fond_eur"} <= set(table.columns)


def test_row_order_of_the_input_does_not_matter(portfolio, model) -> None:
    shuffled = generate_demo(200, seed=3)
    rng = np.random.default_rng(0)
    for name in ("debtors", "claims", "events"):
        frame = getattr(shuffled, name)
        setattr(shuffled, name, frame.iloc[rng.permutation(len(frame))].reset_index(drop=True))
    a = score_claims(portfolio, AS_OF, model, with_reasons=5)
    b = score_claims(shuffled, AS_OF, model, with_reasons=5)
    pd.testing.assert_frame_equal(a, b)
