"""The weekly job: layout, summary, trend, privacy, failures and refused arguments.

Fast tests run notebook 11 only (``WEEKLY_NOTEBOOKS`` patched); the full job,
with notebook 10 when it exists, is marked slow.
"""

from __future__ import annotations

import json
import re
import shutil

import nbformat
import pandas as pd
import pytest
from tests._helpers import demo_portfolio, edited_notebook, html_text, personal_strings

from recovery_analytics.portfolio import InputError, read_portfolio
from recovery_analytics.reports import (
    NotebookError,
    ensure_model,
    notebook_path,
    run_weekly,
)
from recovery_analytics.reports import _weekly as weekly
from recovery_analytics.state import portfolio_state

WEEK1, WEEK2 = "2026-06-23", "2026-06-30"


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("weekly")
    src = demo_portfolio(root, 150, seed=7)
    claims = (src / "claims.csv").read_text("utf-8").splitlines()
    bad = claims[1].split(",")
    bad[0], bad[3] = "FBAD", "2026-02-31"  # an impossible due date: quarantined, not fatal
    (src / "claims.csv").write_text("\n".join([*claims, ",".join(bad)]) + "\n", "utf-8")
    model = ensure_model(src, root / "model", progress=False, n_estimators=20, num_threads=1)
    return root, src, model


@pytest.fixture(scope="module")
def weeks(setup):
    root, src, model = setup
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(weekly, "WEEKLY_NOTEBOOKS", ("11_judicial_review",))
        first = run_weekly(src, model, WEEK1, root / "out", progress=False)
        second = run_weekly(src, model, "30/06/2026", root / "out", progress=False)
    return first, second


def test_ensure_model_keeps_an_existing_model(setup):
    _, src, model = setup
    stamp = (model / "model.json").stat().st_mtime_ns
    assert ensure_model(src, model, progress=False) == model
    assert (model / "model.json").stat().st_mtime_ns == stamp


def test_out_dir_layout(setup, weeks):
    root, _, _ = setup
    folder = root / "out" / WEEK2
    assert weeks[1].folder == folder
    for name in (
        "quarantine.csv",
        "summary.json",
        "11_judicial_review.ipynb",
        "11_judicial_review.html",
        "judicial/scores.parquet",
        "judicial/summary.json",
        "judicial/break_even.png",
    ):
        assert (folder / name).is_file(), name
    quarantine = pd.read_csv(folder / "quarantine.csv")
    assert len(quarantine) == 1 and "FBAD" in quarantine.to_string()
    summary = json.loads((folder / "summary.json").read_text("utf-8"))
    assert summary["as_of"] == WEEK2 and summary["headline"]["quarantined_rows"] == 1


def test_summary_figures_match_the_library(setup, weeks):
    _, src, _ = setup
    summary = weeks[1].summary
    state = portfolio_state(read_portfolio(src), WEEK2)
    open_ = state[state["is_open"]]
    assert summary["headline"]["open_outstanding_eur"] == pytest.approx(
        open_["outstanding_eur"].sum(), abs=0.01
    )
    assert summary["headline"]["open_claims"] == len(open_)
    routes = summary["headline"]["routes"]
    assert sum(r["claims"] for r in routes.values()) == len(open_)


def test_trend_against_the_previous_week(setup, weeks):
    first, second = weeks
    assert first.previous is None and first.summary["trend"] == []
    assert second.previous == first.folder / "summary.json"
    assert second.summary["previous_as_of"] == WEEK1
    trend = second.trend.set_index("figure")
    before, now = first.summary["headline"], second.summary["headline"]
    for key in ("open_claims", "open_outstanding_eur", "court_claims"):
        assert trend.loc[key, "previous"] == pytest.approx(before[key])
        assert trend.loc[key, "change"] == pytest.approx(now[key] - before[key])
    # the report shows it, and compares last week's predictions with the cash since
    html = (second.folder / "11_judicial_review.html").read_text("utf-8")
    assert "Comparaison avec la revue du 23/06/2026" in html
    check = pd.read_csv(second.folder / "judicial" / "prediction_check.csv")
    assert check["source"].tolist() == ["weekly run"]
    assert check["days_observed"].tolist() == [7]


def test_html_has_no_code_and_no_personal_data(setup, weeks):
    _, src, _ = setup
    personal = personal_strings(read_portfolio(src))
    assert len(personal) > 200
    for result in weeks:
        for path in result.html.values():
            text = html_text(path)
            assert "hl-ipython3" not in text and "import " not in text
            assert not [s for s in personal if s in text]


def test_failing_notebook_names_the_cell_and_keeps_the_partial_notebook(
    setup, tmp_path, monkeypatch
):
    _, src, model = setup
    nb = nbformat.read(notebook_path("11_judicial_review"), as_version=4)
    position = next(i for i, c in enumerate(nb.cells) if "read_portfolio(" in c.source)

    def break_it(nb):
        cell = nb.cells[position]
        cell.source = "raise RuntimeError('the ledger is broken')\n" + cell.source

    broken = edited_notebook("11_judicial_review", tmp_path, break_it)
    monkeypatch.setattr(weekly, "WEEKLY_NOTEBOOKS", ("11_judicial_review",))
    monkeypatch.setattr(weekly, "notebook_path", lambda name: broken)
    with pytest.raises(NotebookError) as info:
        run_weekly(src, model, WEEK2, tmp_path / "out", progress=False)
    message = str(info.value)
    assert "11_judicial_review.ipynb" in message
    assert f"cell {position + 1}" in message and "the ledger is broken" in message
    # the partial week is kept under a clearly named folder; no week folder appears
    (failed,) = (tmp_path / "out").glob(f"{WEEK2}.failed-*")
    partial = failed / "11_judicial_review.ipynb"
    assert partial.is_file() and info.value.output_path == partial
    assert str(partial) in message and f"{WEEK2}/ was left as it was" in message
    assert not (tmp_path / "out" / WEEK2).exists()
    assert not (failed / "summary.json").exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"as_of": "31/02/2026"}, "not a date"),
        ({"collectors": 0}, "collectors"),
        ({"calls_per_collector": "40"}, "calls_per_collector"),
        ({"model_dir": "missing"}, "model.json"),
        ({"portfolio": "nowhere"}, "not found"),
    ],
)
def test_bad_arguments_are_refused_before_running(setup, tmp_path, kwargs, message):
    _, src, model = setup
    args = {"portfolio": src, "model_dir": model, "as_of": WEEK2, "out_dir": tmp_path / "out"}
    args.update({k: tmp_path / v if k == "model_dir" else v for k, v in kwargs.items()})
    with pytest.raises(InputError, match=message):
        run_weekly(**args, progress=False)
    assert not list((tmp_path / "out").glob("*/*.ipynb"))


def _edit_parameters(old: str, new: str):
    """An edit of the parameters cell for :func:`edited_notebook`."""

    def edit(nb):
        cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
        assert old in cell.source
        cell.source = cell.source.replace(old, new)

    return edit


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (  # a required parameter the job does not know
            "top: int = 15  # rows shown in the detail tables",
            "top: int = 15  # rows\nregion: str = None  # required: unknown to the job",
            "required parameter(s) not given: region",
        ),
        (  # a value of the wrong type: the job gives a folder
            "history_dir: str | None = None",
            "history_dir: int | None = None",
            "parameter history_dir expects int | None",
        ),
    ],
)
def test_parameters_not_matching_a_notebook_are_refused_before_running(
    setup, tmp_path, monkeypatch, old, new, message
):
    _, src, model = setup
    changed = edited_notebook("11_judicial_review", tmp_path, _edit_parameters(old, new))
    monkeypatch.setattr(weekly, "notebook_path", lambda name: changed)
    with pytest.raises(InputError, match=re.escape(message)):
        run_weekly(src, model, WEEK2, tmp_path / "out", progress=False)
    assert not (tmp_path / "out").exists()


def test_notebook_path_finds_the_checkout_notebooks():
    path = notebook_path("11_judicial_review.ipynb")
    assert path.parent.name == "notebooks" and path.is_file()
    with pytest.raises(FileNotFoundError, match="99_nothing"):
        notebook_path("99_nothing")


@pytest.mark.slow
def test_full_weekly_job_with_every_notebook(setup, tmp_path):
    _, src, model = setup
    result = run_weekly(src, model, WEEK2, tmp_path / "out", progress=False)
    expected = [n for n in weekly.WEEKLY_NOTEBOOKS if _exists(n)]
    assert list(result.notebooks) == expected
    for path in result.html.values():
        assert path.stat().st_size > 10_000
    if "10_weekly_call_queue" in result.notebooks:
        assert any((result.folder / "call_queue").iterdir())


def _exists(name: str) -> bool:
    try:
        notebook_path(name)
    except FileNotFoundError:
        return False
    return True


def test_copy_of_packaged_notebooks_is_found_first(tmp_path, monkeypatch):
    """An installed package holds its notebooks in recovery_analytics/notebooks/."""
    package = tmp_path / "site" / "recovery_analytics"
    (package / "notebooks").mkdir(parents=True)
    shutil.copy(notebook_path("11_judicial_review"), package / "notebooks")
    monkeypatch.setattr(weekly, "__file__", str(package / "reports" / "_weekly.py"))
    assert notebook_path("11_judicial_review") == package / "notebooks" / "11_judicial_review.ipynb"


def test_notebooks_read_the_portfolio_validated_once(setup, tmp_path, monkeypatch):
    _, src, model = setup
    source = tmp_path / "src"
    shutil.copytree(src, source)
    import recovery_analytics.portfolio as portfolio_stage

    real = portfolio_stage.write_validated

    def write_then_hide_the_source(p, folder):
        out = real(p, folder)
        shutil.rmtree(source)  # a notebook reading the source again would fail now
        return out

    monkeypatch.setattr(portfolio_stage, "write_validated", write_then_hide_the_source)
    monkeypatch.setattr(weekly, "WEEKLY_NOTEBOOKS", ("11_judicial_review",))
    result = run_weekly(source, model, WEEK2, tmp_path / "out", progress=False)
    nb = nbformat.read(result.notebooks["11_judicial_review"], as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert "validated = " in injected.source and weekly.VALIDATED_DIR in injected.source
    headline = json.loads((result.folder / "judicial" / "summary.json").read_text("utf-8"))
    assert headline["quarantined_rows"] == 1  # the job's quarantine, carried by the copy
    assert not (result.folder / weekly.VALIDATED_DIR).exists()  # the copy is not kept
