"""The amicable model against the strong baselines, on demo portfolios of several seeds.

Run with ``python benchmarks/eval_baselines.py`` (``--runs 2000:0 2000:1 ...``;
``--no-refit`` for the euros regressor of the older slice only, ``--out`` to
write another results file).
For each run: ``generate_demo(n, seed=s)``, the training snapshots, the time
split of ``train_model`` (newest quarter of the dates held out, embargo of one
horizon), the model fitted with the defaults on one thread, and
``evaluate`` with 200 claim-level bootstrap replicates. Writes
``benchmarks/results/baselines.json`` and prints the Markdown table quoted in
``docs/model.md`` ("Against the strong baselines").

This is a measurement, not a test: the figures depend on the demo world, and
the acceptance of issue 12 (+0.02 of AUC and +3 points of euros captured at
10 % capacity over the best baseline, ECE <= 0.03 per segment at 5,000
debtors) is read from them.
"""

from __future__ import annotations

import argparse
import json

from _harness import machine, run_step, save_results

RESULTS = "baselines"


def _run(n: int, seed: int, refit: bool = True) -> dict:
    return run_step(
        f"""
        import time
        from recovery_analytics.demo import generate_demo
        from recovery_analytics.amicable import AmicableModel, training_snapshots
        from recovery_analytics.amicable import evaluate, time_split
        t0 = time.perf_counter()
        snaps = training_snapshots(generate_demo({n}, seed={seed}))
        train, test = time_split(snaps, 0.25)
        model = AmicableModel(num_threads=1, refit_regressor={refit}).fit(train)
        ev = evaluate(model, test, 0.10, train=train)
        m = ev["metrics"]
        st = ev["strategies"].set_index("strategy")
        keep = ("captured_share", "share_low", "share_high", "roc_auc")
        result.update(
            debtors={n}, seed={seed}, seconds=time.perf_counter() - t0,
            chosen=model.selection_.get("chosen"),
            dropped=sorted(model.dropped_features_),
            metrics={{k: v for k, v in m.items() if not isinstance(v, dict)}},
            by_segment=m["by_segment"],
            strategies={{s: {{k: float(st.loc[s, k]) for k in keep}} for s in st.index}},
        )
        """
    )


def _row(r: dict) -> str:
    m, seg = r["metrics"], r["by_segment"]
    st = r["strategies"]
    kept = r["chosen"] + (f" ({', '.join(r['dropped'])})" if r["dropped"] else "")
    name = f"{r['debtors']:,}, seed {r['seed']}"
    return (
        f"| {name} | {kept} | {seg['overdue']['roc_auc']:.3f} | "
        f"{m['best_baseline_auc']:.3f} `{m['best_auc_baseline']}` | "
        f"{m['margin_auc']:+.3f} [{m['margin_auc_low']:+.3f}, {m['margin_auc_high']:+.3f}] | "
        f"{st['model_expected_eur']['captured_share']:.1%} | "
        f"{m['best_baseline_share']:.1%} `{m['best_baseline']}` | "
        f"{100 * m['margin_share']:+.1f} [{100 * m['margin_share_low']:+.1f}, "
        f"{100 * m['margin_share_high']:+.1f}] | "
        f"{seg['overdue']['ece']:.3f} / {seg.get('not_yet_due', {}).get('ece', float('nan')):.3f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--runs", nargs="+", default=["2000:0", "2000:1", "2000:2", "5000:0", "5000:1"]
    )
    parser.add_argument(
        "--no-refit", action="store_true", help="the euros regressor on the older slice only"
    )
    parser.add_argument("--out", default=RESULTS, help="results/<out>.json")
    args = parser.parse_args()
    runs = [_run(*map(int, spec.split(":")), not args.no_refit) for spec in args.runs]
    meta = {"machine": machine(), "refit_regressor": not args.no_refit}
    save_results(args.out, {**meta, "runs": runs})
    print(
        "| demo | model kept (left out) | ROC AUC overdue | best baseline AUC | "
        "AUC margin [95 %] | captured | best baseline (captured) | margin [95 %], points | "
        "ECE overdue / not yet due |"
    )
    print("|---" * 9 + "|")
    for r in runs:
        print(_row(r))
    print(json.dumps({"written": f"benchmarks/results/{args.out}.json"}))


if __name__ == "__main__":
    main()
