"""Notebook 10 (the weekly call queue) runs on a tiny portfolio and writes its files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
from openpyxl import load_workbook
from tests._helpers import html_text

from recovery_analytics.amicable import save_model, train_model
from recovery_analytics.demo import generate_demo
from recovery_analytics.portfolio import read_portfolio, write_portfolio
from recovery_analytics.queue import (
    QUEUE_HEADLINE_LABELS_FR,
    CallQueue,
    queue_headline,
    queue_headline_figures,
)
from recovery_analytics.queue.plots import plot_backtest
from recovery_analytics.reports import headline_cards, notebook_parameters, run_notebook

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
    # the report says how calls were valued: learned effects with their evaluation, or the
    # fallback and why (150 debtors: too few calls in the history to learn from)
    html = (tmp_path / "run" / "10_weekly_call_queue.html").read_text(encoding="utf-8")
    assert summary["call_value_method"] == "age_bucket_lift"
    assert summary["call_value_fallback"].startswith("only ")
    assert "Effets non appris" in html and "Appels valorisés par le lift" in html
    assert "créances-semaines appelées dans" in html  # the reason, in French
    assert "policy_evaluation" not in summary
    # the report shows ids and totals only: no names, phones or emails
    # the report says what the backtest is: a model that never saw the outcomes it is scored on
    assert "Modèle léger entraîné une seule fois" in html
    for column in ("name", "phone", "email"):
        for value in p.debtors[column].dropna().head(30):
            assert value not in html, column
    # display conventions: cards, tables without index and with French headers, no file list
    shown = html_text(tmp_path / "run" / "10_weekly_call_queue.html")
    assert len(re.findall(r'class="ra-card( ra-alert)?"', shown)) == len(QUEUE_HEADLINE_LABELS_FR)
    assert not re.search(r"<tbody>\s*<tr>\s*<th", shown)  # no pandas index column
    for header in ("Chargé", "Capacité (appels)", "Minutes prévues", "Encours échu", "Motif",
                   "Envoi", "Canal", "Lift observé", "Lift retenu", "Ordre de travail",
                   "Encaissé sous 30 jours"):  # fmt: skip
        assert f">{header}</th>" in shown, header
    for raw in ("capacity_calls", "expected_minutes", "reason_label", "lift_raw",
                "queue_ratio_30d", "total_outstanding_eur", "NaN", "oldest_first",
                "summary_by_collector.csv", "backtest.png", "PosixPath"):  # fmt: skip
        assert raw not in shown, raw
    assert "capacité (minutes)" not in shown.lower()  # no minutes limit given: no column of –
    assert "&lt;" not in shown and "[&#x27;" not in shown  # no printed list or repr


def _tiny_queue() -> CallQueue:
    """A hand-made week: 2 debtors queued, 1 excluded, 1 contact, 2 disputes, 3 letters."""
    empty = pd.DataFrame()
    queue = pd.DataFrame({"total_outstanding_eur": [1000.0, 250.5],
                          "expected_recovery_eur": [400.0, 100.0], "call_eur": [30.0, 12.5],
                          "expected_minutes": [6.25, 3.0]})  # fmt: skip
    return CallQueue(
        queue=queue,
        claims=empty,
        excluded=pd.DataFrame({"debtor_id": ["D9"]}),
        disputes=pd.DataFrame({"claim_id": ["F1", "F2"]}),
        contact_to_check=pd.DataFrame({"debtor_id": ["D7"]}),
        letters=pd.DataFrame({"late": [True, False, True]}),
        summary=pd.DataFrame({"capacity_calls": [40.0, 40.0]}),
        actions=empty,
        uplift=empty,
        debtors=empty,
        as_of=pd.Timestamp("2026-06-30"),
    )


def test_headline_figures_are_the_summary_values_under_french_labels():
    cq = _tiny_queue()
    figures = queue_headline_figures(cq)
    assert list(figures) == list(QUEUE_HEADLINE_LABELS_FR.values())
    assert figures["Débiteurs à appeler"] == 2 and figures["Encours échu de la file"] == 1250.5
    assert figures["Gain attendu des appels"] == 42.5 and figures["Débiteurs écartés"] == 1
    assert figures["Coordonnées à vérifier"] == 1 and figures["Litiges à résoudre"] == 2
    assert figures["Courriers à envoyer"] == 3 and figures["Courriers en retard"] == 2
    # every figure but the late letters is the summary.json value, unchanged
    headline = queue_headline(cq)
    for key, label in QUEUE_HEADLINE_LABELS_FR.items():
        if key != "late_letters":
            assert figures[label] == headline[key], key
    assert "late_letters" not in headline  # summary.json keeps its keys
    cards = headline_cards(figures, alerts=["Courriers en retard"])
    assert cards.data["value"].tolist()[:2] == ["2", "1\u202f250\u00a0€"]
    assert cards.html.count("ra-card ra-alert") == 1


def test_backtest_figure_writes_dates_the_french_way():
    weekly = pd.DataFrame(
        {
            "as_of": ["2026-03-08", "2026-03-15"] * 3,
            "policy": ["queue"] * 2 + ["oldest_first"] * 2 + ["largest_first"] * 2,
            "collected_30d_eur": [300.0, 200.0, 100.0, 50.0, 250.0, 150.0],
        }
    )
    ax = plot_backtest(weekly, horizon=30)
    ax.figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert labels and all(re.fullmatch(r"\d\d/\d\d", t) for t in labels), labels
    assert ax.get_ylabel() == "Encaissé sous 30 jours"
    assert [line.get_label() for line in ax.get_lines()] == [
        "file d'appels", "plus ancien d'abord", "plus gros d'abord"]  # fmt: skip
    plt.close(ax.figure)
