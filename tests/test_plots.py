"""Tests of the figures and their style helpers (``plots``)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from recovery_analytics.amicable import captured_curve, reliability_table
from recovery_analytics.amicable.plots import (
    gains_table,
    plot_captured_curve,
    plot_gains,
    plot_reliability,
)
from recovery_analytics.state import aged_balance, bucket_labels
from recovery_analytics.state.plots import age_bucket_colors, plot_aged_balance
from recovery_analytics.style import (
    ROUTE_COLORS,
    ROUTE_LABELS_FR,
    STRATEGY_COLORS,
    STRATEGY_LABELS_FR,
    column_label,
    format_eur,
    format_number,
    format_pct,
)
from recovery_analytics.style.plots import ensure_axes, eur_formatter, pct_formatter

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    ("x", "decimals", "text"),
    [
        (12345, 0, f"12{NNBSP}345{NBSP}€"),
        (12345.6, 0, f"12{NNBSP}346{NBSP}€"),
        (999, 0, f"999{NBSP}€"),
        (0, 0, f"0{NBSP}€"),
        (1234567.891, 2, f"1{NNBSP}234{NNBSP}567,89{NBSP}€"),
        (-40, 0, f"-40{NBSP}€"),
        (np.nan, 0, "–"),
        (None, 0, "–"),
    ],
)
def test_format_eur(x, decimals, text):
    assert format_eur(x, decimals) == text


def test_bucket_colours_are_stable_and_go_from_green_to_red():
    a, b = age_bucket_colors(), age_bucket_colors(bucket_labels())
    assert a == b and list(a) == bucket_labels()
    green, red = a["non échu"], a["> 365 j"]
    assert green[1] > green[0] and red[0] > red[1]  # more green first, more red last
    assert len(set(a.values())) == 7


@pytest.fixture
def table():
    state = pd.DataFrame(
        {
            "debtor_type": pd.Series(["B2B", "B2B", "B2C"], dtype="str"),
            "is_open": [True, True, True],
            "outstanding_eur": [1200.0, 800.0, 300.0],
            "days_past_due": [-3, 45, 400],
        }
    )
    return aged_balance(state, totals=True)


def test_plot_aged_balance(table):
    fig, ax = plt.subplots()
    out = plot_aged_balance(table, ax=ax)
    assert out is ax
    assert "Balance âgée" in ax.get_title() and "type de débiteur" in ax.get_title()
    # one bar per group and bucket (7 buckets x 2 groups); totals ignored
    assert len(ax.patches) == 14
    assert [t.get_text() for t in ax.get_xticklabels()] == ["B2B", "B2C"]
    tops = {}
    for p in ax.patches:
        tops[p.get_x()] = max(tops.get(p.get_x(), 0.0), p.get_y() + p.get_height())
    assert sorted(tops.values()) == [300.0, 2000.0]  # stacked to each group's total
    assert ax.yaxis.get_major_formatter()(2000, 0) == f"2{NNBSP}000{NBSP}€"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == bucket_labels()
    plt.close(fig)


def test_plot_aged_balance_in_shares(table):
    # B2B: 1 200 not yet due + 800 at 45 days = 2 000; B2C: 300 at 400 days (totals ignored)
    ax = plot_aged_balance(table, shares=True)
    heights = {}
    for p in ax.patches:
        if p.get_height() > 0:
            heights.setdefault(round(p.get_x(), 3), []).append(round(p.get_height(), 6))
    assert sorted(heights.values()) == [[0.6, 0.4], [1.0]]  # 1 200/2 000, 800/2 000; 300/300
    texts = [t.get_text() for t in ax.texts]
    assert texts == [f"60{NBSP}%", f"40{NBSP}%", f"100{NBSP}%"]  # shares of 8 % or more
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == [f"B2B\n2{NNBSP}000{NBSP}€", f"B2C\n300{NBSP}€"]  # the euros under the name
    assert ax.get_ylim() == (0.0, 1.0) and ax.yaxis.get_major_formatter()(0.5, 0) == f"50{NBSP}%"
    assert ax.get_title().startswith("Balance âgée par type de débiteur")
    plt.close(ax.figure)


def test_plot_aged_balance_in_shares_with_an_empty_group():
    state = pd.DataFrame(
        {
            "debtor_type": pd.Series(["B2B", "B2C"], dtype="str"),
            "is_open": [True, True],
            "outstanding_eur": [500.0, 0.0],
            "days_past_due": [10, 10],
        }
    )
    ax = plot_aged_balance(aged_balance(state), shares=True)
    assert all(np.isfinite(p.get_height()) for p in ax.patches)  # 0 €: empty bar, no NaN
    assert {round(p.get_height(), 6) for p in ax.patches} == {0.0, 1.0}
    assert [t.get_text() for t in ax.texts] == [f"100{NBSP}%"]
    plt.close(ax.figure)


def test_plot_whole_portfolio_new_figure():
    state = pd.DataFrame({"is_open": [True], "outstanding_eur": [50.0], "days_past_due": [10]})
    ax = plot_aged_balance(aged_balance(state, by=None), title="Ma balance")
    assert ax.get_title() == "Ma balance"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Portefeuille"]
    assert eur_formatter(2)(1.5, 0) == f"1,50{NBSP}€"
    plt.close(ax.figure)


# --------------------------------------------------------------------------- shared style


@pytest.mark.parametrize(
    ("function", "x", "decimals", "text"),
    [
        (format_number, 1234.5, 1, f"1{NNBSP}234,5"),
        (format_number, -0.25, 2, "-0,25"),
        (format_number, np.inf, 0, "∞"),
        (format_eur, np.inf, 0, f"∞{NBSP}€"),
        (format_eur, -np.inf, 0, f"-∞{NBSP}€"),
        (format_pct, 0.125, 1, f"12,5{NBSP}%"),
        (format_pct, 1.0, 0, f"100{NBSP}%"),
        (format_pct, 12.5, 0, f"1{NNBSP}250{NBSP}%"),
        (format_pct, np.nan, 1, "–"),
        (format_pct, None, 1, "–"),
    ],
)
def test_french_numbers(function, x, decimals, text):
    assert function(x, decimals) == text


def test_tick_formatters_use_the_same_writing():
    assert pct_formatter()(0.5, 0) == format_pct(0.5, 0) == f"50{NBSP}%"
    assert eur_formatter()(-40, 0) == format_eur(-40) == f"-40{NBSP}€"


def test_column_label():
    assert column_label("naf_code") == "code NAF"
    assert column_label("naf_code", lang="en") == "NAF code"
    assert column_label("region") == "region"  # unknown columns keep their name
    with pytest.raises(ValueError, match="language"):
        column_label("naf_code", lang="de")


def test_column_label_names_the_report_columns_in_both_languages():
    from recovery_analytics.style._labels import _COLUMN_NAMES

    assert set(_COLUMN_NAMES["fr"]) == set(_COLUMN_NAMES["en"])
    assert column_label("outstanding_eur") == "encours"
    assert column_label("claim_id") == "créance" and column_label("claims") == "créances"
    assert column_label("share_of_segment", lang="en") == "share of segment"
    # lower case (titles say "par type de débiteur"), acronyms excepted
    fr = _COLUMN_NAMES["fr"].values()
    assert all(label[0].islower() or label.split()[0].isupper() for label in fr)


def test_call_queue_report_columns_have_distinct_headers():
    from recovery_analytics.reports import display_table

    # the columns notebook 10 shows: by collector, excluded, letters, uplift, backtest
    shown = ["collector", "debtors", "capacity_calls", "expected_minutes", "capacity_minutes",
             "total_outstanding_eur", "expected_recovery_eur", "call_eur", "net_eur",
             "reason_label", "channel", "claims", "late", "age_bucket", "n_called", "n_uncalled",
             "paid_called", "paid_uncalled", "lift_raw", "lift", "reach_rate", "policy",
             "debtors_called", "collected_7d_eur", "collected_30d_eur", "queue_ratio_7d",
             "queue_ratio_30d", "weeks"]  # fmt: skip
    for lang in ("fr", "en"):
        labels = [column_label(c, lang) for c in shown]
        assert len(set(labels)) == len(labels), lang
        assert not [c for c, label in zip(shown, labels, strict=True) if label == c and "_" in c]
    assert column_label("total_outstanding_eur") == "encours échu"
    assert column_label("collected_30d_eur", "en") == "collected within 30 days"
    codes = pd.DataFrame(
        {
            "policy": ["queue", "oldest_first", "largest_first"],
            "channel": ["email", "letter", "registered_letter"],
            "age_bucket": ["1-30", "365+", "all"],
        }
    )
    assert display_table(codes).data.values.tolist() == [
        ["file d'appels", "e-mail", "1-30"],
        ["plus ancien d'abord", "courrier", "365+"],
        ["plus gros d'abord", "lettre recommandée AR", "tous"],
    ]


def test_every_route_has_one_colour_and_one_french_name():
    from recovery_analytics.judicial import ROUTES

    assert set(ROUTE_COLORS) == set(ROUTE_LABELS_FR) == set(ROUTES)
    assert len(set(ROUTE_COLORS.values())) == len(ROUTE_COLORS)
    assert set(STRATEGY_COLORS) == set(STRATEGY_LABELS_FR)


def test_ensure_axes_reuses_or_makes_one():
    _, ax = plt.subplots()
    assert ensure_axes(ax, figsize=(2, 2)) is ax
    new = ensure_axes(figsize=(3, 2))
    assert new is not ax and new.figure.get_size_inches().tolist() == [3.0, 2.0]
    plt.close("all")


# --------------------------------------------------------------------------- model evaluation


def test_plot_reliability_hand_worked():
    # bin [0, 0.5): p .05 .15 -> mean .10, 1 of 2 recovered; bin [0.5, 1]: mean .90, 2 of 3
    table = reliability_table(
        np.array([0, 1, 1, 0, 1]), np.array([0.05, 0.15, 0.95, 0.85, 0.90]), n_bins=2
    )
    ax = plot_reliability(table)
    diagonal, model = ax.get_lines()
    assert diagonal.get_label() == "calibrage parfait"
    assert model.get_xdata().tolist() == pytest.approx([0.10, 0.90])
    assert model.get_ydata().tolist() == pytest.approx([0.5, 2 / 3])
    # ECE = (2 x |0.5 - 0.1| + 3 x |2/3 - 0.9|) / 5 = (0.8 + 0.7) / 5
    assert ax.get_title().endswith("(ECE 0,300)")
    assert ax.xaxis.get_major_formatter()(0.25, 0) == f"25{NBSP}%"
    plt.close(ax.figure)


@pytest.fixture
def scores():
    """One date, four claims: a 100 €, b 0 €, c 300 €, d 0 € recovered."""
    return pd.DataFrame(
        {
            "as_of": pd.Timestamp("2026-03-31"),
            "claim_id": ["a", "b", "c", "d"],
            "recovered": [True, False, True, False],
            "recovered_eur": [100.0, 0.0, 300.0, 0.0],
            "largest_first": [400.0, 300.0, 200.0, 100.0],
            "perfect_hindsight": [100.0, 0.0, 300.0, 0.0],
        }
    )


def test_plot_captured_curve_draws_the_euros_of_each_order(scores):
    curve = captured_curve(scores, [0.5, 1.0], ["perfect_hindsight", "largest_first"])
    ax = plot_captured_curve(curve, capacity=0.5)
    lines = {line.get_label(): line for line in ax.get_lines()}
    # largest first works a, b at half capacity: 100 €; hindsight works c, a: 400 €
    largest = lines["plus gros d'abord"]
    assert largest.get_ydata().tolist() == [100.0, 400.0]
    assert largest.get_color() == STRATEGY_COLORS["largest_first"]
    assert lines["connaissance parfaite (plafond)"].get_ydata().tolist() == [400.0, 400.0]
    # display order whatever the order of the frame, then the capacity line
    assert [line.get_label() for line in ax.get_lines()][:2] == [
        "plus gros d'abord",
        "connaissance parfaite (plafond)",
    ]
    assert list(ax.get_lines()[-1].get_xdata()) == [0.5, 0.5]
    assert ax.yaxis.get_major_formatter()(400, 0) == f"400{NBSP}€"
    assert "capacité" in ax.get_title()
    plt.close(ax.figure)


def test_plot_gains_counts_claims_and_draws_the_random_order(scores):
    counts = scores.assign(recovered_eur=scores["recovered"].astype("float64"))
    gains = captured_curve(counts, [0.5, 1.0], ["largest_first", "perfect_hindsight"])
    ax = plot_gains(gains, strategies=["largest_first"])
    largest, random = ax.get_lines()
    assert largest.get_ydata().tolist() == [0.5, 1.0]  # 1 of the 2 recovered claims, then 2
    assert random.get_label() == "hasard" and list(random.get_ydata()) == [0, 1]
    assert "Gains cumulés" in ax.get_title()
    plt.close(ax.figure)


def test_gains_table_counts_recovered_claims_and_lift(scores):
    # one date, 4 claims, a and c recovered; largest first works a, b at 50 %
    g = gains_table(scores, ["largest_first", "perfect_hindsight"], capacities=[0.25, 0.5, 1.0])
    g = g.set_index(["strategy", "capacity"])
    assert g.loc[("largest_first", 0.5), "recovered_claims"] == 1
    assert g.loc[("largest_first", 0.5), "captured_share"] == 0.5
    assert g.loc[("largest_first", 0.5), "lift"] == 1.0  # 50 % found working 50 %: random
    # hindsight ranks the recovered claims first (not the euros): a and c at 50 %
    assert g.loc[("perfect_hindsight", 0.5), "recovered_claims"] == 2
    assert g.loc[("perfect_hindsight", 0.25), "lift"] == 2.0  # 1 of 2 working 1 of 4
    assert (g["total_recovered_claims"] == 2).all()
    assert g.xs(1.0, level="capacity")["captured_share"].tolist() == [1.0, 1.0]
