"""Executed notebooks as self-contained HTML without code; notebooks stripped of outputs."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "export_html",
    "notebook_has_outputs",
    "strip_outputs",
]


_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""


def export_html(
    executed_notebook_path: str | os.PathLike[str],
    html_path: str | os.PathLike[str],
    *,
    title: str | None = None,
) -> Path:
    """Write a self-contained HTML report of an executed notebook, without code.

    Code cells and prompts are left out (markdown and outputs stay), figures
    are embedded as base64 PNG and the CSS is inlined; no script is loaded
    from the network (no require.js, MathJax or mermaid).

    Parameters
    ----------
    executed_notebook_path : path-like
        An executed notebook (e.g. the output of :func:`run_notebook`).
    html_path : path-like
        The HTML file to write (folders are created).
    title : str, optional
        Page title; default: the notebook's file stem.

    Returns
    -------
    pathlib.Path
        ``html_path``.

    Examples
    --------
    >>> import nbformat, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells = [nbformat.v4.new_markdown_cell("# Weekly report")]
    >>> nbformat.write(nb, folder / "nb.ipynb")
    >>> html = export_html(folder / "nb.ipynb", folder / "nb.html", title="Week 26")
    >>> "<title>Week 26</title>" in html.read_text(encoding="utf-8")
    True
    """
    import nbformat
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    src, html_path = Path(executed_notebook_path), Path(html_path)
    nb = nbformat.read(src, as_version=4)
    nb.metadata.pop("title", None)  # our title wins
    exporter = HTMLExporter(
        extra_loaders=[DictLoader({"recovery_report.html.j2": _TEMPLATE})],
        template_file="recovery_report.html.j2",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title or src.stem}})
    from recovery_analytics.portfolio import write_text_atomic

    write_text_atomic(html_path, body)  # a full disk leaves no truncated report
    return html_path


_RUN_CELL_METADATA = ("execution", "papermill", "collapsed", "scrolled")


def notebook_has_outputs(path: str | os.PathLike[str]) -> bool:
    """Whether any code cell of a notebook has outputs or an execution count.

    Examples
    --------
    >>> import nbformat, tempfile, pathlib
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells = [nbformat.v4.new_code_cell("1 + 1", execution_count=1)]
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "nb.ipynb"
    >>> nbformat.write(nb, path)
    >>> notebook_has_outputs(path)
    True
    """
    import nbformat

    nb = nbformat.read(Path(path), as_version=4)
    return any(
        cell.cell_type == "code"
        and (cell.get("outputs") or cell.get("execution_count") is not None)
        for cell in nb.cells
    )


def strip_outputs(path: str | os.PathLike[str]) -> bool:
    """Remove outputs, execution counts and run metadata from a notebook, in place.

    Kept: every cell's source and tags, ``metadata.kernelspec`` and the
    language name. Removed: outputs, execution counts, papermill's run
    metadata and its ``injected-parameters`` cell, the language version.

    Returns
    -------
    bool
        True if the file changed.

    Examples
    --------
    >>> import nbformat, tempfile, pathlib
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells = [nbformat.v4.new_code_cell("1 + 1", execution_count=1)]
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "nb.ipynb"
    >>> nbformat.write(nb, path)
    >>> strip_outputs(path), notebook_has_outputs(path), strip_outputs(path)
    (True, False, False)
    """
    import nbformat

    path = Path(path)
    before = path.read_text(encoding="utf-8")
    nb = nbformat.reads(before, as_version=4)
    cells = []
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            continue
        for key in _RUN_CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    if "language_info" in nb.metadata:
        nb.metadata["language_info"] = {"name": nb.metadata["language_info"].get("name", "python")}
    after = nbformat.writes(nb) + "\n"
    if after == before:
        return False
    from recovery_analytics.portfolio import write_text_atomic

    write_text_atomic(path, after)
    return True
