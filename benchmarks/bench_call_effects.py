"""Cost of learning the effects of a call, a letter and a formal notice (issue 11).

On a ~100k-claim demo portfolio (one thread): the history's claim-weeks
(``max_cases_per_date`` = 2,000 a week over a year) and the cross-fitted
X-learner of ``estimate_call_effects``, once per channel, each in its own
process. Writes ``results/call_effects.json``. Run from ``benchmarks/``.
"""

from __future__ import annotations

from _harness import machine, run_step, save_results

STEP = """
import os, time
os.environ["OMP_NUM_THREADS"] = "1"
from recovery_analytics.demo import debtors_for_claims, generate_demo
from recovery_analytics.queue import estimate_call_effects
p = generate_demo(debtors_for_claims(100_000), seed=0)
t = time.perf_counter()
fx = estimate_call_effects(p, "2026-06-30", channel="{channel}")
result["seconds"] = round(time.perf_counter() - t, 1)
result["claims"] = len(p.claims)
result["events"] = len(p.events)
result["cases"] = fx.diagnostics["cases"]
result["treated_cases"] = fx.diagnostics["called_cases"]
result["method"] = fx.method
"""


def main() -> None:
    steps = {c: run_step(STEP.replace("{channel}", c)) for c in ("call", "letter", "formal_notice")}
    for name, r in steps.items():
        print(f"{name:14s} {r['seconds']:6.1f} s  {r['cases']:,} cases  "
              f"{r['treated_cases']:,} treated  peak {r['peak_rss_mb']:.0f} MB")  # fmt: skip
    save_results("call_effects", {"machine": machine(), "steps": steps})


if __name__ == "__main__":
    main()
