"""Write a portfolio back (CSV / Parquet), write its quarantine, and summarise it.

Private helpers re-exported by :mod:`recovery_analytics.portfolio`; reading is in ``_io``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from recovery_analytics.portfolio._atomic import atomic_path, write_text_atomic
from recovery_analytics.portfolio._guard import ExportGuard, write_csv
from recovery_analytics.portfolio._io import MAPPING_FILE
from recovery_analytics.portfolio._schema import TABLES, Portfolio

__all__ = [
    "summarize",
    "write_portfolio",
    "write_quarantine",
]


def write_portfolio(portfolio: Portfolio, out_dir: str | Path, fmt: str = "csv") -> dict[str, Path]:
    """Write the valid tables as ``debtors``, ``claims``, ``events`` in ``out_dir``.

    CSV is UTF-8 with ``,``, ISO dates and ``.`` decimals; rows keep their order,
    so identical portfolios give byte-identical files. ``fmt="parquet"`` keeps dtypes.
    When the portfolio declares extra feature columns (``extra_features``), a
    ``mapping.toml`` holding its ``[features]`` section is written beside the
    tables, so that :func:`read_portfolio` finds them again.

    Examples
    --------
    >>> import tempfile
    >>> from recovery_analytics.portfolio import validate_portfolio
    >>> p = validate_portfolio(
    ...     pd.DataFrame({"debtor_id": ["D1"], "debtor_type": ["B2B"]}),
    ...     pd.DataFrame({"claim_id": ["F1"], "debtor_id": ["D1"], "invoice_date": ["01/03/2026"],
    ...                   "due_date": ["31/03/2026"], "amount": ["12,50"]}))
    >>> with tempfile.TemporaryDirectory() as d:
    ...     print(write_portfolio(p, d)["claims"].read_text().splitlines()[1])
    F1,D1,2026-03-01,2026-03-31,12.5,EUR,False,
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be 'csv' or 'parquet', not {fmt!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for table in TABLES:
        df = getattr(portfolio, table)
        path = out / f"{table}.{fmt}"
        with atomic_path(path) as tmp:
            if fmt == "csv":
                df.to_csv(
                    tmp, index=False, encoding="utf-8", date_format="%Y-%m-%d", lineterminator="\n"
                )
            else:
                df.to_parquet(tmp, index=False)
        paths[table] = path
    features = {k: list(v) for k, v in sorted(portfolio.extra_features.items()) if v}
    if features:
        lines = [
            "# Written by recovery_analytics: extra columns used as model features.",
            "[features]",
        ]
        lines += [
            f"{kind} = [{', '.join(json.dumps(c) for c in cols)}]"
            for kind, cols in features.items()
        ]
        paths["mapping"] = out / MAPPING_FILE
        write_text_atomic(paths["mapping"], "\n".join(lines) + "\n")
    return paths


def write_quarantine(
    quarantine: pd.DataFrame, path: str | Path, *, guard: ExportGuard | None = None
) -> Path:
    """Write the quarantine as CSV with ``;`` and a UTF-8 BOM (opens in French Excel).

    The rows come from outside: text starting like a formula is written with a
    leading apostrophe and control characters are replaced (:class:`ExportGuard`,
    pass one to count them). The file is written to a temporary name, then renamed.

    Examples
    --------
    >>> import tempfile
    >>> q = pd.DataFrame({"table": ["debtors"], "line": [2], "value": ["=cmd|' /C calc'!A0"]})
    >>> p = write_quarantine(q, Path(tempfile.mkdtemp()) / "quarantine.csv")
    >>> p.read_text(encoding="utf-8-sig").splitlines()[1]
    "debtors;2;'=cmd|' /C calc'!A0"
    """
    return write_csv(
        quarantine, path, guard=guard, sep=";", encoding="utf-8-sig", lineterminator="\n"
    )


def summarize(portfolio: Portfolio) -> str:
    """A plain-text summary: rows read, valid and quarantined by table and by reason.

    Examples
    --------
    >>> from recovery_analytics.portfolio import validate_portfolio
    >>> p = validate_portfolio(
    ...     pd.DataFrame({"debtor_id": ["D1"], "debtor_type": ["B2B"]}),
    ...     pd.DataFrame({"claim_id": ["F1", "F1"], "debtor_id": ["D1", "D1"],
    ...                   "invoice_date": ["01/03/2026"] * 2, "due_date": ["31/03/2026"] * 2,
    ...                   "amount": ["12,50", "-3"]}))
    >>> print(summarize(p))  # doctest: +NORMALIZE_WHITESPACE
    Portfolio <memory>
    table    rows read  valid  quarantined
    debtors          1      1            0
    claims           2      1            1
    events           0      0            0
    Quarantined rows by reason (count, first example):
      claims   amount: amount_negative x1  e.g. claims line 2: amount '-3' is negative:
      record credit notes and payments as events, not as claims
    """
    counts = portfolio.counts
    if counts is None:
        counts = pd.DataFrame(
            [(t, len(getattr(portfolio, t)), len(getattr(portfolio, t)), 0) for t in TABLES],
            columns=["table", "rows_read", "valid", "quarantined"],
        )
    lines = [f"Portfolio {portfolio.source}".rstrip()]
    lines.append(f"{'table':<8} {'rows read':>9} {'valid':>6} {'quarantined':>12}")
    for row in counts.itertuples(index=False):
        lines.append(f"{row.table:<8} {row.rows_read:>9} {row.valid:>6} {row.quarantined:>12}")
    q = portfolio.quarantine
    if len(q):
        q = q.assign(check=q["check"] if "check" in q else q["reason"])
        groups = q.groupby(["table", "column", "check"], sort=False)
        lines.append("Quarantined rows by reason (count, first example):")
        for (table, column, check), rows in groups:
            first = rows.iloc[0]
            lines.append(
                f"  {table:<8} {column or '(row)'}: {check} x{len(rows)}"
                f"  e.g. {first['source']} line {first['line']}: {first['reason']}"
            )
    w = portfolio.warnings
    if len(w):
        lines.append("Warnings: rows kept, worth a look (count, first example):")
        for (table, column, check), rows in w.groupby(["table", "column", "check"], sort=False):
            first = rows.iloc[0]
            lines.append(
                f"  {table:<8} {column or '(row)'}: {check} x{len(rows)}"
                f"  e.g. {first['source']} line {first['line']}: {first['reason']}"
            )
    lines.extend(f"Note: {note}" for note in portfolio.notes)
    return "\n".join(lines)
