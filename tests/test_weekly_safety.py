"""The weekly job writes its week whole or not at all.

Concurrent runs, a run interrupted (Ctrl-C) or killed outright, a full disk,
a truncated summary of an earlier week, a stray folder that is not a week.
The notebooks are replaced by a fast stand-in writing what notebook 11 writes
(the real run is covered by tests/test_weekly.py); the lock, the staging
folder and the swap are the real ones.
"""

from __future__ import annotations

import errno
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests._helpers import demo_portfolio

from recovery_analytics.cli import main
from recovery_analytics.reports import _notebooks as notebooks
from recovery_analytics.reports import _weekly as weekly
from recovery_analytics.reports import ensure_model, run_weekly
from recovery_analytics.reports._staging import WeeklyLockedError, weekly_lock

WEEK1, WEEK2 = "2026-06-23", "2026-06-30"


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("weekly_safety")
    src = demo_portfolio(root, 60, seed=3)
    model = ensure_model(src, root / "model", progress=False, n_estimators=10, num_threads=1)
    return src, model


class FakeNotebook:
    """Writes what notebook 11 writes (its summary, an HTML) with a marker; may fail."""

    def __init__(self, marker: str, fail: BaseException | None = None):
        self.marker, self.fail = marker, fail

    def __call__(self, path, output_path, params, *, html_path=None, title=None, **_):
        out = Path(params["out_dir"])
        out.mkdir(parents=True, exist_ok=True)
        (out / "summary.json").write_text(json.dumps({"open_claims": 10, "as_of": "x"}))
        Path(html_path).write_text(f"<html>{self.marker} part 1", "utf-8")
        if self.fail is not None:
            raise self.fail
        Path(html_path).write_text(f"<html>{self.marker}</html>", "utf-8")
        Path(output_path).write_text("{}", "utf-8")
        return Path(output_path)


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr(weekly, "WEEKLY_NOTEBOOKS", ("11_judicial_review",))

    def use(marker, fail=None):
        monkeypatch.setattr(notebooks, "run_notebook", FakeNotebook(marker, fail))

    return use


def _run(setup, out, week=WEEK2):
    src, model = setup
    return run_weekly(src, model, week, out, progress=False)


def _cli(setup, out, week=WEEK2):
    src, model = setup
    args = ["weekly", "--portfolio", str(src), "--model", str(model), "--as-of", week,
            "--out-dir", str(out)]  # fmt: skip
    return CliRunner().invoke(main, args)


def _lines(res) -> list[str]:
    """The messages of a command, without the progress bar's redraws."""
    # the error itself is one line; progress and notices (an outdated tariff) are not errors
    return [
        line
        for line in res.output.splitlines()
        if line and not line.startswith(("weekly:", "warning: tariffs outdated"))
    ]


def test_a_successful_run_leaves_only_the_week(setup, tmp_path, fake):
    fake("first")
    result = _run(setup, tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".weekly.lock", WEEK2]
    assert result.html["11_judicial_review"] == tmp_path / "out" / WEEK2 / "11_judicial_review.html"
    assert "first</html>" in result.html["11_judicial_review"].read_text("utf-8")
    assert json.loads((result.folder / "summary.json").read_text("utf-8"))["as_of"] == WEEK2
    assert (result.folder / "warnings.csv").is_file()


def test_a_second_run_while_one_holds_the_lock_exits_2(setup, tmp_path, fake):
    fake("second")
    out = tmp_path / "out"
    # another process holds the lock (a real concurrent run): the OS lock is per process
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from pathlib import Path
            from recovery_analytics.reports._staging import weekly_lock
            with weekly_lock(Path({str(out)!r})):
                print("locked", flush=True)
                sys.stdin.read()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(WeeklyLockedError, match=r"another weekly run is writing into"):
            _run(setup, out)
        res = _cli(setup, out)
        assert res.exit_code == 2
        lines = _lines(res)
        assert len(lines) == 1 and lines[0].startswith("error: another weekly run")
        assert f"pid {holder.pid}" in lines[0]
        assert not (out / WEEK2).exists() and not list(out.glob(f"{WEEK2}.*"))
    finally:
        holder.communicate("")
    # the lock dies with its process: the next run goes through
    assert _run(setup, out).folder == out / WEEK2


def test_the_lock_is_refused_in_the_same_process(tmp_path):
    with weekly_lock(tmp_path), pytest.raises(WeeklyLockedError), weekly_lock(tmp_path):
        pass


def test_an_interrupted_rerun_leaves_the_previous_week_intact(setup, tmp_path, fake):
    out = tmp_path / "out"
    fake("good")
    good = _run(setup, out)
    before = {p.name: p.read_bytes() for p in good.folder.iterdir() if p.is_file()}
    fake("bad", KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt, match=r"the partial week is kept in .*\.failed-"):
        _run(setup, out)
    after = {p.name: p.read_bytes() for p in good.folder.iterdir() if p.is_file()}
    assert after == before  # summary, report and quarantine of the same run
    (failed,) = out.glob(f"{WEEK2}.failed-*")
    assert "bad part 1" in (failed / "11_judicial_review.html").read_text("utf-8")
    assert not (failed / "summary.json").exists()
    # through the command line: one line, exit 130
    res = _cli(setup, out)
    assert res.exit_code == 130
    (line,) = _lines(res)
    assert line.startswith("interrupted (Ctrl-C): weekly run of 2026-06-30 interrupted")
    assert len(list(out.glob(f"{WEEK2}.failed-*"))) == 2


def test_a_full_disk_fails_in_one_line_and_keeps_the_week(setup, tmp_path, fake):
    out = tmp_path / "out"
    fake("good")
    good = _run(setup, out)
    summary = (good.folder / "summary.json").read_bytes()
    fake("full", OSError(errno.ENOSPC, "No space left on device", "x.html"))
    res = _cli(setup, out)
    assert res.exit_code == 1
    (line,) = _lines(res)
    assert line.startswith("error: cannot read or write a file: No space left on device: x.html")
    assert "the partial week is kept in" in line and f"{WEEK2}/ was left as it was" in line
    assert (good.folder / "summary.json").read_bytes() == summary
    assert "good</html>" in (good.folder / "11_judicial_review.html").read_text("utf-8")


def test_a_run_killed_outright_is_moved_aside_by_the_next(setup, tmp_path, fake):
    out = tmp_path / "out"
    left = out / f"{WEEK2}.incomplete"
    left.mkdir(parents=True)
    (left / "11_judicial_review.html").write_text("half")
    fake("next")
    result = _run(setup, out)
    (failed,) = out.glob(f"{WEEK2}.failed-*")
    assert (failed / "11_judicial_review.html").read_text() == "half"
    assert any("an interrupted earlier run left" in n for n in result.notes)
    assert "next</html>" in result.html["11_judicial_review"].read_text("utf-8")


def test_a_truncated_earlier_summary_is_skipped_with_a_note(setup, tmp_path, fake):
    out = tmp_path / "out"
    fake("w")
    _run(setup, out, "2026-06-16")
    second = _run(setup, out, WEEK1)
    text = (second.folder / "summary.json").read_text("utf-8")
    (second.folder / "summary.json").write_text(text[: len(text) // 2], "utf-8")
    third = _run(setup, out, WEEK2)
    assert third.previous == out / "2026-06-16" / "summary.json"
    assert third.summary["previous_as_of"] == "2026-06-16"
    assert any(n.startswith(f"skipped the summary of {WEEK1}") for n in third.notes)
    res = _cli(setup, out)
    assert res.exit_code == 0 and f"note: skipped the summary of {WEEK1}" in res.output


def test_only_strict_iso_folders_are_weeks(setup, tmp_path, fake):
    out = tmp_path / "out"
    for stray in ("06-29-2026", "2026-06-29.failed-20260629T101500", "2026-6-29"):
        (out / stray).mkdir(parents=True)
        (out / stray / "summary.json").write_text('{"as_of": "2026-06-29", "headline": {}}')
    fake("w")
    result = _run(setup, out)
    assert result.previous is None and result.summary["previous_as_of"] is None


def test_summary_json_is_strict_json(setup, tmp_path, fake):
    fake("w")
    result = _run(setup, tmp_path / "out")
    text = (result.folder / "summary.json").read_text("utf-8")
    json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in summary.json"))


def test_a_swap_cut_between_its_two_renames_is_repaired(setup, tmp_path, fake):
    out = tmp_path / "out"
    fake("old")
    old = _run(setup, out)
    old.folder.rename(out / f"{WEEK2}.replaced-20260630T101500")  # killed right there
    fake("new", RuntimeError("boom"))
    with pytest.raises(RuntimeError, match="boom"):
        _run(setup, out)
    # the old week is back in place, untouched by the failed run
    assert "old</html>" in (out / WEEK2 / "11_judicial_review.html").read_text("utf-8")
    assert not list(out.glob(f"{WEEK2}.replaced-*"))
