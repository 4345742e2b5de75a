"""The incremental euros of a call: the demo world's truth, the learner, the fallback, the OPE."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from recovery_analytics.demo import demo_world, generate_demo, simulate_calls, true_call_effects
from recovery_analytics.portfolio import Portfolio
from recovery_analytics.queue import (
    CallEffects,
    build_call_queue,
    call_value_notes,
    estimate_call_effects,
    evaluate_call_policies,
    learned_vs_largest_first,
    qini_curve,
    queue_headline,
)
from recovery_analytics.queue._debtors import _channels
from recovery_analytics.queue.plots import plot_qini


@pytest.fixture(scope="module")
def world():
    return demo_world(2000, seed=0)  # the committed sample's world (data/sample)


@pytest.fixture(scope="module")
def effects(world):
    return estimate_call_effects(world.portfolio, world.as_of)


def test_world_tables_are_generate_demo_tables():
    w = demo_world(120, seed=4)
    p = generate_demo(120, seed=4)
    pd.testing.assert_frame_equal(w.portfolio.events, p.events)
    pd.testing.assert_frame_equal(w.portfolio.claims, p.claims)


def test_simulator_common_random_numbers_make_effects_additive(world):
    ids = world.debtors["debtor_id"].tolist()
    a, b = ids[:30], ids[30:70]
    ra, rb = simulate_calls(world, a), simulate_calls(world, b)
    rab = simulate_calls(world, a + b)
    assert simulate_calls(world, [])["incremental_eur"] == 0.0
    assert rab["incremental_eur"] == pytest.approx(ra["incremental_eur"] + rb["incremental_eur"])
    assert ra["baseline_eur"] == rb["baseline_eur"]  # the same draws for every list
    assert simulate_calls(world, a) == ra  # deterministic


def test_responder_types_respond_as_designed(world):
    t = true_call_effects(world)
    owed = world.claims.groupby("debtor_id")["outstanding_eur"].sum()
    share = t["incremental_eur"] / owed.reindex(t["debtor_id"]).to_numpy()
    by = share.groupby(t["responder"]).mean()  # euros a call adds per euro owed
    assert by["lost_cause"] < 0.5 * by["persuadable"]  # a call does (almost) nothing
    assert by["sure_thing"] < by["persuadable"]  # they pay anyway
    assert (t["incremental_eur"] >= 0).all()


def test_learned_effects_rank_debtors_like_the_truth(world, effects):
    assert effects.method == "x_learner" and effects.fallback_reason is None
    d = effects.diagnostics
    assert d["called_cases"] >= 100 and 0 < d["ate_share_low"] < d["ate_share_high"]
    est = effects.claims.groupby("debtor_id")["effect_eur"].sum()
    truth = true_call_effects(world).set_index("debtor_id")["incremental_eur"]
    rho = est.corr(truth.reindex(est.index), method="spearman")
    assert rho > 0.3
    assert effects.claims["propensity"].between(0, 1).all()


def test_queue_reaches_most_of_the_oracle(world, effects):
    cq = build_call_queue(
        world.portfolio, None, world.as_of, collectors=3, calls_per_collector=20,
        effects=effects, reasons=False, check_effects=False,
    )  # fmt: skip
    assert cq.parameters["call_value_method"] == "x_learner"
    deb = cq.debtors
    eligible = deb["collector"].notna() | deb["reason"].isin(["below_capacity", "not_worth_a_call"])
    elig = deb[eligible.to_numpy()]
    truth = true_call_effects(world).set_index("debtor_id")["incremental_eur"]
    oracle = truth.reindex(elig["debtor_id"]).fillna(0).nlargest(len(cq.queue)).index
    got = simulate_calls(world, cq.queue["debtor_id"])["incremental_eur"]
    assert got >= 0.7 * simulate_calls(world, oracle)["incremental_eur"]


def test_off_policy_estimate_covers_the_simulator_truth(world, effects):
    weekly, totals = evaluate_call_policies(effects, 20)
    q = totals.set_index("policy").loc["queue"]
    assert q["weeks"] >= 40 and q["dr_low"] < q["dr_eur"] < q["dr_high"]
    top = effects.claims.groupby("debtor_id")["effect_eur"].sum().nlargest(20).index
    truth = simulate_calls(world, top)["incremental_eur"]
    assert q["dr_low"] <= truth <= q["dr_high"]
    assert set(weekly["policy"]) == {"queue", "largest_first", "oldest_first", "random"}


def test_learned_effects_are_used_only_where_the_history_shows_they_beat_largest_first(
    world, effects
):
    cq = build_call_queue(
        world.portfolio, None, world.as_of, collectors=3, calls_per_collector=20,
        effects=effects, reasons=False,
    )  # fmt: skip
    check = cq.parameters["call_value_check"]
    assert check == learned_vs_largest_first(effects, 60) and check["weeks"] >= 40
    assert check["dr_diff_low"] < check["dr_diff_eur"] < check["dr_diff_high"]
    # the paired difference is the difference of the two lists' weekly DR estimates
    weekly, _ = evaluate_call_policies(effects, 60)
    w = weekly.pivot(index="day", columns="policy", values="dr_eur")
    assert check["dr_diff_eur"] == pytest.approx((w["queue"] - w["largest_first"]).mean())
    if check["beats"]:
        assert cq.parameters["call_value_method"] == "x_learner"
    else:  # the lift values the calls, and the report says why, in French too
        assert cq.parameters["call_value_method"] == "age_bucket_lift"
        why = cq.parameters["call_value_fallback"]
        assert why.startswith("learned effects do not beat largest first on the history")
        assert f"over {check['weeks']} weeks at 60 calls" in why
        assert "plus gros d'abord" in call_value_notes(cq, "fr")["call"]
        lift = build_call_queue(
            world.portfolio, None, world.as_of, collectors=3, calls_per_collector=20,
            effects=False, reasons=False,
        )  # fmt: skip
        assert cq.queue["debtor_id"].tolist() == lift.queue["debtor_id"].tolist()


def test_payments_only_ledger_falls_back_and_says_so():
    p = generate_demo(300, seed=5)
    ev = p.events[~p.events["type"].isin(["call_attempt", "call_reached"]).to_numpy()]
    ledger = Portfolio(p.debtors, p.claims, ev.reset_index(drop=True), counts=p.counts)
    fx = estimate_call_effects(ledger, "2026-06-30")
    assert fx.method == "age_bucket_lift" and fx.fallback_reason == "no calls logged in the history"
    cq = build_call_queue(ledger, None, "2026-06-30", collectors=2, calls_per_collector=5)
    assert len(cq.queue) > 0
    head = queue_headline(cq)
    assert head["call_value_method"] == "age_bucket_lift"
    assert head["call_value_fallback"] == "no calls logged in the history"
    assert evaluate_call_policies(fx, 5)[1].empty
    assert np.isfinite(cq.queue["value_per_minute"]).all()


def test_qini_curve_starts_at_zero_and_ends_at_the_total(effects):
    curve = qini_curve(effects)
    assert curve.iloc[0][["queue_eur", "largest_first_eur", "random_eur"]].eq(0).all()
    end = curve.iloc[-1]
    assert end["queue_eur"] == pytest.approx(end["random_eur"])
    assert end["largest_first_eur"] == pytest.approx(end["random_eur"])
    # the learned order puts the cases a call moves first: above random on the first half
    half = curve[curve["share_targeted"] <= 0.5]
    assert (half["queue_eur"] >= half["random_eur"]).mean() > 0.8
    ax = plot_qini(curve)
    assert len(ax.get_lines()) == 3 and ax.get_xlabel().startswith("Part des cas")


def _fx(effect_eur, overlap, method="x_learner"):
    claims = pd.DataFrame({"claim_id": ["F1", "F2", "F3"], "debtor_id": ["D1", "D1", "D2"],
                           "effect_eur": effect_eur, "overlap": overlap})  # fmt: skip
    return CallEffects(claims, method, None if method == "x_learner" else "no letters logged")


def test_a_channel_is_chosen_only_where_the_history_allows_it():
    deb = pd.DataFrame({"debtor_id": ["D1", "D2"], "net_eur": [20.0, 50.0]})
    callable_ = pd.DataFrame({"claim_id": ["F1", "F2", "F3"], "debtor_id": ["D1", "D1", "D2"]})
    costs = {"letter": 1.5, "formal_notice": 8.0}
    # letters learned inside the overlap: D1 (10 + 15 - 1.50 = 23.50 > 20) gets a letter
    fx = {"letter": _fx([10.0, 15.0, 30.0], [True, True, False]),
          "formal_notice": _fx([0.0, 0.0, 0.0], [True, True, True], "age_bucket_lift")}  # fmt: skip
    out, notes = _channels(deb, callable_, fx, costs)
    assert out["best_channel"].tolist() == ["letter", "call"]
    assert out["letter_eur"].tolist() == [25.0, 30.0]
    assert notes == {"letter": "learned", "formal_notice": "not estimable: no letters logged"}
    # most of today's claims outside the overlap: not used, and said
    fx["letter"] = _fx([10.0, 15.0, 30.0], [False, False, True])
    out, notes = _channels(deb, callable_, fx, costs)
    assert out["best_channel"].tolist() == ["call", "call"] and out["letter_eur"].isna().all()
    assert notes["letter"].startswith("not estimable: 67% of today's claims outside")


def test_letters_at_fixed_ages_are_not_estimable_on_the_demo(world):
    fx = estimate_call_effects(world.portfolio, world.as_of, channel="letter")
    assert fx.diagnostics["channel"] == "letter" and fx.method == "x_learner"
    callable_ = fx.claims[["claim_id", "debtor_id"]]
    deb = pd.DataFrame({"debtor_id": sorted(set(callable_["debtor_id"])), "net_eur": 1.0})
    _, notes = _channels(deb, callable_, {"letter": fx}, {"letter": 1.5})
    assert notes["letter"].startswith("not estimable")  # the demo's letters follow a calendar
