"""Why the oracle is barely above largest-first in the demo world (issue 11 diagnostic).

For ``demo_world(2000, seed)``: the eligible debtors of the queue (every exclusion
rule, before the capacity cut), the debtors picked by largest-first and by the
oracle at 3 x 20 calls, and what they are: outstanding, responder type, segment,
reach, true increment, increment per euro owed. Also how a persuadable's true
increment scales with its balance. One thread, ~20 s a seed.

Run: ``.venv/bin/python benchmarks/call_queue_world_diagnostic.py [seed ...]``.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import pandas as pd

from recovery_analytics.demo import demo_world, true_call_effects
from recovery_analytics.queue import build_call_queue

_CAPACITY_REASONS = ("below_capacity", "segment_cap", "no_matching_collector", "not_worth_a_call")


def diagnose(seed: int, calls: int = 20) -> None:
    world = demo_world(2000, seed=seed)
    truth = true_call_effects(world).set_index("debtor_id")
    cq = build_call_queue(
        world.portfolio,
        None,
        world.as_of,
        collectors=3,
        calls_per_collector=calls,
        effects=False,
        reasons=False,
    )
    deb = cq.debtors
    cap = deb["reason"].astype("str").isin(_CAPACITY_REASONS) | deb["collector"].notna()
    el = deb[cap.to_numpy()].set_index("debtor_id")
    seg = world.portfolio.debtors.set_index("debtor_id")["segment"].astype("str")
    t = truth.reindex(el.index)
    f = pd.DataFrame(
        {
            "out": el["callable_outstanding_eur"],
            "inc": t["incremental_eur"].fillna(0.0),
            "base": t["baseline_eur"].fillna(0.0),
            "reach": t["reach"],
            "type": t["responder"].fillna("?"),
            "segment": seg.reindex(el.index),
        }
    )
    f["inc_per_eur"] = f["inc"] / f["out"].clip(lower=1)
    k = 3 * calls
    lf = f.sort_values("out", ascending=False, kind="stable").index[:k]
    orc = f.sort_values("inc", ascending=False, kind="stable").index[:k]
    print(f"\n=== seed {seed}: {len(f)} eligible, {k} calls ===")
    print(
        f"corr(out, inc) = {np.corrcoef(f['out'], f['inc'])[0, 1]:.2f}; "
        f"spearman = {f['out'].rank().corr(f['inc'].rank()):.2f}"
    )
    print(
        f"largest-first {f.loc[lf, 'inc'].sum():,.0f}  oracle {f.loc[orc, 'inc'].sum():,.0f}  "
        f"ratio {f.loc[orc, 'inc'].sum() / f.loc[lf, 'inc'].sum():.2f}  "
        f"overlap {len(lf.intersection(orc))}"
    )
    for name, ids in (("all eligible", f.index), ("largest-first", lf), ("oracle", orc)):
        g = f.loc[ids]
        print(
            f"-- {name}: median out {g['out'].median():,.0f}, mean inc {g['inc'].mean():,.0f}, "
            f"mean reach {g['reach'].mean():.2f}, inc/out {g['inc'].sum() / g['out'].sum():.3f}"
        )
        print("   types:", g["type"].value_counts().to_dict())
        print("   segments:", g["segment"].value_counts().to_dict())
    print("-- by type (eligible): n, median out, mean inc, inc per euro owed, reach")
    print(
        f.groupby("type")
        .agg(
            n=("out", "size"),
            out=("out", "median"),
            inc=("inc", "mean"),
            inc_per_eur=("inc_per_eur", "median"),
            reach=("reach", "mean"),
            base_share=("base", "sum"),
        )
        .round(3)
        .to_string()
    )
    print("-- by segment (eligible):")
    print(
        f.groupby("segment")
        .agg(
            n=("out", "size"),
            out=("out", "median"),
            inc=("inc", "mean"),
            inc_per_eur=("inc_per_eur", "median"),
        )
        .round(3)
        .to_string()
    )
    p = f[f["type"] == "persuadable"]
    if len(p) > 5:
        q = pd.qcut(p["out"], 4, duplicates="drop")
        print("-- persuadables by balance quartile: mean out, mean inc, inc/out")
        print(
            p.groupby(q, observed=True)
            .agg(out=("out", "mean"), inc=("inc", "mean"), n=("out", "size"))
            .assign(ratio=lambda x: x["inc"] / x["out"])
            .round(3)
            .to_string()
        )
    # ceilings: the oracle / largest-first ratio if only some types responded at all
    for label, keep in (
        ("persuadables only", ["persuadable"]),
        ("persuadables + ordinary", ["persuadable", "ordinary"]),
    ):
        inc = f["inc"].where(f["type"].isin(keep), 0.0)
        ratios = []
        for kk in (60, 120):
            top = f["out"].sort_values(ascending=False, kind="stable").index[:kk]
            ratios.append(inc.sort_values(ascending=False).iloc[:kk].sum() / inc[top].sum())
        print(
            f"-- ceiling if {label} responded: oracle / largest-first "
            f"{ratios[0]:.2f} (60 calls), {ratios[1]:.2f} (120 calls)"
        )
    print("-- eligible by balance quintile: types")
    q = pd.qcut(f["out"], 5, labels=False, duplicates="drop")
    print(pd.crosstab(q, f["type"]).to_string())


if __name__ == "__main__":
    for s in [int(a) for a in sys.argv[1:]] or [0]:
        diagnose(s)
