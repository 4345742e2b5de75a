"""Notebooks are committed stripped, with a kernelspec and a clean ``parameters`` interface.

Fix a failure with ``make strip`` (``recovery_analytics.reports.strip_outputs``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from recovery_analytics.reports import notebook_has_outputs, notebook_parameters

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebook found under notebooks/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stripped_and_has_a_kernelspec(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert not notebook_has_outputs(path), f"{path.name} has outputs: run `make strip`"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.execution_count is None
            assert cell.outputs == []
        assert "injected-parameters" not in cell.metadata.get("tags", [])
    assert "papermill" not in nb.metadata
    kernelspec = nb.metadata.get("kernelspec", {})
    assert kernelspec.get("name") == "python3"
    assert kernelspec.get("display_name")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_cell_holds_typed_commented_literals_only(path):
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1, f"{path.name} needs exactly one cell tagged 'parameters'"
    for node in ast.parse(cells[0].source).body:
        assert isinstance(node, ast.AnnAssign) and node.value is not None, (
            f"{path.name}: only `name: type = literal  # help` lines in the parameters cell"
        )
        ast.literal_eval(node.value)  # a literal, not a computation
    params = notebook_parameters(path)
    assert params
    for name, p in params.items():
        assert p["help"], f"{path.name}: parameter {name} has no comment"
