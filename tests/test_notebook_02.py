"""Notebook 02 (train and evaluate the amicable model) on a tiny generated portfolio.

Marked slow: training twice (notebook + ``train_model``) and SHAP take ~20 s.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from tests._helpers import demo_portfolio

from recovery_analytics.amicable import load_model, train_model
from recovery_analytics.portfolio import read_portfolio
from recovery_analytics.reports import notebook_path, run_notebook

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("nb02")
    demo_portfolio(root, 150, seed=5)
    run_notebook(
        notebook_path("02_train_model"),
        root / "02_train_model.ipynb",
        {
            "portfolio": root / "portfolio",
            "model_dir": root / "model",
            "out_dir": root / "files",
            "n_estimators": 20,
            "num_threads": 1,
            "shap_rows": 300,
        },
        html_path=root / "02_train_model.html",
    )
    return root


def test_metrics_are_those_of_train_model(run):
    metrics = json.loads((run / "files" / "metrics.json").read_text("utf-8"))
    _, card = train_model(read_portfolio(run / "portfolio"), n_estimators=20, num_threads=1)
    for key in ("rows", "dates", "roc_auc", "brier", "ece", "lift_top_decile", "captured_share"):
        assert metrics[key] == pytest.approx(card["metrics"][key]), key
    strategies = pd.read_csv(run / "files" / "strategies.csv")
    assert set(strategies["strategy"]) >= {"oldest_first", "largest_first", "fastest_payer_first"}
    expected = pd.DataFrame(card["strategies"]).set_index("strategy")["captured_eur"]
    got = strategies.set_index("strategy")["captured_eur"]
    assert got.to_numpy() == pytest.approx(expected.reindex(got.index).to_numpy())


def test_gains_agree_with_the_lift_and_curves_are_monotone(run):
    metrics = json.loads((run / "files" / "metrics.json").read_text("utf-8"))
    gains = pd.read_csv(run / "files" / "gains.csv")
    at = gains[(gains["strategy"] == "p_amicable") & (gains["capacity"].round(2) == 0.1)]
    assert at["lift"].iloc[0] == pytest.approx(metrics["lift_top_decile"], rel=1e-3)
    for _, part in gains.groupby("strategy"):
        assert part.sort_values("capacity")["captured_share"].is_monotonic_increasing
    full = gains[gains["capacity"] == 1.0]
    assert full["captured_share"].to_numpy() == pytest.approx(1.0)
    rel = pd.read_csv(run / "files" / "reliability.csv")
    assert rel["n"].sum() == metrics["rows"]


def test_model_card_shap_and_figures_are_written(run):
    model = load_model(run / "model")
    assert model.horizon_days_ == 90
    card = json.loads((run / "model" / "model_card.json").read_text("utf-8"))
    assert "summary" in card and card["horizon_days"] == 90
    assert (run / "model" / "model_card.md").is_file()
    shap_table = pd.read_csv(run / "files" / "shap_importance.csv")
    assert sorted(shap_table["feature"]) == sorted(model.feature_names_)
    assert (shap_table["mean_abs_shap"] >= 0).all() and shap_table["mean_abs_shap"].max() > 0
    for name in ("reliability", "gains", "captured_curve", "shap_beeswarm", "shap_bar"):
        assert (run / "files" / f"{name}.png").stat().st_size > 5000, name
    html = (run / "02_train_model.html").read_text("utf-8")
    assert "AmicableModel(" not in html  # no code cells
    assert "Calibrage" in html
    assert not re.search(r"<tbody>\s*<tr>\s*<th", html)  # tables shown without index
    assert "Part captée" in html and "Ordre de travail" in html  # French headers
