"""Benchmark of the weekly job on a 100k-claim portfolio (issue 6: about a minute on 2 cores).

Generates a ~100k-claim demo portfolio as Parquet, trains a model (not timed in
the job), then times ``run_weekly`` end to end: validation, notebook 10 (call
queue, exports, 13-week backtest) and notebook 11 (judicial review), HTML
export. Writes ``benchmarks/results/weekly.json``.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from _harness import machine, run_step, save_results

SETUP = """
import time
from recovery_analytics.amicable import train_model
from recovery_analytics.demo import generate_demo, debtors_for_claims
from recovery_analytics.portfolio import write_portfolio
from recovery_analytics.amicable import save_model
p = generate_demo(debtors_for_claims({claims}), seed={seed})
write_portfolio(p, r"{work}/portfolio", fmt="parquet")
t0 = time.perf_counter()
model, card = train_model(p, num_threads={threads})
save_model(model, r"{work}/model", card=card)
result.update(claims=len(p.claims), events=len(p.events), train_s=time.perf_counter() - t0)
"""

WEEKLY = """
import time
from recovery_analytics.reports import run_weekly
t0 = time.perf_counter()
r = run_weekly(r"{work}/portfolio", r"{work}/model", "2026-06-30", r"{work}/out", progress=False)
steps = {{k: float(v) for k, v in r.seconds.items()}}
result.update(weekly_s=time.perf_counter() - t0, steps=steps)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ra-bench-weekly-"))
    fmt = dict(work=work, seed=args.seed, threads=args.threads, claims=args.claims)
    try:
        setup = run_step(SETUP.format(**fmt))
        weekly = run_step(WEEKLY.format(**fmt))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = {"machine": machine(), "setup": setup, "weekly": weekly}
    save_results("weekly", out)
    print("| step | seconds | peak RSS (MB) |\n|---|---:|---:|")
    print(
        f"| train the model ({setup['claims']:,} claims, not in the job) "
        f"| {setup['train_s']:.1f} | |"
    )
    print(f"| weekly job end to end | {weekly['weekly_s']:.1f} | {weekly['peak_rss_mb']:.0f} |")
    for key, seconds in weekly["steps"].items():
        print(f"|   {key} | {seconds:.1f} | |")


if __name__ == "__main__":
    main()
