"""Benchmark of the foundation: generate 1M claims, write Parquet, read and validate.

Run with ``make bench-foundation`` (or ``python benchmarks/bench_foundation.py``).
Writes ``benchmarks/results/foundation.json`` and prints a Markdown table; the
numbers quoted in ``benchmarks/README.md`` come from that file.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from _harness import machine, run_step, save_results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="ra-bench-"))
    try:
        gen = run_step(
            f"""
            import time
            from recovery_analytics.demo import generate_demo, debtors_for_claims
            from recovery_analytics.portfolio import write_portfolio
            t0 = time.perf_counter()
            p = generate_demo(debtors_for_claims({args.claims}), seed={args.seed})
            t1 = time.perf_counter()
            write_portfolio(p, r"{work}", fmt="parquet")
            t2 = time.perf_counter()
            write_portfolio(p, r"{work}/csv", fmt="csv")
            t3 = time.perf_counter()
            result.update(generate_s=t1 - t0, write_parquet_s=t2 - t1, write_csv_s=t3 - t2,
                          debtors=len(p.debtors), claims=len(p.claims), events=len(p.events))
            """
        )
        val, val_csv = (
            run_step(
                f"""
                import time
                from recovery_analytics.portfolio import read_portfolio
                t0 = time.perf_counter()
                p = read_portfolio(r"{folder}")
                result.update(read_validate_s=time.perf_counter() - t0,
                              valid_claims=len(p.claims), quarantined=len(p.quarantine))
                """
            )
            for folder in (work, work / "csv")
        )
        state = run_step(
            f"""
            import time
            import pandas as pd
            from recovery_analytics.portfolio import read_portfolio
            from recovery_analytics.state import portfolio_state
            p = read_portfolio(r"{work}")
            as_of = p.events["date"].max()
            t0 = time.perf_counter()
            s = portfolio_state(p, as_of)
            result.update(state_s=time.perf_counter() - t0, open_claims=int(s["is_open"].sum()))
            """
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)

    out = {
        "machine": machine(),
        "generate": gen,
        "validate_parquet": val,
        "validate_csv": val_csv,
        "state": state,
    }
    save_results("foundation", out)
    print("| step | seconds | peak RSS (MB) |\n|---|---:|---:|")
    print(
        f"| generate {gen['claims']:,} claims / {gen['events']:,} events "
        f"| {gen['generate_s']:.1f} | {gen['peak_rss_mb']:.0f} |"
    )
    print(f"| write Parquet | {gen['write_parquet_s']:.1f} | |")
    print(f"| write CSV | {gen['write_csv_s']:.1f} | |")
    print(f"| read + validate Parquet | {val['read_validate_s']:.1f} | {val['peak_rss_mb']:.0f} |")
    print(
        f"| read + validate CSV | {val_csv['read_validate_s']:.1f} | {val_csv['peak_rss_mb']:.0f} |"
    )
    print(f"| claim state at as_of | {state['state_s']:.1f} | {state['peak_rss_mb']:.0f} |")


if __name__ == "__main__":
    main()
