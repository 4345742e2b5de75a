"""Lower bounds under the targets of issue 14: what no implementation on this stack can beat.

The targets of issue 14 compare our reading and scoring with a *floor* that does
no checking at all. This script measures, side by side in one run, the least
work the input contract and the fixed stack force on top of that floor:

- **read + the checks nobody may skip**, each format in its own process, best of
  five: pyarrow's raw read of the three files (multi-threaded, types inferred;
  the floor of the targets), then only the checks without which a row cannot be
  said valid or quarantined — claim and debtor ids unique, every claim's debtor
  known, every event's claim known — done with Arrow's own hash kernels, then the
  conversion of the three tables to pandas (the library's tables are pandas
  DataFrames). Nothing else: no dates or amounts checked, no codes, no
  duplicates of events, no warnings, no quarantine, no line numbers.
- **the cost of starting a process that can score**: a fresh interpreter that
  imports pandas, pyarrow and LightGBM (LightGBM imports scikit-learn, and with
  it SciPy, when scikit-learn is installed — and the product installs it),
  against the score floor of ``bench_speed.py`` (raw read + bare predict of the
  two boosters, measured inside an already started process), and against the
  ``score`` command itself.

Writes ``benchmarks/results/speed_bounds.json``. Run:
``python benchmarks/bench_speed_bounds.py`` (about 3 minutes).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _harness import machine, run_step, save_results

ROOT = Path(__file__).resolve().parents[1]

DATA = """
from pathlib import Path
from recovery_analytics.reports import ensure_model
from recovery_analytics.demo import debtors_for_claims, generate_demo
from recovery_analytics.portfolio import write_portfolio
work = Path(r"{work}")
p = generate_demo(100_000, seed=1)
write_portfolio(p, work / "csv100k")
write_portfolio(p, work / "parquet100k", fmt="parquet")
big = generate_demo(debtors_for_claims(1_000_000), seed=2)
write_portfolio(big, work / "csv1m")
write_portfolio(big, work / "parquet1m", fmt="parquet")
ensure_model(r"{sample}", work / "model", progress=False, num_threads=1)
result.update(claims_100k=len(p.claims), events_100k=len(p.events),
              claims_1m=len(big.claims), events_1m=len(big.events))
"""

BOUND = """
import time
from pathlib import Path
import pyarrow as pa, pyarrow.compute as pc, pyarrow.csv as pcsv, pyarrow.parquet as pq
folder = Path(r"{folder}")
def read(name):
    f = next(folder.glob(name + ".*"))
    return pq.read_table(f) if f.suffix == ".parquet" else pcsv.read_csv(f)
def raw():
    return [read(n) for n in ("claims", "debtors", "events")]
claims, debtors, events = raw()
def checks():
    assert pc.count_distinct(claims["claim_id"]).as_py() <= claims.num_rows
    assert pc.count_distinct(debtors["debtor_id"]).as_py() <= debtors.num_rows
    pc.is_in(claims["debtor_id"], value_set=debtors["debtor_id"])
    pc.is_in(events["claim_id"], value_set=claims["claim_id"])
def to_pandas():
    for t in (claims, debtors, events):
        t.to_pandas()
def best(f, n=5):
    out = []
    for _ in range(n):
        t0 = time.perf_counter(); f(); out.append(time.perf_counter() - t0)
    return min(out)
r, c, p = best(raw), best(checks), best(to_pandas)
result.update(raw_s=r, checks_s=c, to_pandas_s=p, bound_checks=(r + c) / r,
              bound_checks_pandas=(r + c + p) / r)
"""

FLOOR = """
import time
from pathlib import Path
import numpy as np, lightgbm as lgb, pyarrow.csv as pcsv
folder, model = Path(r"{folder}"), Path(r"{model}")
t0 = time.perf_counter()
for f in sorted(folder.glob("*.csv")):
    pcsv.read_csv(f)
t1 = time.perf_counter()
boosters = [lgb.Booster(model_file=str(model / f)) for f in ("classifier.txt", "regressor.txt")]
x = np.random.default_rng(0).normal(size=({n}, boosters[0].num_feature()))
for b in boosters:
    b.predict(x)
t2 = time.perf_counter()
result.update(raw_read_s=t1 - t0, bare_predict_s=t2 - t1, floor_s=t2 - t0)
"""


def _wall(code: str, n: int = 5) -> float:
    """Best wall time of ``python -c code`` from process start to exit."""
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="ra-bench-bounds-"))
    try:
        data = run_step(DATA.format(work=work, sample=ROOT / "data" / "sample"))
        bounds = {}
        for name in ("csv100k", "parquet100k", "csv1m", "parquet1m"):
            bounds[name] = run_step(BOUND.format(folder=work / name))
            print(name, bounds[name], flush=True)
        out = work / "scores.parquet"
        cmd = [sys.executable, "-c", "from recovery_analytics.cli import main; main()", "score",
               "--portfolio", str(work / "csv100k"), "--model", str(work / "model"),
               "--as-of", "2026-06-30", "--out", str(out)]  # fmt: skip
        score_s = []
        for _ in range(2):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            score_s.append(time.perf_counter() - t0)
        import pandas as pd

        n = len(pd.read_parquet(out, columns=["claim_id"]))
        floor = run_step(FLOOR.format(folder=work / "csv100k", model=work / "model", n=n))
        start = {
            "python": _wall("pass"),
            "pandas_pyarrow": _wall("import pandas, pyarrow.csv"),
            "pandas_pyarrow_lightgbm": _wall("import pandas, pyarrow.csv, lightgbm"),
        }
        loaded = subprocess.run(
            [sys.executable, "-c", "import sys, lightgbm; print(*sorted({m.split('.')[0] "
             "for m in sys.modules} & {'sklearn', 'scipy', 'dask', 'matplotlib'}))"],
            check=True, capture_output=True, text=True,
        ).stdout.split()  # fmt: skip
        score = {
            "open_claims": n,
            "end_to_end_s": min(score_s),
            "floor": floor,
            "ratio_to_floor": min(score_s) / floor["floor_s"],
            "process_start_s": start,
            "lightgbm_imports": loaded,
            "start_ratio_to_floor": start["pandas_pyarrow_lightgbm"] / floor["floor_s"],
        }
        print("score", score, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    save_results("speed_bounds", {"machine": machine(), "data": data, "read": bounds,
                                  "score": score})  # fmt: skip


if __name__ == "__main__":
    main()
