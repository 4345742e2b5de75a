"""Notebook plumbing: parameter checks, papermill runs, failures, HTML export, stripping.

Kernel starts cost about a second each: the tiny notebook runs once for the
module (a module-scoped fixture), the failing run once, notebook 01 once.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from recovery_analytics import reports
from recovery_analytics.portfolio import InputError
from recovery_analytics.reports import (
    NotebookError,
    check_parameters,
    export_html,
    format_table,
    headline_table,
    notebook_has_outputs,
    notebook_parameters,
    run_notebook,
    strip_outputs,
)
from recovery_analytics.style import format_eur

ROOT = Path(__file__).resolve().parents[1]
EXPLORE = ROOT / "notebooks" / "01_explore_portfolio.ipynb"
MARKER = "SOURCE_ONLY_MARKER"  # appears in code only, never in outputs

PARAMETERS = """n: int = 3  # number of rows
out_dir: str = None  # required: folder to write into
label: str | None = None  # optional label
ratio: float = 0.5  # a share
fail: bool = False  # raise in the last cell"""

CODE = [
    f"""import pandas as pd
from pathlib import Path
{MARKER} = 1
table = pd.DataFrame({{"i": range(n)}}).assign(x=lambda d: d["i"] * ratio)
Path(out_dir).mkdir(parents=True, exist_ok=True)
table.to_csv(Path(out_dir) / "table.csv", index=False)
print("label is", label)""",
    """import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(3, 2))
ax.plot(table["i"], table["x"])
ax.set_title("x by i")
plt.show()""",
    """if fail:
    raise ValueError("boom: the data is wrong")
(Path(out_dir) / "done.txt").write_text("ok")""",
]


def _write_tiny(path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(PARAMETERS)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Tiny report\nSome narrative."), params]
    nb.cells += [nbformat.v4.new_code_cell(src) for src in CODE]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return _write_tiny(tmp_path_factory.mktemp("nb") / "tiny.ipynb")


@pytest.fixture(scope="module")
def executed(tiny, tmp_path_factory):
    folder = tmp_path_factory.mktemp("run")
    out = run_notebook(
        tiny,
        folder / "deep" / "tiny.ipynb",
        {"n": 5, "out_dir": folder / "files", "ratio": 2},
        html_path=folder / "tiny.html",
        title="Tiny weekly report",
    )
    return folder, out


class _CodeCellInputs(HTMLParser):
    """Counts input areas and prompts inside code cells of an nbconvert page."""

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []  # per open div: inside a code cell?
        self.code_cells = 0
        self.inputs_in_code_cells = 0

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        inside = bool(self.stack and self.stack[-1])
        if "jp-CodeCell" in classes:
            self.code_cells += 1
            inside = True
        if inside and ({"jp-InputArea", "jp-InputPrompt", "highlight"} & set(classes)):
            self.inputs_in_code_cells += 1
        if tag == "div":
            self.stack.append(inside)

    def handle_endtag(self, tag):
        if tag == "div" and self.stack:
            self.stack.pop()


# --------------------------------------------------------------------------- parameters


def test_notebook_parameters_and_the_required_rule(tiny):
    params = notebook_parameters(tiny)
    assert list(params) == ["n", "out_dir", "label", "ratio", "fail"]
    assert params["n"]["inferred_type_name"] == "int"
    assert params["n"]["default"] == "3"
    assert params["n"]["help"] == "number of rows"
    # papermill's own parser drops "str | None"; ours keeps it
    assert params["label"]["inferred_type_name"] == "str | None"
    required = {name for name, p in params.items() if p["required"]}
    assert required == {"out_dir"}  # default None and a type that does not admit None


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"out_dir": "x", "nn": 3}, "unknown parameter(s) nn"),
        ({"n": 3}, "required parameter(s) not given: out_dir"),
        ({"out_dir": "x", "n": "3"}, "parameter n expects int, got str"),
        ({"out_dir": "x", "fail": 1}, "parameter fail expects bool"),
        ({"out_dir": "x", "n": True}, "parameter n expects int, got bool"),
    ],
)
def test_bad_parameters_raise_before_any_execution(
    tiny, tmp_path, monkeypatch, parameters, message
):
    import papermill

    def no_run(*args, **kwargs):  # pragma: no cover - must not be reached
        raise AssertionError("papermill was called")

    monkeypatch.setattr(papermill, "execute_notebook", no_run)
    with pytest.raises(InputError, match=re.escape(message)):
        run_notebook(tiny, tmp_path / "out.ipynb", parameters)
    assert not (tmp_path / "out.ipynb").exists()


def test_check_parameters_is_the_check_of_run_notebook(tiny, tmp_path):
    checked = check_parameters(tiny, {"out_dir": tmp_path / "files", "ratio": 2, "label": None})
    assert checked == {"out_dir": str(tmp_path / "files"), "ratio": 2, "label": None}
    assert isinstance(checked["out_dir"], str)  # a Path arrives as an absolute string
    with pytest.raises(InputError, match=re.escape("parameter ratio expects float, got str")):
        check_parameters(str(tiny), {"out_dir": "x", "ratio": "0.5"})


def test_papermill_unknown_parameter_warning_is_dropped_during_the_call_only(
    tiny, tmp_path, monkeypatch, caplog
):
    """Papermill misreads ``label: str | None`` and warns; run_notebook has checked the names."""
    import logging

    import papermill

    logger = logging.getLogger("papermill")

    def fake_run(*args, **kwargs):
        logger.warning("Passed unknown parameter: label")
        logger.warning("Input notebook does not contain a cell with tag 'parameters'")

    monkeypatch.setattr(papermill, "execute_notebook", fake_run)
    with caplog.at_level(logging.WARNING, logger="papermill"):
        run_notebook(tiny, tmp_path / "out.ipynb", {"out_dir": "x", "label": "a"})
        messages = [r.getMessage() for r in caplog.records]
        assert messages == ["Input notebook does not contain a cell with tag 'parameters'"]
        caplog.clear()
        logger.warning("Passed unknown parameter: label")  # after the call: not filtered
        assert [r.getMessage() for r in caplog.records] == ["Passed unknown parameter: label"]
    assert not logger.filters


def test_unknown_kernel_and_missing_notebook_are_input_errors(tiny, tmp_path):
    with pytest.raises(InputError, match="no Jupyter kernel named 'no-such-kernel'"):
        run_notebook(tiny, tmp_path / "o.ipynb", {"out_dir": "x"}, kernel_name="no-such-kernel")
    with pytest.raises(InputError, match="does not exist"):
        run_notebook(tmp_path / "missing.ipynb", tmp_path / "o.ipynb")


# --------------------------------------------------------------------------- running


def test_run_notebook_writes_what_the_notebook_computes(executed):
    folder, out = executed
    assert out == folder / "deep" / "tiny.ipynb"
    table = pd.read_csv(folder / "files" / "table.csv")
    assert table["i"].tolist() == [0, 1, 2, 3, 4]  # n = 5
    assert table["x"].tolist() == [0, 2, 4, 6, 8]  # ratio = 2 (int accepted for float)
    assert (folder / "files" / "done.txt").read_text() == "ok"
    nb = nbformat.read(out, as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    # a Path parameter arrives as an absolute string
    assert f'out_dir = "{folder / "files"}"' in injected[0].source
    assert nb.metadata["kernelspec"]["name"] == "python3"
    stdout = "".join(
        o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
    )
    assert "label is None" in stdout


def test_html_has_no_code_cells_and_embeds_the_figure(executed):
    folder, _ = executed
    html = (folder / "tiny.html").read_text(encoding="utf-8")
    parser = _CodeCellInputs()
    parser.feed(html)
    assert parser.code_cells >= 3
    assert parser.inputs_in_code_cells == 0
    assert MARKER not in html and "plt.subplots" not in html
    assert "Some narrative." in html  # markdown stays
    assert re.search(r'<img[^>]+src="data:image/png;base64,', html)
    assert "<title>Tiny weekly report</title>" in html
    assert not re.search(r'<script[^>]+src="http', html)  # self-contained: nothing fetched


def test_failing_cell_names_notebook_and_cell_and_keeps_partial_notebook(tiny, tmp_path):
    out = tmp_path / "failed.ipynb"
    with pytest.raises(NotebookError) as info:
        run_notebook(tiny, out, {"out_dir": tmp_path / "files", "fail": True})
    message = str(info.value)
    assert "tiny.ipynb" in message
    assert "cell 5" in message  # markdown, parameters, 3 code cells: the 5th of the input notebook
    assert "(if fail:)" in message
    assert message.rstrip().split("; ")[0].endswith("ValueError: boom: the data is wrong")
    assert info.value.cell == 5 and info.value.output_path == out
    assert out.exists()  # partial notebook kept for diagnosis
    nb = nbformat.read(out, as_version=4)
    assert any(o.get("ename") == "ValueError" for c in nb.cells for o in c.get("outputs", []))
    assert (tmp_path / "files" / "table.csv").exists()  # earlier cells ran
    assert not (tmp_path / "files" / "done.txt").exists()


# --------------------------------------------------------------------------- stripping


def test_strip_outputs_keeps_the_interface_and_kernelspec(executed, tmp_path):
    _, out = executed
    copy = tmp_path / "copy.ipynb"
    copy.write_text(out.read_text(encoding="utf-8"), encoding="utf-8")
    assert notebook_has_outputs(copy)
    assert strip_outputs(copy) is True
    assert not notebook_has_outputs(copy)
    assert strip_outputs(copy) is False  # idempotent, file untouched
    nb = nbformat.read(copy, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert "papermill" not in nb.metadata
    tags = [t for c in nb.cells for t in c.metadata.get("tags", [])]
    assert "parameters" in tags and "injected-parameters" not in tags
    assert [c.source for c in nb.cells][1:] == [PARAMETERS, *CODE]


def test_export_html_title_defaults_to_the_stem(executed, tmp_path):
    _, out = executed
    html = export_html(out, tmp_path / "x" / "page.html").read_text(encoding="utf-8")
    assert "<title>tiny</title>" in html


# --------------------------------------------------------------------------- formatting


NNBSP, NBSP = "\u202f", "\u00a0"


def _plain(values) -> list[str]:
    return [v.replace("\u202f", " ").replace("\u00a0", " ") for v in values]


def test_headline_table_formats_the_french_way():
    t = headline_table(
        {"Outstanding": 1234567.89, "Claims": 12345, "CEI": 0.6154, "DSO": 54.3, "Note": "ok"},
        kinds={"CEI": "pct", "DSO": "days"},
    )
    assert t.columns.tolist() == ["figure", "value"]
    assert _plain(t["value"]) == ["1 234 568 €", "12 345", "61,5 %", "54 jours", "ok"]
    assert _plain(headline_table({"Missing": None}, kinds={"Missing": "eur"})["value"]) == ["–"]
    with pytest.raises(ValueError, match="unknown kind"):
        headline_table({"x": 1}, kinds={"x": "furlongs"})


def test_format_table_only_touches_the_named_columns():
    t = pd.DataFrame({"paid_eur": [-1500.5, 0.4], "rate": [0.5, 1.0], "n": [1000, 2]})
    out = format_table(t, pct=["rate"], counts=["n"])
    assert _plain(out["paid_eur"]) == ["-1 500 €", "0 €"]
    assert _plain(out["rate"]) == ["50,0 %", "100,0 %"]
    assert _plain(out["n"]) == ["1 000", "2"]
    assert t["paid_eur"].tolist() == [-1500.5, 0.4]  # input untouched
    assert format_eur(1234.5, decimals=2).replace("\u202f", " ") == "1 234,50\u00a0€"


# --------------------------------------------------------------------------- notebook 01

DEBTORS = """debtor_id;debtor_type;name;phone;email
D1;B2B;Dupont Plomberie SARL;0601020304;compta@dupont-plomberie.fr
D2;B2C;Jeanne Martin;0699887766;jeanne.martin@example.org
D3;B2B;Boulangerie Leroy;;
"""
CLAIMS = """claim_id;debtor_id;invoice_date;due_date;amount;disputed
F1;D1;10/01/2026;09/02/2026;1000,00;non
F2;D1;15/02/2026;17/03/2026;600,00;non
F3;D2;01/03/2026;31/03/2026;300,00;oui
F4;D2;20/01/2026;31/01/2026;200,00;non
F5;D3;01/05/2026;31/05/2026;450,00;non
F6;D3;15/06/2026;15/07/2026;80,00;non
F7;D3;01/04/2026;31/02/2026;99,00;non
"""
EVENTS = """claim_id;date;type;amount;promise_date
F1;20/02/2026;payment;400;
F1;05/03/2026;payment;600;
F2;20/02/2026;credit_note;100;
F2;10/06/2026;promise_to_pay;500;10/07/2026
F4;10/03/2026;write_off;;
F5;15/06/2026;payment;150;
F5;20/07/2026;payment;300;
"""


def test_explore_notebook_on_a_tiny_portfolio(tmp_path):
    from recovery_analytics.portfolio import read_portfolio
    from recovery_analytics.state import concentration, dso_cei, portfolio_state

    src = tmp_path / "portfolio"
    src.mkdir()
    for name, text in {"debtors": DEBTORS, "claims": CLAIMS, "events": EVENTS}.items():
        (src / f"{name}.csv").write_text(text, encoding="utf-8")
    out_dir = tmp_path / "reports"
    run_notebook(
        EXPLORE,
        tmp_path / "run" / "01_explore_portfolio.ipynb",
        {"portfolio": src, "as_of": "2026-06-30", "out_dir": out_dir, "top": 2},
        html_path=tmp_path / "run" / "01_explore_portfolio.html",
    )
    p = read_portfolio(src)
    state = portfolio_state(p, "2026-06-30")
    open_ = state.loc[state["is_open"]]
    summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
    # open at 06-30: F2 500 (credited 100, promise pending), F3 300, F5 300 (150 paid), F6 80
    assert summary["open_outstanding_eur"] == pytest.approx(open_["outstanding_eur"].sum())
    assert summary["open_outstanding_eur"] == pytest.approx(1180.0)
    assert summary["overdue_outstanding_eur"] == pytest.approx(1100.0)  # F6 not yet due
    assert summary["open_claims"] == 4
    assert summary["quarantined_rows"] == len(p.quarantine) >= 1  # F7: 31/02 is not a date
    trend = dso_cei(p, as_of="2026-06-30")
    assert summary["dso_days"] == pytest.approx(trend["dso_days"].iloc[-1])
    written = pd.read_csv(out_dir / "dso_cei.csv")
    assert written["ar_end_eur"].tolist() == pytest.approx(trend["ar_end_eur"].tolist())
    top = pd.read_csv(out_dir / "top_debtors.csv", dtype={"debtor_id": "str"})
    expected = concentration(state, top=2)
    # D1 500 (F2), D3 380 (F5 300 + F6 80), D2 300 (F3)
    assert top["debtor_id"].tolist() == expected["debtor_id"].tolist() == ["D1", "D3"]
    assert top["outstanding_eur"].tolist() == pytest.approx([500.0, 380.0])
    for name in ("aged_balance", "pareto", "recovery_curves_by_age", "dso_cei"):
        assert (out_dir / f"{name}.png").stat().st_size > 1000
    html = (tmp_path / "run" / "01_explore_portfolio.html").read_text(encoding="utf-8")
    for personal in ("Dupont", "Jeanne", "Martin", "0601020304", "0699887766", "@example.org"):
        assert personal not in html
    assert "read_portfolio" not in html  # no code
    assert not _INDEX_CELLS.search(html)  # no pandas index in front of a table
    assert "Encours échu" in html and "Retard max. (jours)" in html  # French headers


# --------------------------------------------------------------------------- display helpers

_INDEX_CELLS = re.compile(r"<tbody>\s*<tr>\s*<th")  # a pandas index printed as a first column


def test_display_table_has_french_headers_numbers_and_no_index():
    t = pd.DataFrame(
        {
            "claim_id": ["F1", "F2"],
            "outstanding_eur": [1234.5, np.nan],
            "share_of_segment": [0.125, 1.0],
            "recommended_route": ["injonction_de_payer", None],
            "claims": [12345, 2],
            "days_past_due": [45.4, 400.0],
            "due_date": pd.to_datetime(["2026-06-30", None]),
            "note": ["<b>x</b>", "ok"],
        }
    )
    styler = reports.display_table(t, labels={"note": "Remarque"}, decimals={"share_of_segment": 0})
    shown = styler.data
    assert shown.columns.tolist() == [
        "Créance",
        "Encours",
        "Part du segment",
        "Route recommandée",
        "Créances",
        "Jours de retard",
        "Échéance",
        "Remarque",
    ]
    assert shown.index.tolist() == [0, 1]
    assert _plain(shown.iloc[0]) == [
        "F1",
        "1 234 €",  # 1234.5 rounds half to even
        "12 %",
        "injonction de payer",
        "12 345",
        "45",
        "30/06/2026",
        "<b>x</b>",
    ]
    assert _plain(shown.iloc[1]) == ["F2", "–", "100 %", "–", "2", "400", "–", "ok"]
    page = styler.to_html()
    assert not _INDEX_CELLS.search(page) and "row_heading" not in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "<b>x</b>" not in page  # text is escaped
    # text columns left-aligned, each rule scoped to this table's id
    uuid = styler.uuid
    assert f"#T_{uuid} td.col0" in page and f"#T_{uuid} td.col7" in page
    assert f"#T_{uuid} td.col1" not in page  # euros stay right-aligned
    assert t["outstanding_eur"].iloc[0] == 1234.5  # input untouched


def test_display_table_columns_overrides_and_repeated_headers():
    t = pd.DataFrame({"route": ["agency"], "route_fr": ["agence"], "n": [0.5], "x": [1.0]})
    shown = reports.display_table(t, columns=["route", "n", "x"], pct=["n"], eur=["x"]).data
    assert _plain(shown.iloc[0]) == ["agence de recouvrement", "50,0 %", "1 €"]
    with pytest.raises(ValueError, match="several columns would be shown as"):
        reports.display_table(t)  # route and route_fr are both "Route"
    with pytest.raises(KeyError, match="missing_column"):
        reports.display_table(t, columns=["missing_column"])


def test_headline_cards_show_every_figure_and_mark_only_non_zero_alerts():
    cards = reports.headline_cards(
        {"Encours": 1234567.0, "Alertes": 3, "Hors délai": 0, "Note": "<script>"},
        alerts=["Alertes", "Hors délai"],
    )
    page = cards._repr_html_()
    assert cards.data.equals(
        headline_table({"Encours": 1234567.0, "Alertes": 3, "Hors délai": 0, "Note": "<script>"})
    )
    assert page.count('"ra-card-value"') == 4
    assert page.count("ra-card ra-alert") == 1  # 3 alerts marked, 0 late not
    assert "&lt;script&gt;" in page and "<script>" not in page
    assert f"1{NNBSP}234{NNBSP}567{NBSP}€" in page
    assert headline_table({"Date": pd.Timestamp("2026-07-14")})["value"].tolist() == ["14/07/2026"]


def test_save_figure_writes_closes_and_accepts_axes(tmp_path):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([0, 1], [0, 1])
    path = reports.save_figure(ax, tmp_path / "deep", "line", show=False)
    assert path == tmp_path / "deep" / "line.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not plt.fignum_exists(fig.number)
