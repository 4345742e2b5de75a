"""The export guard: text from the input never becomes a formula in a spreadsheet.

Debtor names, e-mails, phones, ids and free text come from outside. Written
verbatim into a CSV or an ``.xlsx`` opened in Excel or LibreOffice, a value
such as ``=HYPERLINK("http://evil.example","Payer ici")`` or
``=cmd|' /C calc'!A0`` becomes a live formula (OWASP "CSV Injection"). Every
writer of text meant for a spreadsheet (the collectors' call queue, the
quarantine and warnings files, the score and judicial tables) passes its
frames through :class:`ExportGuard`:

- a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return (or their full-width forms ``＝ ＋ － ＠``) is written as text: in a
  CSV with a leading apostrophe (``'=HYPERLINK(...)``), in an ``.xlsx`` as a
  string cell (never a formula) carrying Excel's "quote prefix" style, its
  text unchanged. Numbers stay numbers: numeric columns are never touched,
  and a text cell that is a plain negative number (``-12,50``, ``-3``) is kept
  as it is (Excel reads it as that number, nothing more);
- control characters that an ``.xlsx`` cannot hold (``\\x00``-``\\x08``,
  ``\\x0b``, ``\\x0c``, ``\\x0e``-``\\x1f``) are replaced by a space, in both
  formats, so that the CSV and the workbook say the same.

The guard counts what it did (``escaped``, ``replaced``) so that commands can
say so. Private module: the names are public from
:mod:`recovery_analytics.portfolio`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from recovery_analytics.portfolio._atomic import atomic_path

__all__ = ["FORMULA_PREFIXES", "ExportGuard", "write_csv", "write_xlsx"]

#: First characters that make a spreadsheet read a cell as a formula (OWASP list + full-width).
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

#: Control characters an .xlsx cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE).
_ILLEGAL = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"
_PREFIX_RE = "^[" + re.escape("".join(FORMULA_PREFIXES)) + "]"
#: A plain negative number written as text: kept (it is a number, not a formula).
_NEGATIVE_NUMBER = r"^-\d+(?:[.,]\d+)?$"
_TARGETS = ("csv", "xlsx")


def _risky(value: object) -> bool:
    """True for a text that a spreadsheet would read as a formula."""
    return (
        isinstance(value, str)
        and re.match(_PREFIX_RE, value) is not None
        and re.fullmatch(_NEGATIVE_NUMBER, value) is None
    )


@dataclass
class ExportGuard:
    """Escape formula-like text and illegal control characters before writing a spreadsheet.

    One guard may serve several files; its counters add up.

    Attributes
    ----------
    escaped : int
        Text cells written as text because they started like a formula.
    replaced : int
        Control characters replaced by a space.

    Examples
    --------
    >>> g = ExportGuard()
    >>> df = pd.DataFrame({"name": ['=HYPERLINK("http://evil.example","Payer ici")',
    ...                             "Dupont\\x0bMarie", "-12,50", "+33 6 12 34 56 78"],
    ...                    "amount": [-1.0, 2.0, 3.0, 4.0]})
    >>> g.frame(df, "csv")["name"].tolist()
    ['\\'=HYPERLINK("http://evil.example","Payer ici")', 'Dupont Marie', '-12,50', "'+33 6 12 34 56 78"]
    >>> g.frame(df, "xlsx")["name"].tolist()[0]
    '=HYPERLINK("http://evil.example","Payer ici")'
    >>> g.escaped, g.replaced
    (4, 2)
    >>> g.message()
    '4 cell(s) starting like a formula (= + - @) written as text; 2 control character(s) replaced by a space'
    """  # noqa: E501

    escaped: int = 0
    replaced: int = 0

    def text(self, values: pd.Series, target: str = "csv") -> pd.Series:
        """Guard one column of text (missing values stay missing).

        ``target="csv"`` prefixes formula-like values with an apostrophe;
        ``target="xlsx"`` leaves their text as is (the workbook writer makes
        them string cells, see :meth:`workbook`) but still counts them.
        """
        if target not in _TARGETS:
            raise ValueError(f"target must be 'csv' or 'xlsx', not {target!r}")
        s = values.astype("object")
        arr = s.to_numpy(dtype=object)
        present = np.fromiter((isinstance(v, str) for v in arr), dtype=bool, count=len(arr))
        if not present.any():
            return values
        text = pd.Series(arr[present], dtype="str")
        n_illegal = int(text.str.count(_ILLEGAL).sum())
        if n_illegal:
            self.replaced += n_illegal
            text = text.str.replace(_ILLEGAL, " ", regex=True)
        risky = (
            text.str.contains(_PREFIX_RE, regex=True) & ~text.str.fullmatch(_NEGATIVE_NUMBER)
        ).to_numpy(dtype=bool)
        self.escaped += int(risky.sum())
        if target == "csv" and risky.any():
            text = text.mask(risky, "'" + text)
        arr = arr.copy()
        arr[present] = text.to_numpy(dtype=object)
        return pd.Series(arr, index=values.index, name=values.name, dtype="object")

    def frame(self, df: pd.DataFrame, target: str = "csv") -> pd.DataFrame:
        """A copy of ``df`` with its text columns and its header guarded.

        Numeric, boolean and date columns are left as they are.
        """
        out = df.copy()
        for i in range(df.shape[1]):
            s = df.iloc[:, i]
            if s.dtype.kind in "biufcmM":
                continue
            out.isetitem(i, self.text(s, target))
        header = self.text(pd.Series(list(map(str, df.columns)), dtype="object"), target)
        out.columns = list(header)
        return out

    def cell(self, value: Any, target: str = "csv") -> Any:
        """Guard one value (non-text values are returned unchanged)."""
        if not isinstance(value, str):
            return value
        return self.text(pd.Series([value], dtype="object"), target).iloc[0]

    def workbook(self, wb: Any) -> Any:
        """Make every formula cell of an openpyxl workbook a string cell, in place.

        openpyxl stores any ``str`` starting with ``=`` as a formula: this turns
        such cells back into text (with the quote-prefix style, so that Excel
        keeps them as text when the cell is edited); text cells starting with
        ``+ - @`` get the quote-prefix style too. Fill the workbook with
        :meth:`frame` output (``target="xlsx"``) first: that is where cells are
        counted and control characters replaced (openpyxl refuses them).
        """
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f" and isinstance(cell.value, str):
                        cell.data_type = "s"
                        cell.quotePrefix = True
                    elif cell.data_type == "s" and _risky(cell.value):
                        cell.quotePrefix = True
        return wb

    def message(self) -> str:
        """What the guard did, in one sentence ("" when nothing)."""
        parts = []
        if self.escaped:
            parts.append(
                f"{self.escaped} cell(s) starting like a formula (= + - @) written as text"
            )
        if self.replaced:
            parts.append(f"{self.replaced} control character(s) replaced by a space")
        return "; ".join(parts)


def write_csv(
    df: pd.DataFrame, path: str | os.PathLike[str], *, guard: ExportGuard | None = None, **options
) -> Path:
    """Write ``df`` as CSV through the guard and :func:`atomic_path`.

    ``options`` go to :meth:`pandas.DataFrame.to_csv` (``index=False`` by default).

    Examples
    --------
    >>> import tempfile
    >>> p = write_csv(pd.DataFrame({"name": ["@SUM(1)"]}), Path(tempfile.mkdtemp()) / "x.csv")
    >>> p.read_text()
    "name\\n'@SUM(1)\\n"
    """
    guard = ExportGuard() if guard is None else guard
    options.setdefault("index", False)
    path = Path(path)
    with atomic_path(path) as tmp:
        guard.frame(df, "csv").to_csv(tmp, **options)
    return path


def write_xlsx(
    df: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    guard: ExportGuard | None = None,
    sheet_name: str = "Sheet1",
) -> Path:
    """Write ``df`` as a one-sheet ``.xlsx`` whose text cells are never formulas.

    Examples
    --------
    >>> import tempfile
    >>> from openpyxl import load_workbook
    >>> p = write_xlsx(pd.DataFrame({"name": ["=1+1"]}), Path(tempfile.mkdtemp()) / "x.xlsx")
    >>> cell = load_workbook(p)["Sheet1"]["A2"]
    >>> cell.value, cell.data_type
    ('=1+1', 's')
    """
    guard = ExportGuard() if guard is None else guard
    path = Path(path)
    # the writer closes (writes the file) before atomic_path renames it
    with atomic_path(path) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        guard.frame(df, "xlsx").to_excel(writer, index=False, sheet_name=sheet_name)
        guard.workbook(writer.book)
    return path
