"""Notebook 10 (the weekly call queue) runs on a tiny portfolio and writes its files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from recovery_analytics.amicable import train_model
from recovery_analytics.demo import generate_demo
from recovery_analytics.io import read_portfolio, write_portfolio
from recovery_analytics.model_io import save_model
from recovery_analytics.reports import notebook_parameters, run_notebook

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "10_weekly_call_queue.ipynb"


def test_parameters_match_the_weekly_job():
    params = notebook_parameters(NOTEBOOK)
    given = {"portfolio", "mapping", "model_dir", "as_of", "costs", "out_dir", "collectors",
             "calls_per_collector"}  # fmt: skip
    assert given <= set(params)
    assert [n for n, p in params.items() if p["required"]] == ["model_dir"]


def test_notebook_writes_the_exports_and_the_summary(tmp_path):
    p = generate_demo(150, seed=7)
    write_portfolio(p, tmp_path / "data")
    # the model is trained on the portfolio as the notebook reads it (no mapping: no extras)
    model, card = train_model(read_portfolio(tmp_path / "data"), num_threads=1, n_estimators=20)
    save_model(model, tmp_path / "model", card=card)
    out = tmp_path / "out"
    run_notebook(
        NOTEBOOK,
        tmp_path / "run" / "10_weekly_call_queue.ipynb",
        {
            "portfolio": tmp_path / "data",
            "model_dir": tmp_path / "model",
            "as_of": "2026-06-30",
            "out_dir": out,
            "collectors": 2,
            "calls_per_collector": 5,
            "backtest_weeks": 2,
        },
        html_path=tmp_path / "run" / "10_weekly_call_queue.html",
    )
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["as_of"] == "2026-06-30"
    assert summary["debtors_in_queue"] == 10 and summary["calls_capacity"] == 10
    assert summary["backtest"]["weeks"] == 2
    assert {"ratio_vs_oldest_first_30d", "queue_30d_eur"} <= set(summary["backtest"])
    wb = load_workbook(out / "call_queue.xlsx")
    assert wb.sheetnames[:3] == ["Synthèse", "C01", "C02"]
    assert (out / "call_queue.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    by_reason = pd.read_csv(out / "excluded_by_reason.csv")
    assert by_reason["debtors"].sum() == summary["excluded_debtors"]
    for name in ("summary_by_collector.csv", "letters_by_action.csv", "backtest_weekly.csv",
                 "backtest_totals.csv", "backtest.png", "call_uplift.csv"):  # fmt: skip
        assert (out / name).is_file(), name
    # the report shows ids and totals only: no names, phones or emails
    html = (tmp_path / "run" / "10_weekly_call_queue.html").read_text(encoding="utf-8")
    # the report says what the backtest is: a model that never saw the outcomes it is scored on
    assert "Modèle léger entraîné une seule fois" in html
    for column in ("name", "phone", "email"):
        for value in p.debtors[column].dropna().head(30):
            assert value not in html, column
