"""Benchmark of the Dask engine (issue 14): scoring a 10M-claim portfolio by partitions.

The portfolio is built from the demo generator without ever holding it whole:
``--portfolios`` demo portfolios of ~1M claims each (seeds 0, 1, ...; every id
prefixed ``P<k>-`` so that they never meet) are each written as Parquet and cut
into ``--parts`` partitions by debtor; the partitions of all of them form one
partitioned portfolio (``partitions.json``). The generated data stays in a
temporary folder (never committed).

Then ``score_on_dask`` scores every open claim on a ``LocalCluster`` of 1, then
2 worker processes (one thread each), from the partitions to the
``part-NNNNN.parquet`` outputs; the peak resident memory of each worker is read
on the worker (``ru_maxrss``).

Run: ``python benchmarks/bench_dask.py`` (about 10 minutes; needs ~6 GB of disk in
the temporary folder); writes ``benchmarks/results/dask.json``.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from _harness import machine, run_step, save_results

BUILD = """
import json, shutil
from pathlib import Path
from recovery_analytics.demo import generate_demo, debtors_for_claims
from recovery_analytics.portfolio import write_portfolio, partition_portfolio
import time
t0 = time.perf_counter()
p = generate_demo(debtors_for_claims({claims}), seed={seed}, as_of="{as_of}")
for table, cols in (("debtors", ["debtor_id"]), ("claims", ["claim_id", "debtor_id"]),
                    ("events", ["claim_id"])):
    frame = getattr(p, table)
    for c in cols:
        frame[c] = "P{seed}-" + frame[c]
src = Path(r"{work}") / "src{seed}"
write_portfolio(p, src, fmt="parquet")
t1 = time.perf_counter()
cut = partition_portfolio(src, Path(r"{work}") / "cut{seed}", {parts})
t2 = time.perf_counter()
shutil.rmtree(src)
result.update(claims=len(p.claims), events=len(p.events), debtors=len(p.debtors),
              generate_write_s=t1 - t0, partition_s=t2 - t1)
"""

SCORE = """
import time
from recovery_analytics.judicial import score_on_dask
t0 = time.perf_counter()
run = score_on_dask(r"{root}", r"{model}", "{as_of}", r"{out}", reasons=500,
                    n_workers={workers}, memory_limit="{memory}", processes=True)
result.update(rows=run.rows, partitions=run.partitions, seconds=run.seconds,
              wall_s=time.perf_counter() - t0, worker_peak_rss_mb=run.worker_peak_rss_mb,
              quarantined=len(run.quarantine))
"""

MODEL = """
from recovery_analytics.reports import ensure_model
ensure_model(r"{sample}", r"{model}", progress=False, num_threads=1)
"""


def _merge(work: Path, portfolios: int, parts: int) -> Path:
    """The partitions of every generated portfolio as one partitioned portfolio."""
    import json

    root = work / "partitions"
    root.mkdir()
    index = 0
    meta = None
    for k in range(portfolios):
        cut = work / f"cut{k}"
        meta = json.loads((cut / "partitions.json").read_text("utf-8"))
        for j in range(parts):
            (cut / f"part-{j:05d}").rename(root / f"part-{index:05d}")
            index += 1
        if (cut / "mapping.toml").is_file() and not (root / "mapping.toml").exists():
            (cut / "mapping.toml").rename(root / "mapping.toml")
        shutil.rmtree(cut)
    meta["partitions"] = index
    meta["source"] = f"{portfolios} demo portfolios"
    (root / "partitions.json").write_text(json.dumps(meta, indent=2), "utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--portfolios", type=int, default=10)
    parser.add_argument("--claims", type=int, default=1_000_000, help="claims per portfolio")
    parser.add_argument("--parts", type=int, default=4, help="partitions per portfolio")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--memory", default="6GB", help="memory limit per worker")
    parser.add_argument("--work", default=None, help="folder for the generated data")
    args = parser.parse_args()
    as_of = "2026-06-30"
    work = Path(args.work or tempfile.mkdtemp(prefix="ra-bench-dask-"))
    work.mkdir(parents=True, exist_ok=True)
    sample = Path(__file__).resolve().parents[1] / "data" / "sample"
    try:
        run_step(MODEL.format(sample=sample, model=work / "model"))
        builds = []
        for k in range(args.portfolios):
            builds.append(run_step(BUILD.format(work=work, seed=k, claims=args.claims,
                                                parts=args.parts, as_of=as_of)))  # fmt: skip
            print(f"portfolio {k}: {builds[-1]['claims']:,} claims", flush=True)
        root = _merge(work, args.portfolios, args.parts)
        runs = {}
        for workers in (int(w) for w in args.workers.split(",")):
            out = work / f"scores{workers}"
            runs[str(workers)] = run_step(SCORE.format(root=root, model=work / "model",
                                                       as_of=as_of, out=out, workers=workers,
                                                       memory=args.memory))  # fmt: skip
            r = runs[str(workers)]
            print(f"{workers} worker(s): {r['rows']:,} open claims in {r['wall_s']:.1f} s, "
                  f"peak per worker {r['worker_peak_rss_mb']}", flush=True)  # fmt: skip
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    out = {
        "machine": machine(),
        "portfolio": {
            "claims": sum(b["claims"] for b in builds),
            "events": sum(b["events"] for b in builds),
            "debtors": sum(b["debtors"] for b in builds),
            "partitions": args.portfolios * args.parts,
            "generate_write_s": sum(b["generate_write_s"] for b in builds),
            "partition_s": sum(b["partition_s"] for b in builds),
            "build_peak_rss_mb": max(b["peak_rss_mb"] for b in builds),
        },
        "runs": runs,
    }
    save_results("dask", out)
    print(out)


if __name__ == "__main__":
    main()
