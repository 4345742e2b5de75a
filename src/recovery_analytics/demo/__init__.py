"""Demo: a realistic, reproducible French portfolio to try everything on.

Takes a number of debtors, a seed and an as_of date; gives a validated
:class:`~recovery_analytics.portfolio.Portfolio` of B2B and B2C debtors, their
invoices and dunning history (reminders, calls, promises kept or broken,
formal notices, disputes, credit notes, insolvencies, write-offs). Depends on
the portfolio stage only. Debtors and their latent payment traits are drawn in
``_debtors``, claims and events simulated in ``_simulate``, the whole assembled
in ``_generate``; ``_world`` keeps the hidden state of the open claims and
simulates the next 30 days of any list of calls (the truth a queue is measured
against); ``_fec`` writes it as the FEC its creditor's accounting would
export. See ``docs/demo-generator.md``.
"""

from __future__ import annotations

from recovery_analytics.demo._debtors import RESPONDER_TYPES
from recovery_analytics.demo._fec import write_fec
from recovery_analytics.demo._generate import DunningPolicy, debtors_for_claims, generate_demo
from recovery_analytics.demo._world import (
    DemoWorld,
    demo_world,
    simulate_calls,
    true_call_effects,
)

__all__ = [
    "RESPONDER_TYPES",
    "DemoWorld",
    "DunningPolicy",
    "debtors_for_claims",
    "demo_world",
    "generate_demo",
    "simulate_calls",
    "true_call_effects",
    "write_fec",
]
