"""Benchmarks at scale: training on ~1M snapshot rows, scoring 1M open claims,
the judicial assessment and the call queue of the same portfolio.

Targets (issues 3, 4 and 5):
- scoring 1M open claims end to end (read Parquet, claim state from events,
  both models, write Parquet) within 3x the time of a bare LightGBM predict of
  the same model on the same feature matrix, measured in one run;
- training on ~1M snapshot rows within a few minutes on 2 cores;
- peak memory reported for both;
- the judicial assessment of 1M claims in seconds (pure vectorised functions);
- building the call queue of the same portfolio in seconds beyond scoring.

The 1M open claims are the open claims of a generated 1M-claim portfolio,
replicated (with their debtors and events, under new ids) until there are 1M
of them: real feature distributions, and a portfolio whose size is driven by
open claims as in an agency's book.

Run: ``make bench`` or ``python benchmarks/bench_scale.py``; writes
``benchmarks/results/scale.json``.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from _harness import machine, run_step, save_results

SETUP = """
import numpy as np, pandas as pd
from recovery_analytics.demo import generate_demo, debtors_for_claims
from recovery_analytics.state import portfolio_state
from recovery_analytics.portfolio import write_portfolio
from recovery_analytics.portfolio import Portfolio

p = generate_demo(debtors_for_claims({base_claims}), seed={seed})
state = portfolio_state(p, pd.Timestamp("{as_of}"))
open_ids = state.loc[state["is_open"], "claim_id"]
claims = p.claims[p.claims["claim_id"].isin(open_ids)]
events = p.events[p.events["claim_id"].isin(open_ids)]
debtors = p.debtors[p.debtors["debtor_id"].isin(claims["debtor_id"])]
copies = int(np.ceil({open_claims} / len(claims)))
def tag(frame, cols, k):
    frame = frame.copy()
    for c in cols:
        frame[c] = frame[c] + f"-{{k}}"
    return frame
def replicate(frame, cols):
    return pd.concat([tag(frame, cols, k) for k in range(copies)], ignore_index=True)
big = Portfolio(
    debtors=replicate(debtors, ["debtor_id"]),
    claims=replicate(claims, ["claim_id", "debtor_id"]),
    events=replicate(events, ["claim_id"]),
    extra_features=p.extra_features,
)
write_portfolio(big, r"{work}/big", fmt="parquet")
result.update(open_claims=len(big.claims), events=len(big.events), debtors=len(big.debtors))
"""

TRAIN = """
import time
from recovery_analytics.amicable import AmicableModel
from recovery_analytics.demo import generate_demo, debtors_for_claims
from recovery_analytics.amicable import save_model
from recovery_analytics.amicable import training_snapshots

p = generate_demo(debtors_for_claims({train_claims}), seed={seed})
t0 = time.perf_counter()
snaps = training_snapshots(p, horizon_days=90, every_days=14)
t1 = time.perf_counter()
model = AmicableModel(num_threads={threads}, extra_numeric=p.extra_features.get("numeric", ()),
                      extra_categorical=p.extra_features.get("categorical", ())).fit(snaps)
t2 = time.perf_counter()
save_model(model, r"{work}/model")
result.update(portfolio_claims=len(p.claims), snapshot_rows=len(snaps),
              snapshot_dates=int(snaps["as_of"].nunique()), snapshots_s=t1 - t0, fit_s=t2 - t1,
              trees_classifier=model.classifier_.num_trees(),
              trees_regressor=model.regressor_.num_trees())
"""

SCORE = """
import inspect, time
import pandas as pd
from recovery_analytics.amicable import score_portfolio
from recovery_analytics.state import portfolio_state
from recovery_analytics.portfolio import read_portfolio
from recovery_analytics.amicable import load_model

model = load_model(r"{work}/model")
model.classifier_.params["num_threads"] = {threads}
as_of = pd.Timestamp("{as_of}")
t0 = time.perf_counter()
p = read_portfolio(r"{work}/big")
t1 = time.perf_counter()
state = portfolio_state(p, as_of)
t2 = time.perf_counter()
if "state" in inspect.signature(score_portfolio).parameters:
    scores = score_portfolio(p, model, as_of, state=state)
else:
    scores = score_portfolio(p, model, as_of)
t3 = time.perf_counter()
scores.to_parquet(r"{work}/scores.parquet", index=False)
t4 = time.perf_counter()
open_state = state[state["is_open"]].reset_index(drop=True)
from recovery_analytics.amicable import attach_attributes
x = model.transform_features(attach_attributes(open_state, p))
t5 = time.perf_counter()
model.classifier_.predict(x, num_threads={threads})
t6 = time.perf_counter()
result.update(scored=len(scores), read_s=t1 - t0, state_s=t2 - t1, score_s=t3 - t2,
              write_s=t4 - t3, end_to_end_s=t4 - t0, bare_predict_s=t6 - t5,
              ratio=(t4 - t0) / (t6 - t5))
"""

JUDICIAL = """
import time
import pandas as pd
from recovery_analytics.state import portfolio_state
from recovery_analytics.portfolio import read_portfolio
from recovery_analytics.judicial import judicial_assessment

p = read_portfolio(r"{work}/big")
state = portfolio_state(p, pd.Timestamp("{as_of}"))
state = state[state["is_open"]].reset_index(drop=True)
t0 = time.perf_counter()
j = judicial_assessment(state, as_of=pd.Timestamp("{as_of}"))
result.update(claims=len(j), judicial_s=time.perf_counter() - t0)
"""

QUEUE = """
import time
import pandas as pd
from recovery_analytics.portfolio import read_portfolio
from recovery_analytics.amicable import load_model
from recovery_analytics.queue import build_call_queue

model = load_model(r"{work}/model")
p = read_portfolio(r"{work}/big")
t0 = time.perf_counter()
cq = build_call_queue(p, model, pd.Timestamp("{as_of}"), collectors=10, calls_per_collector=40)
result.update(queue_s=time.perf_counter() - t0, debtors_in_queue=len(cq.queue),
              excluded=len(cq.excluded), timings={{k: float(v) for k, v in cq.timings.items()}})
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--open-claims", type=int, default=1_000_000)
    parser.add_argument("--base-claims", type=int, default=1_000_000)
    parser.add_argument("--train-claims", type=int, default=300_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    as_of = "2026-06-30"
    work = Path(tempfile.mkdtemp(prefix="ra-bench-model-"))
    fmt = dict(work=work, seed=args.seed, as_of=as_of, threads=args.threads)
    try:
        setup = run_step(
            SETUP.format(**fmt, base_claims=args.base_claims, open_claims=args.open_claims)
        )
        train = run_step(TRAIN.format(**fmt, train_claims=args.train_claims))
        score = run_step(SCORE.format(**fmt))
        judicial = run_step(JUDICIAL.format(**fmt))
        queue = run_step(QUEUE.format(**fmt))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = {
        "machine": machine(),
        "setup": setup,
        "train": train,
        "score": score,
        "judicial": judicial,
        "queue": queue,
    }
    save_results("scale", out)
    print("| step | rows | seconds | peak RSS (MB) |\n|---|---:|---:|---:|")
    print(
        f"| training snapshots | {train['snapshot_rows']:,} rows / {train['snapshot_dates']} dates "
        f"| {train['snapshots_s']:.1f} | {train['peak_rss_mb']:.0f} |"
    )
    print(f"| fit (both models + calibration) | | {train['fit_s']:.1f} | |")
    print(
        f"| score end to end | {score['scored']:,} open claims | {score['end_to_end_s']:.1f} "
        f"| {score['peak_rss_mb']:.0f} |"
    )
    for key in ("read_s", "state_s", "score_s", "write_s"):
        print(f"|   {key[:-2]} | | {score[key]:.1f} | |")
    print(f"| bare LightGBM predict (classifier) | | {score['bare_predict_s']:.1f} | |")
    print(f"| ratio end to end / bare predict | | {score['ratio']:.2f} | |")
    print(
        f"| judicial assessment | {judicial['claims']:,} open claims "
        f"| {judicial['judicial_s']:.1f} | {judicial['peak_rss_mb']:.0f} |"
    )
    print(
        f"| call queue (state, scoring, judicial, queue) | {queue['debtors_in_queue']:,} called "
        f"| {queue['queue_s']:.1f} | {queue['peak_rss_mb']:.0f} |"
    )
    for key, seconds in queue["timings"].items():
        print(f"|   {key} | | {seconds:.1f} | |")


if __name__ == "__main__":
    main()
