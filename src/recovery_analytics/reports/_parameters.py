"""The ``parameters`` cell as an interface: read it, and check given values against it."""

from __future__ import annotations

import ast
import io
import os
import tokenize
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recovery_analytics.portfolio import InputError

if TYPE_CHECKING:
    import nbformat

__all__ = [
    "check_parameters",
    "notebook_parameters",
]


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
    recovery_analytics.portfolio.InputError: nb.ipynb: parameter n expects int, got str '5'
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
