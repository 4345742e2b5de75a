"""Acceptance of the call queue against the demo world's truth (issue 11).

For the committed sample's world (``demo_world(2000, seed=0)``, the tables of
``data/sample``) and two other seeds, at 3 collectors x 20 and x 40 calls, the
incremental euros in the 30 days after as_of (from :func:`simulate_calls`, common
random numbers) of:

- ``queue``: :func:`build_call_queue` as shipped (no amicable model: the
  judicial prior gives p_amicable; the effects do not read it): learned call
  effects when they beat largest-first on the history (``check_effects``),
  else the age-bucket lift;
- ``queue_learned``: the same queue always valued by the learned effects
  (``check_effects=False``);
- ``queue_lift``: the same queue valued by the age-bucket lift (today's method);
- ``largest_first``: the eligible debtors (every exclusion rule of the queue
  applied, before the capacity cut) with the largest callable outstanding;
- ``random``: eligible debtors drawn at random (mean of 20 draws);
- ``oracle``: the eligible debtors with the largest true expected incremental euros.

Run: ``.venv/bin/python benchmarks/call_queue_acceptance.py`` (one thread; about
a minute). Writes ``benchmarks/results/call_queue_acceptance.json``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import pandas as pd

from recovery_analytics.demo import demo_world, simulate_calls, true_call_effects
from recovery_analytics.queue import build_call_queue, estimate_call_effects

SEEDS = (0, 1, 2)
CAPACITIES = (20, 40)
_CAPACITY_REASONS = ("below_capacity", "segment_cap", "no_matching_collector", "not_worth_a_call")


def run_seed(seed: int, n_debtors: int = 2000) -> list[dict]:
    world = demo_world(n_debtors, seed=seed)
    truth = true_call_effects(world).set_index("debtor_id")
    t0 = time.perf_counter()
    fx = estimate_call_effects(world.portfolio, world.as_of)
    learn_s = time.perf_counter() - t0
    rows = []
    for calls in CAPACITIES:
        k = 3 * calls
        cq = build_call_queue(
            world.portfolio, None, world.as_of, collectors=3, calls_per_collector=calls,
            effects=fx, reasons=False,
        )  # fmt: skip
        learned = build_call_queue(
            world.portfolio, None, world.as_of, collectors=3, calls_per_collector=calls,
            effects=fx, reasons=False, check_effects=False,
        )  # fmt: skip
        lift = build_call_queue(
            world.portfolio, None, world.as_of, collectors=3, calls_per_collector=calls,
            effects=False, reasons=False,
        )  # fmt: skip
        deb = cq.debtors
        cap = deb["reason"].astype("str").isin(_CAPACITY_REASONS) | deb["collector"].notna()
        eligible = deb[cap.to_numpy()]
        elig = eligible.set_index("debtor_id")
        true_inc = truth["incremental_eur"].reindex(elig.index).fillna(0.0)
        lists = {
            "queue": cq.queue["debtor_id"],
            "queue_learned": learned.queue["debtor_id"],
            "queue_lift": lift.queue["debtor_id"],
            "largest_first": elig["callable_outstanding_eur"]
            .sort_values(ascending=False, kind="stable")
            .index[:k],
            "oracle": true_inc.sort_values(ascending=False, kind="stable").index[:k],
        }
        res = {name: simulate_calls(world, ids)["incremental_eur"] for name, ids in lists.items()}
        rng = np.random.default_rng(seed)
        res["random"] = float(
            np.mean(
                [
                    simulate_calls(world, rng.choice(elig.index, min(k, len(elig)), False))[
                        "incremental_eur"
                    ]
                    for _ in range(20)
                ]
            )
        )
        rows.append(
            {
                "seed": seed,
                "collectors": 3,
                "calls_per_collector": calls,
                "eligible_debtors": len(elig),
                "queue_calls": len(cq.queue),
                "method": cq.parameters["call_value_method"],
                "check": cq.parameters["call_value_check"],
                **{f"{n}_eur": round(v, 2) for n, v in res.items()},
                "queue_vs_largest_first": round(res["queue"] / res["largest_first"], 3),
                "queue_vs_oracle": round(res["queue"] / res["oracle"], 3),
                "lift_queue_vs_largest_first": round(res["queue_lift"] / res["largest_first"], 3),
                "learned_vs_largest_first": round(res["queue_learned"] / res["largest_first"], 3),
                "learn_seconds": round(learn_s, 2),
            }
        )
    return rows


def main(out: Path = Path(__file__).parent / "results" / "call_queue_acceptance.json") -> None:
    rows = [r for s in SEEDS for r in run_seed(s)]
    table = pd.DataFrame(rows)
    cols = [
        "seed", "calls_per_collector", "queue_eur", "largest_first_eur", "oracle_eur",
        "random_eur", "queue_lift_eur", "queue_learned_eur", "method", "queue_vs_largest_first",
        "queue_vs_oracle", "lift_queue_vs_largest_first", "learned_vs_largest_first",
    ]  # fmt: skip
    print(table[cols].to_string(index=False))
    payload = {
        "what": "incremental euros in 30 days (demo world truth, common random numbers)",
        "targets": {"queue_vs_largest_first": 1.5, "queue_vs_oracle": 0.7},
        "rows": rows,
    }
    out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(*(Path(a) for a in sys.argv[1:]))
