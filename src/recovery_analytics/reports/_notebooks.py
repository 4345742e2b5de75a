"""Run parameterised notebooks with papermill and export them as HTML reports.

Everything runs in-process (papermill and nbconvert are imported, never
launched as commands): a notebook costs its kernel start (~1 s) plus its own
work, and an HTML export costs milliseconds.

The ``parameters`` cell of a notebook is an interface. :func:`run_notebook`
checks what it is given against that cell *before* starting a kernel:

* an unknown name raises :class:`~recovery_analytics.portfolio.InputError`
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

The same check is public as :func:`~recovery_analytics.reports.check_parameters`,
so that a job running several notebooks can check them all before the first one starts. Since names
are checked here, papermill's own "Passed unknown parameter" warning (its
regular expression misreads annotations such as ``str | None``) is dropped
during :func:`run_notebook`, and only then.

"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from recovery_analytics.portfolio import InputError
from recovery_analytics.reports._html import export_html
from recovery_analytics.reports._parameters import check_parameters

__all__ = ["NotebookError", "run_notebook"]


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
        the wrong type raise :class:`~recovery_analytics.portfolio.InputError`.
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
    recovery_analytics.portfolio.InputError: nb.ipynb: unknown parameter(s) y (declared: none)
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
                # the kernel's own log is noise here: its "running over TCP without
                # encryption" banner, and on Ctrl-C (the kernel gets the SIGINT too) a
                # traceback about its closed sockets; cell errors come through the
                # protocol, not this log
                extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
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


# --------------------------------------------------------------------------- stripping
