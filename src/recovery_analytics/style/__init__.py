"""How numbers, names and figures look: the shared style of every stage.

Takes nothing from the other stages (it is the bottom layer); gives numbers
written the French way (``12 345 €``, ``45,2 %``), the French names and
colours of routes, work orders, channels and columns, and — in
:mod:`recovery_analytics.style.plots`, the only place here that imports
matplotlib — the tick formatters and figure set-up that every stage's
``plots`` module uses. Any stage may use it; computing code uses only this
``__init__`` (no matplotlib).

Examples
--------
>>> from recovery_analytics.style import format_eur, column_label
>>> format_eur(12345.6)
'12\u202f346\xa0€'
>>> column_label("outstanding_eur")
'encours'
"""

from __future__ import annotations

from recovery_analytics.style._format import format_eur, format_number, format_pct
from recovery_analytics.style._labels import (
    CHANNEL_LABELS,
    ROUTE_COLORS,
    ROUTE_LABELS_FR,
    STRATEGY_COLORS,
    STRATEGY_LABELS_FR,
    column_label,
)

__all__ = [
    "CHANNEL_LABELS",
    "ROUTE_COLORS",
    "ROUTE_LABELS_FR",
    "STRATEGY_COLORS",
    "STRATEGY_LABELS_FR",
    "column_label",
    "format_eur",
    "format_number",
    "format_pct",
]
