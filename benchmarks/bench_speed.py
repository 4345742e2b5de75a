"""Speed against the floor (issue 14): reading, scoring and the weekly job, before and after.

Measured side by side in one run, each step in its own process:

- **read + validate** (``read_portfolio``) against pyarrow's raw read of the same
  files (``pyarrow.csv.read_csv`` / ``pyarrow.parquet.read_table``), on the
  100,000-debtor demo as CSV (ISO dates, dot decimals), as Parquet, as a French
  CSV (``;``, decimal comma, ``dd/mm/yyyy``, Windows-1252), and on a 1M-claim demo
  as CSV and Parquet. Best of two of each.
- **score** end to end (the ``recovery-analytics score`` command, process start to
  file written) on the 100k-debtor CSV, against the floor: pyarrow's raw read of
  the three files, plus a bare predict of the two model files (LightGBM boosters)
  on a matrix of the shape of the open claims.
- **the weekly job** (``run_weekly``) on the committed sample and on a 100k-claim
  portfolio.

"Before" is the code of ``--before`` (a git revision, run from a ``git archive``
of it), "after" the working tree. Writes ``benchmarks/results/speed.json``.
Run: ``python benchmarks/bench_speed.py`` (about 10 minutes).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _harness import machine, run_step, save_results

ROOT = Path(__file__).resolve().parents[1]

DATA = """
import numpy as np, pandas as pd
from pathlib import Path
from recovery_analytics.demo import generate_demo, debtors_for_claims
from recovery_analytics.portfolio import write_portfolio
from recovery_analytics.reports import ensure_model
work = Path(r"{work}")
p = generate_demo(100_000, seed=1)
write_portfolio(p, work / "csv100k")
write_portfolio(p, work / "parquet100k", fmt="parquet")
fr = work / "french100k"
fr.mkdir()
for table in ("debtors", "claims", "events"):
    df = getattr(p, table).copy()
    for col in df.columns:
        if df[col].dtype.kind == "M":
            df[col] = df[col].dt.strftime("%d/%m/%Y")
        elif df[col].dtype.kind == "f":
            text = df[col].map("{{:.2f}}".format).str.replace(".", ",", regex=False)
            df[col] = text.mask(df[col].isna(), "")
    df.to_csv(fr / f"{{table}}.csv", sep=";", index=False, encoding="cp1252")
(fr / "mapping.toml").write_text((work / "csv100k" / "mapping.toml").read_text())
big = generate_demo(debtors_for_claims(1_000_000), seed=2)
write_portfolio(big, work / "csv1m")
write_portfolio(big, work / "parquet1m", fmt="parquet")
small = generate_demo(debtors_for_claims(100_000), seed=3)
write_portfolio(small, work / "weekly100k", fmt="parquet")
ensure_model(r"{sample}", work / "model", progress=False, num_threads=1)
ensure_model(work / "weekly100k", work / "model100k", progress=False)
result.update(claims_100k=len(p.claims), events_100k=len(p.events), claims_1m=len(big.claims),
              events_1m=len(big.events), weekly_claims=len(small.claims))
"""

READ = """
import time
from pathlib import Path
import pyarrow as pa, pyarrow.csv as pcsv, pyarrow.parquet as pq
from recovery_analytics.portfolio import read_portfolio
folder = Path(r"{folder}")
def raw():
    for f in sorted(folder.glob("*.*")):
        if f.suffix == ".parquet":
            pq.read_table(f)
        elif f.suffix == ".csv":
            pcsv.read_csv(f, read_options=pcsv.ReadOptions(encoding="{encoding}"),
                          parse_options=pcsv.ParseOptions(delimiter="{sep}"))
def timed(f):
    t = time.perf_counter(); f(); return time.perf_counter() - t
raws, reads = [], []
for _ in range(2):
    raws.append(timed(raw))
    reads.append(timed(lambda: read_portfolio(folder)))
result.update(raw_s=min(raws), read_s=min(reads), ratio=min(reads) / min(raws))
"""

FLOOR = """
import time
from pathlib import Path
import numpy as np, lightgbm as lgb, pandas as pd, pyarrow.csv as pcsv
folder, model = Path(r"{folder}"), Path(r"{model}")
n = len(pd.read_parquet(r"{scores}", columns=["claim_id"]))
t0 = time.perf_counter()
for f in sorted(folder.glob("*.csv")):
    pcsv.read_csv(f)
t1 = time.perf_counter()
boosters = [lgb.Booster(model_file=str(model / f)) for f in ("classifier.txt", "regressor.txt")]
x = np.random.default_rng(0).normal(size=(n, boosters[0].num_feature()))
for b in boosters:
    b.predict(x)
t2 = time.perf_counter()
result.update(open_claims=n, raw_read_s=t1 - t0, bare_predict_s=t2 - t1, floor_s=t2 - t0)
"""

WEEKLY = """
import time
from recovery_analytics.reports import run_weekly
t0 = time.perf_counter()
r = run_weekly(r"{portfolio}", r"{model}", "2026-06-30", r"{out}", progress=False)
steps = {{k: float(v) for k, v in r.seconds.items()}}
result.update(weekly_s=time.perf_counter() - t0, steps=steps)
"""


def _score_cli(src: str | None, work: Path, out: Path) -> float:
    """Seconds of ``recovery-analytics score`` from process start to file written."""
    import os

    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    cmd = [sys.executable, "-c", "from recovery_analytics.cli import main; main()", "score",
           "--portfolio", str(work / "csv100k"), "--model", str(work / "model"),
           "--as-of", "2026-06-30", "--out", str(out)]  # fmt: skip
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", default="4eaabf8", help="git revision measured as 'before'")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ra-bench-speed-"))
    old = work / "before"
    old.mkdir()
    archive = subprocess.run(["git", "archive", args.before, "src", "notebooks"], cwd=ROOT,
                             check=True, capture_output=True).stdout  # fmt: skip
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
    versions = {"before": str(old / "src"), "after": None}
    try:
        data = run_step(DATA.format(work=work, sample=ROOT / "data" / "sample"))
        reads = {}
        for name, enc, sep in (("csv100k", "utf8", ","), ("parquet100k", "utf8", ","),
                               ("french100k", "cp1252", ";"), ("csv1m", "utf8", ","),
                               ("parquet1m", "utf8", ",")):  # fmt: skip
            for label, src in versions.items():
                code = READ.format(folder=work / name, encoding=enc, sep=sep)
                reads[f"{name}/{label}"] = run_step(code, src)
                print(name, label, reads[f"{name}/{label}"], flush=True)
        score = {}
        for label, src in versions.items():
            out = work / f"scores-{label}.parquet"
            seconds = min(_score_cli(src, work, out) for _ in range(2))
            score[label] = {"end_to_end_s": seconds}
        floor = run_step(FLOOR.format(folder=work / "csv100k", model=work / "model",
                                      scores=work / "scores-after.parquet"))  # fmt: skip
        for label in versions:
            score[label]["ratio_to_floor"] = score[label]["end_to_end_s"] / floor["floor_s"]
        print("score", score, floor, flush=True)
        weekly = {}
        for name, portfolio, model in (
            ("sample", ROOT / "data" / "sample", work / "model"),
            ("100k_claims", work / "weekly100k", work / "model100k"),
        ):
            for label, src in versions.items():
                code = WEEKLY.format(portfolio=portfolio, model=model, out=work / f"w-{label}")
                weekly[f"{name}/{label}"] = run_step(code, src)
                print(name, label, weekly[f"{name}/{label}"], flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results = {"machine": machine(), "before": args.before, "data": data, "read": reads}
    save_results("speed", {**results, "score": score, "floor": floor, "weekly": weekly})


if __name__ == "__main__":
    main()
