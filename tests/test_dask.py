"""Beyond one machine: partitions by debtor and the Dask engine give the in-memory results.

A small demo portfolio with nasty rows (an impossible date, a claim id written
twice for two debtors, a line with too many fields, an event of an unknown
claim, an overpayment) is validated and scored in memory and partition by
partition; everything must be identical once sorted.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from tests._helpers import demo_portfolio

from recovery_analytics.cli import main
from recovery_analytics.judicial import score_claims, score_on_dask, validate_on_dask
from recovery_analytics.judicial._dask import _sorted
from recovery_analytics.portfolio import (
    InputError,
    partition_count,
    partition_portfolio,
    read_partition,
    read_portfolio,
)
from recovery_analytics.reports import ensure_model

pytest.importorskip("dask.distributed")

AS_OF = "2026-06-30"


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("dask")
    src = demo_portfolio(root, 120, seed=11)
    claims = (src / "claims.csv").read_text("utf-8").splitlines()
    first, other = claims[1].split(","), claims[-1].split(",")
    bad = [*first]
    bad[0], bad[3] = "FBAD", "2026-02-31"  # an impossible due date
    twice = [first[0], other[1], *first[2:]]  # first's claim id again, for another debtor
    extra = ",".join(["FWIDE", first[1], *first[2:], "x", "y"])  # too many fields
    claims[4:4] = [extra]
    (src / "claims.csv").write_text("\n".join([*claims, ",".join(bad), ",".join(twice)]) + "\n")
    with open(src / "events.csv", "a", encoding="utf-8") as fh:
        fh.write("NOPE,2026-01-05,payment,5.0,\nFWIDE,2026-01-05,payment,5.0,\n")
        fh.write(f"{first[0]},2026-01-06,payment,99999.0,\n")  # an overpayment: a warning
    model = ensure_model(src, root / "model", progress=False, n_estimators=20, num_threads=1)
    return root, src, model


def _cat(frames: list[pd.DataFrame], key: list[str]) -> pd.DataFrame:
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(key, kind="stable", ignore_index=True)


@pytest.mark.parametrize("n", [1, 3])
def test_partitions_validate_exactly_like_memory(setup, tmp_path, n):
    _, src, _ = setup
    whole = read_portfolio(src)
    root = partition_portfolio(src, tmp_path / "parts", n, chunksize=50)
    parts = [read_partition(root, i) for i in range(partition_count(root))]
    assert len(parts) == n
    keys = {"debtors": ["debtor_id"], "claims": ["claim_id"], "events": ["claim_id", "date"]}
    for table, key in keys.items():
        got = _cat([getattr(p, table) for p in parts], key)
        want = getattr(whole, table).sort_values(key, kind="stable", ignore_index=True)
        pd.testing.assert_frame_equal(got, want, obj=table)
    got = _sorted(pd.concat([p.quarantine for p in parts], ignore_index=True))
    pd.testing.assert_frame_equal(got, whole.quarantine, obj="quarantine")
    checks = set(whole.quarantine["check"])
    assert {"invalid_date", "duplicate_id", "malformed_line", "unknown_claim"} <= checks
    assert "quarantined_claim" in checks  # FWIDE's event follows its malformed claim
    got = _sorted(pd.concat([p.warnings for p in parts], ignore_index=True))
    pd.testing.assert_frame_equal(got, _sorted(whole.warnings), obj="warnings")
    assert len(whole.warnings)


def test_a_debtor_its_claims_and_their_events_share_a_partition(setup, tmp_path):
    _, src, _ = setup
    root = partition_portfolio(src, tmp_path / "parts", 4)
    seen = {}
    for i in range(4):
        p = read_partition(root, i)
        for debtor in p.debtors["debtor_id"]:
            assert seen.setdefault(debtor, i) == i
        assert p.claims["debtor_id"].isin(p.debtors["debtor_id"]).all()
        assert p.events["claim_id"].isin(p.claims["claim_id"]).all()


def test_score_engine_dask_on_two_workers_equals_memory(setup, tmp_path):
    _, src, model = setup
    runner = CliRunner()
    common = ["--portfolio", str(src), "--model", str(model), "--as-of", AS_OF, "--reasons", "6"]
    mem = runner.invoke(main, ["score", *common, "--out", str(tmp_path / "mem" / "s.parquet")])
    assert mem.exit_code == 0, mem.output
    args = ["--engine", "dask", "--workers", "2", "--partitions", "3"]
    out = tmp_path / "dask" / "scores"
    run = runner.invoke(main, ["score", *common, "--out", str(out), *args])
    assert run.exit_code == 0, run.output
    assert len(list(out.glob("part-*.parquet"))) == 3
    want = pd.read_parquet(tmp_path / "mem" / "s.parquet")
    got = pd.read_parquet(out).sort_values("claim_id", ignore_index=True)
    pd.testing.assert_frame_equal(got, want)
    assert got["reason_1"].notna().sum() == 6  # the six best of the whole portfolio
    q_mem = pd.read_csv(tmp_path / "mem" / "quarantine.csv", sep=";", encoding="utf-8-sig")
    q_dask = pd.read_csv(tmp_path / "dask" / "quarantine.csv", sep=";", encoding="utf-8-sig")
    pd.testing.assert_frame_equal(q_dask, q_mem)


def test_judicial_and_validate_on_dask_threads_equal_memory(setup, tmp_path):
    _, src, _ = setup
    kw = {"n_workers": 2, "processes": False, "partitions": 2}
    run = score_on_dask(src, None, AS_OF, tmp_path / "j", reasons=0, all_routes=True, **kw)
    whole = read_portfolio(src)
    want = score_claims(whole, AS_OF, None, with_reasons=0, all_routes=True)
    got = pd.read_parquet(tmp_path / "j").sort_values("claim_id", ignore_index=True)
    pd.testing.assert_frame_equal(got, want)
    assert run.rows == len(want) and run.partitions == 2
    pd.testing.assert_frame_equal(run.quarantine, whole.quarantine)
    checked = validate_on_dask(src, tmp_path / "v", **kw)
    pd.testing.assert_frame_equal(checked.counts, whole.counts)
    got = _cat([pd.read_parquet(f) for f in sorted((tmp_path / "v").glob("*/claims.parquet"))],
               ["claim_id"])  # fmt: skip
    pd.testing.assert_frame_equal(got, whole.claims.sort_values("claim_id", ignore_index=True))


def test_dask_refuses_what_it_cannot_read(setup, tmp_path):
    _, src, _ = setup
    with pytest.raises(InputError, match="folder"):
        score_on_dask(src / "claims.csv", None, AS_OF, tmp_path / "x", processes=False)
    result = CliRunner().invoke(
        main, ["score", "--portfolio", str(src), "--model", str(Path(src).parent / "model"),
               "--as-of", AS_OF, "--out", str(tmp_path / "s.csv"), "--engine", "dask"],
    )  # fmt: skip
    assert result.exit_code == 2 and "folder of Parquet parts" in result.output


def test_validate_engine_dask_writes_valid_parts_and_the_quarantine(setup, tmp_path):
    _, src, _ = setup
    args = ["validate", "--portfolio", str(src), "--out-dir", str(tmp_path), "--strict"]
    result = CliRunner().invoke(main, [*args, "--engine", "dask", "--workers", "1"])
    assert result.exit_code == 1, result.output  # --strict: rows were quarantined
    whole = read_portfolio(src)
    q = pd.read_csv(tmp_path / "quarantine.csv", sep=";", encoding="utf-8-sig")
    assert len(q) == len(whole.quarantine) and "claims" in result.output
    parts = sorted((tmp_path / "valid").glob("part-*/events.parquet"))
    assert sum(len(pd.read_parquet(f)) for f in parts) == len(whole.events)
