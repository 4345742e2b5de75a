"""Benchmark: read + validate a portfolio from PostgreSQL against the same data in Parquet.

Needs a server: ``make bench-postgres`` starts a throw-away one
(``scripts/test-postgres.sh``) and passes its URL in ``RA_TEST_POSTGRES_URL``.
Loads a demo portfolio of ``--claims`` claims into a schema with COPY (typed
columns, as a warehouse holds them) and into Parquet files, then times
``read_portfolio`` on each in a fresh process (peak memory its own). Writes
``benchmarks/results/postgres.json``; ``benchmarks/README.md`` quotes it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from _harness import machine, run_step, save_results

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository, for tests._helpers
from tests._helpers import copy_tables


def _load(url: str, schema: str, folder: Path, claims: int, seed: int) -> dict:
    import sqlalchemy as sa

    from recovery_analytics.demo import debtors_for_claims, generate_demo
    from recovery_analytics.portfolio import write_portfolio

    p = generate_demo(debtors_for_claims(claims), seed=seed)
    write_portfolio(p, folder, fmt="parquet")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    t0 = time.perf_counter()
    copy_tables(url, schema, {name: getattr(p, name) for name in ("debtors", "claims", "events")})
    return {
        "debtors": len(p.debtors),
        "claims": len(p.claims),
        "events": len(p.events),
        "copy_s": time.perf_counter() - t0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--chunksize", type=int, default=250_000)
    args = parser.parse_args()
    url = os.environ.get("RA_TEST_POSTGRES_URL")
    if not url:
        sys.exit("RA_TEST_POSTGRES_URL is not set: run `make bench-postgres`")
    schema = "bench"
    work = Path(tempfile.mkdtemp(prefix="ra-bench-pg-"))
    try:
        # in its own process too: a child inherits its parent's peak memory (ru_maxrss)
        loaded = run_step(
            f"""
            import sys
            sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})
            from bench_postgres import _load
            result.update(_load({url!r}, {schema!r}, __import__("pathlib").Path({str(work)!r}),
                                {args.claims}, {args.seed}))
            """
        )
        steps = {}
        for name, source in (("parquet", str(work)), ("postgres", f"{url}?schema={schema}")):
            steps[name] = run_step(
                f"""
                import time
                from recovery_analytics.portfolio import read_portfolio
                t0 = time.perf_counter()
                p = read_portfolio({source!r}, chunksize={args.chunksize})
                result.update(read_validate_s=time.perf_counter() - t0,
                              valid_claims=len(p.claims), valid_events=len(p.events),
                              quarantined=len(p.quarantine))
                """
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results = {"machine": machine(), "loaded": loaded, "chunksize": args.chunksize, **steps}
    save_results("postgres", results)
    counts = f"{loaded['claims']:,d} claims, {loaded['events']:,d} events"
    print(f"{counts} (COPY {loaded['copy_s']:.1f} s)")
    print("| source | read + validate (s) | peak RSS (MB) |")
    print("|---|---:|---:|")
    for name, r in steps.items():
        print(f"| {name} | {r['read_validate_s']:.1f} | {r['peak_rss_mb']:.0f} |")


if __name__ == "__main__":
    main()
