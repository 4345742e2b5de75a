"""The display side of the judicial review (``review``): tables and figures for managers.

Hand-made review tables; every figure is worked out in the comments.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from recovery_analytics.judicial import (
    HEADLINE_LABELS_FR,
    declarations_due,
    headline_figures,
    judicial_headline,
    prescription_alerts,
    trend_table,
    verdicts_by_segment,
    verdicts_pivot,
    weekly_trend,
)
from recovery_analytics.judicial.plots import plot_routes_by_segment

T = pd.Timestamp
NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.fixture
def review() -> pd.DataFrame:
    """Six open claims at 30/06/2026, B2B 10 000 € and B2C 500 €."""
    return pd.DataFrame(
        {
            "claim_id": ["c1", "c2", "c3", "c4", "c5", "c6"],
            "debtor_id": ["d1", "d1", "d2", "d3", "d4", "d4"],
            "as_of": T("2026-06-30"),
            "debtor_type": ["B2B", "B2B", "B2B", "B2C", "B2C", "B2C"],
            "outstanding_eur": [6000.0, 1000.0, 3000.0, 200.0, 200.0, 100.0],
            "expected_recovery_eur": [3000.0, 500.0, 0.0, 100.0, 50.0, 25.0],
            "expected_gain_eur": [900.0, 0.0, 0.0, 0.0, 10.0, 0.0],
            "recommended_route": [
                "injonction_de_payer",
                "continue_amicable",
                "declare_claim",
                "continue_amicable",
                "agency",
                "agency",
            ],
            "legal_flags": ["", "", "INSOLVENCY", "PRESCRIPTION_URGENT", "INSOLVENCY", ""],
            "declaration_deadline": pd.to_datetime(
                [None, None, "2026-07-10", None, "2026-06-20", None]
            ),
            "prescription_date": pd.to_datetime([None, None, None, "2026-08-01", None, None]),
            "days_to_prescription": [None, None, None, 32.0, None, None],
        }
    )


def test_verdicts_pivot_puts_each_segments_euros_on_one_row(review):
    wide = verdicts_pivot(verdicts_by_segment(review, "debtor_type"), "debtor_type")
    assert wide.columns.tolist() == [
        "debtor_type",
        "outstanding_eur",
        "continue_amicable",
        "agency",
        "declare_claim",
        "injonction_de_payer",
    ]
    b2b, b2c = wide.set_index("debtor_type").to_dict("index").values()
    assert b2b == {
        "outstanding_eur": 10000.0,
        "continue_amicable": 1000.0,
        "agency": 0.0,
        "declare_claim": 3000.0,
        "injonction_de_payer": 6000.0,
    }
    assert b2c["outstanding_eur"] == 500.0 and b2c["agency"] == 300.0


def test_routes_by_segment_bars_are_shares_so_a_small_segment_reads(review):
    table = verdicts_by_segment(review, "debtor_type")
    ax = plot_routes_by_segment(table, "debtor_type")
    widths = {}
    for patch in ax.patches:
        y = round(patch.get_y() + patch.get_height() / 2)
        widths[y] = widths.get(y, 0.0) + patch.get_width()
    # B2B on top (y = 1), B2C below: both bars 100 % although B2C is 20 times smaller
    assert widths == pytest.approx({1: 1.0, 0: 1.0})
    ticks = [t.get_text().replace(NNBSP, " ").replace(NBSP, " ") for t in ax.get_yticklabels()]
    assert ticks == ["B2B\n10 000 €", "B2C\n500 €"]
    texts = [t.get_text().replace(NBSP, " ") for t in ax.texts]
    # B2B: injonction 6 000 / 10 000; B2C: agency 300 / 500 (then 40 % amicable; 10 % and 30 %)
    assert sorted(texts) == ["10 %", "30 %", "40 %", "60 %", "60 %"]
    assert ax.get_xlim() == (0.0, 1.0)
    euros = plot_routes_by_segment(table, "debtor_type", shares=False)
    assert max(p.get_x() + p.get_width() for p in euros.patches) == pytest.approx(10000.0)
    plt.close("all")


def test_declarations_due_one_row_per_debtor_with_days_left(review):
    due = declarations_due(review)
    # d4 deadline 20/06 passed 10 days ago; d2 deadline 10/07 in 10 days
    assert due.values.tolist() == [
        ["d4", 1, 200.0, T("2026-06-20"), -10],
        ["d2", 1, 3000.0, T("2026-07-10"), 10],
    ]
    empty = declarations_due(review.assign(legal_flags=""))
    assert empty.empty and empty.columns.tolist() == due.columns.tolist()


def test_prescription_alerts_keep_the_urgent_claims(review):
    alerts = prescription_alerts(review)
    assert alerts["claim_id"].tolist() == ["c4"]
    assert alerts["days_to_prescription"].tolist() == [32]
    assert alerts["recommended_route"].tolist() == ["continue_amicable"]


def test_headline_figures_are_the_headline_under_french_labels(review):
    headline = judicial_headline(review, horizon_days=60)
    figures = headline_figures(headline)
    assert figures["Encours ouvert"] == headline["open_outstanding_eur"] == 10500.0
    assert figures["Amiable attendu sous 60 jours"] == 3675.0  # 3000 + 500 + 100 + 50 + 25
    assert figures["Prochaine date limite de déclaration"] == T("2026-07-10")
    assert figures["Déclarations hors délai (débiteurs)"] == 1  # d4
    assert len(figures) == len(HEADLINE_LABELS_FR)  # every figure has its label


def test_trend_table_writes_euros_and_counts_with_signs():
    current = {
        "open_outstanding_eur": 10500.0,
        "open_claims": 6,
        "routes": {"agency": {"claims": 2}},
    }
    previous = {"open_outstanding_eur": 12000.0, "open_claims": 6}
    table = trend_table(weekly_trend(current, previous))
    plain = [[v.replace(NNBSP, " ").replace(NBSP, " ") for v in row] for row in table.values]
    assert plain == [
        ["Encours ouvert", "12 000 €", "10 500 €", "-1 500 €"],
        ["Créances ouvertes", "6", "6", "0"],
    ]
