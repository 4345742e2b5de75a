"""Portfolio: read a source, check it row by row, write it back.

Takes a source — a folder of CSV/Parquet files, an ``.xlsx`` workbook or a
SQLAlchemy URL — and an optional TOML mapping for a foreign export; gives a
validated :class:`Portfolio` (``debtors``, ``claims``, ``events`` with
canonical columns and types) and its ``quarantine`` (every rejected row with
its file, line, column, value and reason). Structural problems raise
:class:`InputError`. French parsing (decimal comma, ``dd/mm/yyyy``,
Windows-1252, ``oui``/``non``, French event names) lives in ``_parse``; the
contract (tables, columns, codes) in ``_schema``; row checks in ``_rows``;
table checks (duplicates, references, the cascade) in ``_validate``; sources
in ``_sources``; the mapping in ``_mapping``; reading and writing in ``_io``.
"""

from __future__ import annotations

from recovery_analytics.portfolio._io import (
    read_portfolio,
    summarize,
    write_portfolio,
    write_quarantine,
)
from recovery_analytics.portfolio._mapping import Mapping, load_mapping
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
from recovery_analytics.portfolio._validate import validate_portfolio

__all__ = [
    "CLAIM_COLUMNS",
    "COLUMNS",
    "COURT_EVENT_TYPES",
    "DEBTOR_COLUMNS",
    "DEBTOR_TYPES",
    "EVENT_COLUMNS",
    "EVENT_TYPES",
    "EVENT_TYPES_WITH_AMOUNT",
    "INSOLVENCY_STATUSES",
    "OPTIONAL_COLUMNS",
    "QUARANTINE_COLUMNS",
    "TABLES",
    "InputError",
    "Mapping",
    "Portfolio",
    "check_columns",
    "empty_table",
    "load_mapping",
    "read_portfolio",
    "summarize",
    "validate_portfolio",
    "write_portfolio",
    "write_quarantine",
]
