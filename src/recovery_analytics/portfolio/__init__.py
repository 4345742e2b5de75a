"""Portfolio: read a source, check it row by row, write it back.

Takes a source — a folder of CSV/Parquet files, an ``.xlsx`` workbook, a
SQLAlchemy URL, or the FEC (accounting export) of one or several fiscal years —
and an optional TOML mapping for a foreign export; gives a validated
:class:`Portfolio` (``debtors``, ``claims``, ``events`` with canonical columns
and types) and its ``quarantine`` (every rejected row with its file, line,
column, value and reason). Structural problems raise :class:`InputError`.
French parsing (decimal comma, ``dd/mm/yyyy``,
Windows-1252, ``oui``/``non``, French event names) lives in ``_parse``; the
contract (tables, columns, codes) in ``_schema``; row checks in ``_rows``;
table checks (duplicates, references, the cascade) in ``_validate``; sources
in ``_sources``; the mapping in ``_mapping``; reading in ``_io``, writing back in ``_write``
(result tables to SQL in ``_sql_write``); the FEC in ``_fec`` (with
``_fec_read``, ``_fec_ledger``, ``_fec_alloc``, ``_fec_config``,
``_fec_tables``). Every stage writes its files through this stage:
:class:`ExportGuard` keeps input text from becoming a spreadsheet formula
(``_guard``) and :func:`atomic_path` makes a file appear whole or not at all
(``_atomic``).
"""

from __future__ import annotations

from recovery_analytics.portfolio._atomic import atomic_path, write_text_atomic
from recovery_analytics.portfolio._checks import MAX_AMOUNT_EUR
from recovery_analytics.portfolio._fec import read_fec
from recovery_analytics.portfolio._guard import FORMULA_PREFIXES, ExportGuard, write_csv, write_xlsx
from recovery_analytics.portfolio._io import read_portfolio
from recovery_analytics.portfolio._mapping import Mapping, load_mapping
from recovery_analytics.portfolio._partition import (
    debtor_partition,
    partition_count,
    partition_portfolio,
    read_partition,
)
from recovery_analytics.portfolio._schema import (
    CLAIM_COLUMNS,
    COLUMNS,
    COURT_EVENT_TYPES,
    DEBTOR_COLUMNS,
    DEBTOR_TYPES,
    EVENT_COLUMNS,
    EVENT_TYPES,
    EVENT_TYPES_WITH_AMOUNT,
    INSOLVENCY_STATUSES,
    OPTIONAL_COLUMNS,
    QUARANTINE_COLUMNS,
    TABLES,
    InputError,
    Portfolio,
    check_columns,
    empty_table,
)
from recovery_analytics.portfolio._sql_write import is_sql_target, write_sql_table
from recovery_analytics.portfolio._validate import validate_portfolio
from recovery_analytics.portfolio._validated import read_validated, write_validated
from recovery_analytics.portfolio._write import summarize, write_portfolio, write_quarantine

__all__ = [
    "CLAIM_COLUMNS",
    "COLUMNS",
    "COURT_EVENT_TYPES",
    "DEBTOR_COLUMNS",
    "DEBTOR_TYPES",
    "EVENT_COLUMNS",
    "EVENT_TYPES",
    "EVENT_TYPES_WITH_AMOUNT",
    "FORMULA_PREFIXES",
    "INSOLVENCY_STATUSES",
    "MAX_AMOUNT_EUR",
    "OPTIONAL_COLUMNS",
    "QUARANTINE_COLUMNS",
    "TABLES",
    "ExportGuard",
    "InputError",
    "Mapping",
    "Portfolio",
    "atomic_path",
    "check_columns",
    "debtor_partition",
    "empty_table",
    "is_sql_target",
    "load_mapping",
    "partition_count",
    "partition_portfolio",
    "read_fec",
    "read_partition",
    "read_portfolio",
    "read_validated",
    "summarize",
    "validate_portfolio",
    "write_csv",
    "write_portfolio",
    "write_quarantine",
    "write_sql_table",
    "write_text_atomic",
    "write_validated",
    "write_xlsx",
]
