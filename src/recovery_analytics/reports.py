"""Run parameterised notebooks with papermill and export them as HTML reports.

Everything runs in-process (papermill and nbconvert are imported, never
launched as commands): a notebook costs its kernel start (~1 s) plus its own
work, and an HTML export costs milliseconds.

The ``parameters`` cell of a notebook is an interface. :func:`run_notebook`
checks what it is given against that cell *before* starting a kernel:

* an unknown name raises :class:`~recovery_analytics.schema.InputError`
  (papermill itself only logs a warning);
* a **required** parameter that is not passed raises ``InputError``. A
  parameter is required when its default is ``None`` and its annotation does
  not admit ``None``: ``model_dir: str = None  # required`` must be passed,
  ``mapping: str | None = None  # optional`` need not be. An unannotated
  ``x = None`` is required too;
* a value whose type contradicts a simple annotation (``str``, ``int``,
  ``float``, ``bool``, ``None``, ``list``, ``dict`` and unions of them) raises
  ``InputError``; an ``int`` is accepted for ``float`` and a ``pathlib.Path`` for ``str``
  (it is passed as an absolute path string).

The same check is public as :func:`check_parameters`, so that a job running
several notebooks can check them all before the first one starts. Since names
are checked here, papermill's own "Passed unknown parameter" warning (its
regular expression misreads annotations such as ``str | None``) is dropped
during :func:`run_notebook`, and only then.

What a notebook shows goes through the display helpers defined in
:mod:`recovery_analytics._report_tables` and re-exported here:
:func:`display_table` (a table without index, French headers, French
numbers), :func:`headline_cards` / :func:`headline_table` (headline figures)
and :func:`save_figure` (write a figure's PNG, close it, show that PNG).
"""

from __future__ import annotations

import ast
import contextlib
import io
import logging
import os
import tokenize
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recovery_analytics._report_tables import (
    HtmlBlock,
    display_table,
    format_table,
    headline_cards,
    headline_table,
    save_figure,
)
from recovery_analytics.plots import format_eur as _format_eur  # noqa: F401 (one writing)
from recovery_analytics.schema import InputError

if TYPE_CHECKING:
    import nbformat

__all__ = [
    "HtmlBlock",
    "NotebookError",
    "check_parameters",
    "display_table",
    "export_html",
    "format_table",
    "headline_cards",
    "headline_table",
    "notebook_has_outputs",
    "notebook_parameters",
    "run_notebook",
    "save_figure",
    "strip_outputs",
]


class NotebookError(RuntimeError):
    """A notebook failed while running.

    The message names the notebook, the failing cell (its position in the
    notebook and its first source line) and the last line of the exception.
    The partially executed notebook is kept at :attr:`output_path`.
    """

    def __init__(self, message: str, *, notebook: Path, output_path: Path, cell: int | None = None):
        super().__init__(message)
        self.notebook = notebook
        self.output_path = output_path
        self.cell = cell


# --------------------------------------------------------------------------- parameters


def _parameters_cell(nb: nbformat.NotebookNode) -> tuple[int, str] | None:
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            return i, cell.source
    return None


def _comments_by_line(source: str) -> dict[int, str]:
    out: dict[int, str] = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            out[tok.start[0]] = tok.string.lstrip("#").strip()
    return out


def notebook_parameters(path: str | os.PathLike[str]) -> dict[str, dict[str, Any]]:
    """The parameters declared in a notebook's ``parameters`` cell.

    Same shape as :func:`papermill.inspect_notebook` (``name``,
    ``inferred_type_name``, ``default``, ``help``, all strings), but parsed
    with :mod:`ast` so that ``str | None`` annotations and multi-line literals
    are understood (papermill's regular expression silently drops them). A
    ``required`` flag is added (see the module docstring for the rule).

    Parameters
    ----------
    path : path-like
        The notebook (``.ipynb``).

    Returns
    -------
    dict
        ``name -> {"name", "inferred_type_name", "default", "help", "required"}``
        in the order of the cell; empty if the notebook has no ``parameters`` cell.

    Examples
    --------
    >>> import nbformat, tempfile, pathlib
    >>> nb = nbformat.v4.new_notebook()
    >>> cell = nbformat.v4.new_code_cell('as_of: str = "2026-06-30"  # ISO date')
    >>> cell.metadata["tags"] = ["parameters"]
    >>> nb.cells = [cell]
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "nb.ipynb"
    >>> nbformat.write(nb, path)
    >>> notebook_parameters(path)["as_of"]["default"]
    '"2026-06-30"'
    """
    import nbformat

    path = Path(path)
    if not path.is_file():
        raise InputError(f"notebook {path} does not exist")
    nb = nbformat.read(path, as_version=4)
    found = _parameters_cell(nb)
    if found is None:
        return {}
    _, source = found
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise InputError(f"{path.name}: the parameters cell is not valid Python: {exc}") from exc
    comments = _comments_by_line(source)
    params: dict[str, dict[str, Any]] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names, annotation = [node.target.id], ast.unparse(node.annotation)
        elif isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) for t in node.targets):
            names, annotation = [t.id for t in node.targets], "None"
        else:
            continue
        value = node.value
        default = ast.get_source_segment(source, value) if value is not None else "None"
        help_ = comments.get(node.end_lineno or node.lineno, "")
        for name in names:
            params[name] = {
                "name": name,
                "inferred_type_name": annotation,
                "default": default or "None",
                "help": help_,
                "required": _is_required(annotation, default, isinstance(node, ast.AnnAssign)),
            }
    return params


def _allowed_types(annotation: str) -> tuple[type, ...] | None:
    """Python types an annotation allows, or None if it is not a simple one."""
    simple = {"str": str, "int": int, "float": float, "bool": bool, "None": type(None)}
    simple |= {"list": list, "dict": dict, "tuple": tuple}

    def walk(node: ast.expr) -> tuple[type, ...] | None:
        if isinstance(node, ast.Constant) and node.value is None:
            return (type(None),)
        if isinstance(node, ast.Name) and node.id in simple:
            return (simple[node.id],)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            left, right = walk(node.left), walk(node.right)
            return None if left is None or right is None else left + right
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            if node.value.id == "Optional":
                inner = walk(node.slice)
                return None if inner is None else (*inner, type(None))
            if node.value.id in ("list", "dict", "tuple"):
                return (simple[node.value.id],)
        return None

    try:
        return walk(ast.parse(annotation, mode="eval").body)
    except SyntaxError:
        return None


def _is_required(annotation: str, default: str | None, annotated: bool) -> bool:
    if (default or "None").strip() != "None":
        return False
    if not annotated:
        return True
    allowed = _allowed_types(annotation)
    if allowed is None:  # e.g. Any, or an unknown class: None may be meaningful
        return "None" not in annotation and "Optional" not in annotation
    return type(None) not in allowed


def check_parameters(
    notebook: str | os.PathLike[str], parameters: Mapping[str, Any]
) -> dict[str, Any]:
    """Check parameters against a notebook's ``parameters`` cell, without running it.

    The rules are those of the module docstring: unknown names, missing
    required parameters and values contradicting a simple annotation raise.

    Parameters
    ----------
    notebook : path-like
        The notebook (``.ipynb``).
    parameters : mapping
        Name -> value, as they would be given to :func:`run_notebook`.

    Returns
    -------
    dict
        The parameters as papermill will receive them: ``pathlib.Path``
        values (for a ``str`` or unannotated parameter) become absolute path
        strings, the others are unchanged.

    Raises
    ------
    InputError
        A missing notebook, an unknown or missing name, a value of the wrong type.

    Examples
    --------
    >>> import nbformat, tempfile, pathlib
    >>> cell = nbformat.v4.new_code_cell("n: int = 3  # rows")
    >>> cell.metadata["tags"] = ["parameters"]
    >>> nb = nbformat.v4.new_notebook(cells=[cell])
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "nb.ipynb"
    >>> nbformat.write(nb, path)
    >>> check_parameters(path, {"n": 5})
    {'n': 5}
    >>> check_parameters(path, {"n": "5"})
    Traceback (most recent call last):
    ...
    recovery_analytics.schema.InputError: nb.ipynb: parameter n expects int, got str '5'
    """
    notebook = Path(notebook)
    declared = notebook_parameters(notebook)
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        known = ", ".join(declared) or "none"
        raise InputError(
            f"{notebook.name}: unknown parameter(s) {', '.join(unknown)} (declared: {known})"
        )
    missing = [n for n, p in declared.items() if p["required"] and n not in parameters]
    if missing:
        raise InputError(f"{notebook.name}: required parameter(s) not given: {', '.join(missing)}")
    checked: dict[str, Any] = {}
    for name, value in parameters.items():
        allowed = _allowed_types(declared[name]["inferred_type_name"])
        if isinstance(value, os.PathLike) and (allowed is None or str in allowed):
            value = os.path.abspath(value)  # the kernel runs in another folder
        if allowed is not None and not _type_ok(value, allowed):
            raise InputError(
                f"{notebook.name}: parameter {name} expects "
                f"{declared[name]['inferred_type_name']}, got {type(value).__name__} {value!r}"
            )
        checked[name] = value
    return checked


def _type_ok(value: Any, allowed: tuple[type, ...]) -> bool:
    if isinstance(value, bool):
        return bool in allowed
    if isinstance(value, int) and float in allowed:
        return True
    return isinstance(value, allowed)


# --------------------------------------------------------------------------- running


def run_notebook(
    notebook: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    parameters: Mapping[str, Any] | None = None,
    *,
    kernel_name: str = "python3",
    cwd: str | os.PathLike[str] | None = None,
    timeout: float | None = None,
    html_path: str | os.PathLike[str] | None = None,
    title: str | None = None,
) -> Path:
    """Execute a parameterised notebook with papermill, in this process.

    Parameters
    ----------
    notebook : path-like
        The notebook to run (it is not modified).
    output_path : path-like
        Where the executed notebook is written (folders are created). On a
        failure the partially executed notebook is still written there.
    parameters : mapping, optional
        Values for the ``parameters`` cell, checked before running (see the
        module docstring): unknown names, missing required ones and values of
        the wrong type raise :class:`~recovery_analytics.schema.InputError`.
    kernel_name : str, default "python3"
        Always passed explicitly. ``"python3"`` is the ipykernel of the
        running interpreter (jupyter_client starts it with
        ``sys.executable``), so no ``ipykernel install`` is needed.
    cwd : path-like, optional
        Working directory of the kernel. Default: the notebook's folder, as
        when it is opened in JupyterLab, so that its default relative paths
        (``../data/sample``) mean the same thing in both. Relative *string*
        parameters are resolved against it; ``pathlib.Path`` parameters are
        made absolute first (so pass paths as ``Path`` or absolute).
    timeout : float, optional
        Maximum seconds per cell (default: no limit).
    html_path : path-like, optional
        Also export the executed notebook to this self-contained HTML file
        without code cells (see :func:`export_html`).
    title : str, optional
        Page title of the HTML (default: the notebook's file stem).

    Returns
    -------
    pathlib.Path
        ``output_path``.

    Raises
    ------
    InputError
        Bad parameters, a missing notebook or an unknown kernel (nothing ran).
    NotebookError
        A cell raised, timed out or the kernel died.

    Examples
    --------
    >>> import nbformat, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells = [nbformat.v4.new_code_cell("x = 1")]
    >>> nbformat.write(nb, folder / "nb.ipynb")
    >>> run_notebook(folder / "nb.ipynb", folder / "out.ipynb", {"y": 2})
    Traceback (most recent call last):
    ...
    recovery_analytics.schema.InputError: nb.ipynb: unknown parameter(s) y (declared: none)
    """
    import papermill
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    notebook, output_path = Path(notebook), Path(output_path)
    checked = check_parameters(notebook, parameters or {})
    try:
        KernelSpecManager().get_kernel_spec(kernel_name)
    except NoSuchKernel as exc:
        known = ", ".join(sorted(KernelSpecManager().find_kernel_specs()))
        raise InputError(f"no Jupyter kernel named {kernel_name!r} (available: {known})") from exc
    output_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with _without_unknown_parameter_warnings():
            papermill.execute_notebook(
                str(notebook),
                str(output_path),
                parameters=checked,
                kernel_name=kernel_name,
                cwd=str(notebook.resolve().parent if cwd is None else cwd),
                execution_timeout=timeout,
                progress_bar=False,
                log_output=False,
                # the kernel's "running over TCP without encryption" banner is noise here
                extra_arguments=["--IPKernelApp.log_level=ERROR"],
            )
    except papermill.PapermillExecutionError as exc:
        raise _cell_error(notebook, output_path, exc) from exc
    except Exception as exc:  # timeouts, a dead kernel: nbclient's own exceptions
        if type(exc).__module__.split(".")[0] not in ("nbclient", "jupyter_client"):
            raise
        first = (str(exc).strip().splitlines() or [""])[0]
        cell_no, line = _running_cell(notebook, output_path)
        where = f" at cell {cell_no} ({line})" if cell_no else ""
        raise NotebookError(
            f"notebook {notebook.name} did not finish{where}: {type(exc).__name__}: {first}; "
            f"partially executed notebook kept at {output_path}",
            notebook=notebook,
            output_path=output_path,
            cell=cell_no,
        ) from exc
    if html_path is not None:
        export_html(output_path, html_path, title=title)
    return output_path


class _DropUnknownParameter(logging.Filter):
    """Drops papermill's "Passed unknown parameter" records (names are checked here)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Passed unknown parameter")


@contextlib.contextmanager
def _without_unknown_parameter_warnings() -> Iterator[None]:
    """Papermill's misreading of ``str | None`` annotations is silenced for one call."""
    logger, drop = logging.getLogger("papermill"), _DropUnknownParameter()
    logger.addFilter(drop)
    try:
        yield
    finally:
        logger.removeFilter(drop)


def _running_cell(notebook: Path, output_path: Path) -> tuple[int | None, str]:
    """The cell that was running when the kernel died or the timeout hit."""
    import nbformat

    try:
        executed = nbformat.read(output_path, as_version=4)
        ids = [c.get("id") for c in nbformat.read(notebook, as_version=4).cells]
    except Exception:
        return None, ""
    started = [c for c in executed.cells if c.metadata.get("papermill", {}).get("start_time")]
    if not started or started[-1].get("id") not in ids:
        return None, ""
    cell = started[-1]  # the last cell that started is the one that never finished
    first = next((ln.strip() for ln in cell.source.splitlines() if ln.strip()), "")
    return ids.index(cell.get("id")) + 1, first[:80]


def _cell_error(notebook: Path, output_path: Path, exc: Any) -> NotebookError:
    """Name the failing cell by its 1-based position in the *input* notebook."""
    import nbformat

    source = exc.source or ""
    cell_no = None
    try:
        executed = nbformat.read(output_path, as_version=4)
        original = nbformat.read(notebook, as_version=4)
        cell_id = next(
            (
                c.get("id")
                for c in executed.cells
                if c.cell_type == "code"
                and c.source == source
                and c.get("execution_count") == exc.exec_count
            ),
            None,
        )
        ids = [c.get("id") for c in original.cells]
        if cell_id in ids:
            cell_no = ids.index(cell_id) + 1
    except Exception:  # the diagnosis must never hide the error itself
        cell_no = None
    first = next((line.strip() for line in source.splitlines() if line.strip()), "")
    where = f"cell {cell_no}" if cell_no is not None else f"cell In [{exc.exec_count}]"
    message = f"notebook {notebook.name} failed at {where}"
    if first:
        message += f" ({first[:80]})"
    message += f": {exc.ename}: {(str(exc.evalue).strip().splitlines() or [''])[-1]}"
    message += f"; partially executed notebook kept at {output_path}"
    return NotebookError(message, notebook=notebook, output_path=output_path, cell=cell_no)


# --------------------------------------------------------------------------- HTML

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
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(body, encoding="utf-8")
    return html_path


# --------------------------------------------------------------------------- stripping

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
    path.write_text(after, encoding="utf-8")
    return True
