"""Builders shared by the tests (weekly job, notebooks 02 and 11, PostgreSQL) and benchmarks.

Import as ``from tests._helpers import ...`` (pytest's importlib mode names
test modules from the rootdir, so ``tests`` resolves without a sys.path hack).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import nbformat
import pandas as pd

from recovery_analytics.demo import generate_demo
from recovery_analytics.portfolio import Portfolio, write_portfolio
from recovery_analytics.reports import notebook_path

_IMAGES = re.compile(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+")


def demo_portfolio(root: Path, n_debtors: int, seed: int) -> Path:
    """A generated demo portfolio written as CSV files in ``root/portfolio``."""
    folder = root / "portfolio"
    write_portfolio(generate_demo(n_debtors, seed=seed), folder)
    return folder


def personal_strings(portfolio: Portfolio) -> list[str]:
    """Every name, phone and email of the input debtors (longer than 3 characters)."""
    cols = [c for c in ("name", "phone", "email") if c in portfolio.debtors]
    values = portfolio.debtors[cols].stack().astype("str").str.strip()
    return sorted(set(values[values.str.len() > 3]))


def html_text(path: Path) -> str:
    """The HTML without its embedded images (base64 could contain any digits)."""
    return _IMAGES.sub("", path.read_text("utf-8"))


def edited_notebook(name: str, folder: Path, edit: Callable[[nbformat.NotebookNode], None]) -> Path:
    """A copy of the packaged notebook ``name`` in ``folder``, changed in place by ``edit``."""
    nb = nbformat.read(notebook_path(name), as_version=4)
    edit(nb)
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def copy_tables(url: str, schema: str, tables: dict[str, pd.DataFrame]) -> None:
    """Create the tables (types from pandas) and fill them with COPY, as a warehouse load would."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    for name, df in tables.items():
        df.head(0).to_sql(name, engine, schema=schema, index=False)
        rows = df.astype(object).where(df.notna(), None)
        raw = engine.raw_connection()
        try:
            with raw.cursor() as cur, cur.copy(f'COPY "{schema}"."{name}" FROM STDIN') as copy:
                for row in rows.itertuples(index=False, name=None):
                    copy.write_row(row)
            raw.commit()
        finally:
            raw.close()
    engine.dispose()
