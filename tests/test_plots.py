"""Tests of the figures and their style helpers (``plots``)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from recovery_analytics.aging import aged_balance, bucket_labels
from recovery_analytics.plots import (
    age_bucket_colors,
    eur_formatter,
    format_eur,
    plot_aged_balance,
)

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


def test_plot_whole_portfolio_new_figure():
    state = pd.DataFrame({"is_open": [True], "outstanding_eur": [50.0], "days_past_due": [10]})
    ax = plot_aged_balance(aged_balance(state, by=None), title="Ma balance")
    assert ax.get_title() == "Ma balance"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Portefeuille"]
    assert eur_formatter(2)(1.5, 0) == f"1,50{NBSP}€"
    plt.close(ax.figure)
