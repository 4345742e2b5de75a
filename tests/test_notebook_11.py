"""Notebook 11 (judicial review for management) on a tiny generated portfolio.

The notebook runs once for the module (a kernel start plus the work costs a
few seconds); its files are checked against the library's own functions.
"""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pandas as pd
import pytest
from tests._helpers import demo_portfolio, html_text, personal_strings

from recovery_analytics.amicable import load_model, save_model, score_portfolio, train_model
from recovery_analytics.judicial import judicial_assessment, prediction_check, weekly_trend
from recovery_analytics.portfolio import Portfolio, read_portfolio
from recovery_analytics.reports import notebook_path, run_notebook
from recovery_analytics.state import portfolio_state

AS_OF = pd.Timestamp("2026-06-30")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("nb11")
    p = read_portfolio(demo_portfolio(root, 200, seed=3))
    model, card = train_model(p, n_estimators=20, num_threads=1)
    save_model(model, root / "model", card=card)
    out = root / "judicial"
    run_notebook(
        notebook_path("11_judicial_review"),
        root / "11_judicial_review.ipynb",
        {
            "portfolio": root / "portfolio",
            "model_dir": root / "model",
            "as_of": AS_OF.date().isoformat(),
            "out_dir": out,
        },
        html_path=root / "11_judicial_review.html",
    )
    return root, out, p


def test_headline_figures_match_the_library(run):
    root, out, p = run
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    state = portfolio_state(p, AS_OF)
    open_ = state[state["is_open"]].reset_index(drop=True)
    assert summary["open_outstanding_eur"] == pytest.approx(
        open_["outstanding_eur"].sum(), abs=0.01
    )
    assert summary["open_claims"] == len(open_)
    model = load_model(root / "model")
    scores = score_portfolio(p, model, AS_OF)
    assert summary["expected_amicable_recovery_eur"] == pytest.approx(
        scores["expected_recovery_eur"].sum(), abs=0.01
    )
    # the routes: the same judicial assessment, computed here independently
    scored = open_.merge(scores[["claim_id", "p_amicable", "expected_recovery_eur"]], on="claim_id")
    assessment = judicial_assessment(scored, as_of=AS_OF)
    counts = assessment["recommended_route"].value_counts().to_dict()
    assert {r: v["claims"] for r, v in summary["routes"].items()} == counts
    court = assessment["recommended_route"].isin(
        ["injonction_de_payer", "procedure_simplifiee", "refere_provision", "action_au_fond"]
    )
    assert summary["court_claims"] == int(court.sum())
    assert summary["court_expected_gain_eur"] == pytest.approx(
        assessment.loc[court, "expected_gain_eur"].sum(), abs=0.05
    )
    urgent = assessment["legal_flags"].str.contains("PRESCRIPTION_URGENT", regex=False)
    assert summary["prescription_alerts"] == int(urgent.sum())
    routes = pd.read_csv(out / "routes.csv")
    assert routes["claims"].sum() == len(open_)
    assert routes["outstanding_eur"].sum() == pytest.approx(summary["open_outstanding_eur"])


def test_scores_file_and_tables(run):
    _, out, _ = run
    scores = pd.read_parquet(out / "scores.parquet")
    assert scores["claim_id"].is_unique
    assert {"claim_id", "debtor_id", "as_of", "expected_recovery_eur", "p_amicable"} <= set(
        scores.columns
    )
    assert {"p_amicable_used", "plan", "next_step_date"} <= set(scores.columns)
    assert (scores["plan"].str.split(" > ").str[0].str.split(" ").str[0]
            == scores["recommended_route"]).all()  # fmt: skip
    assert scores["p_amicable"].between(0, 1).all()
    assert (scores["expected_recovery_eur"] <= scores["outstanding_eur"] + 1e-9).all()
    for name in ("break_even", "tornado", "verdicts_by_debtor_type", "verdicts_by_segment"):
        assert (out / f"{name}.png").stat().st_size > 5000, name
    by_type = pd.read_csv(out / "verdicts_by_debtor_type.csv")
    assert by_type["claims"].sum() == len(scores)
    shares = by_type.groupby("debtor_type")["share_of_segment"].sum()
    assert shares.to_numpy() == pytest.approx([1.0] * len(shares))
    declarations = pd.read_csv(out / "declarations.csv", parse_dates=["declaration_deadline"])
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert (declarations["days_left"] >= 0).sum() == summary["insolvency_declarations_due"]
    assert (declarations["days_left"] < 0).sum() == summary["insolvency_declarations_late"]
    sens = pd.read_csv(out / "sensitivity.csv")
    assert "p_amicable" in set(sens["parameter"])


def test_prediction_check_is_reconstructed_13_and_26_weeks_back(run):
    _, out, p = run
    check = pd.read_csv(out / "prediction_check.csv", parse_dates=["scored_as_of"])
    assert check["source"].tolist() == ["reconstructed", "reconstructed"]
    assert check["scored_as_of"].tolist() == [
        AS_OF - pd.Timedelta(weeks=26),
        AS_OF - pd.Timedelta(weeks=13),
    ]
    assert check["seen_in_training"].all()  # the model was trained on that period: said plainly
    # collected, independently: paid_eur difference between the two states, capped
    start = AS_OF - pd.Timedelta(weeks=13)
    before = portfolio_state(p, start)
    before = before[before["is_open"]].set_index("claim_id")
    after = portfolio_state(p, start + pd.Timedelta(days=90)).set_index("claim_id")
    paid = (after["paid_eur"].reindex(before.index) - before["paid_eur"]).clip(lower=0)
    expected = paid.clip(upper=before["outstanding_eur"]).sum()
    assert check["collected_eur"].iloc[1] == pytest.approx(expected, abs=0.01)
    assert check["claims"].iloc[1] == len(before)


def test_html_has_no_personal_data_and_no_code(run):
    root, _, p = run
    html = html_text(root / "11_judicial_review.html")
    personal = personal_strings(p)
    assert len(personal) > 300
    leaked = [s for s in personal if s in html]
    assert not leaked
    assert "review_table(" not in html and "import " not in html
    assert not re.search(r"<tbody>\s*<tr>\s*<th", html)  # no pandas index before the rows
    assert "PosixPath" not in html  # figure paths are not printed
    assert "Gain attendu" in html and "Budget de frais" in html  # French headers
    assert "Chiffres clés" in html and "Seuils de rentabilité" in html
    # the commissaire de justice tariff ended on 28 Feb 2026: a banner names it
    assert "Barèmes périmés au 30/06/2026" in html
    assert "tariffs.cj_acts.signification_eur" in html
    assert html.index("Barèmes périmés") < html.index("Chiffres clés")
    # the inputs of the decisions: plan and next step
    assert "Plans d" in html and "Prochaine étape le" in html and "Remarques juridiques" in html
    # plans written in French for managers (the codes stay in plans.csv for scripts)
    section = html.split("Plans d", 1)[1].split("Évolution", 1)[0]
    assert ", puis " in section and "injonction_de_payer" not in section
    assert html.index("Chiffres clés") < html.index("Seuils de rentabilité")


def test_prediction_check_from_previous_weekly_scores(tmp_path):
    """Hand-worked: payments after the scored date and up to as_of, capped per claim."""
    day = pd.Timestamp("2026-06-23")
    folder = tmp_path / day.date().isoformat() / "judicial"
    folder.mkdir(parents=True)
    pd.DataFrame(
        {
            "claim_id": ["A", "B"],
            "as_of": [day, day],
            "outstanding_eur": [1000.0, 500.0],
            "p_amicable": [0.6, 0.2],
            "expected_recovery_eur": [700.0, 100.0],
        }
    ).to_parquet(folder / "scores.parquet")
    events = pd.DataFrame(
        {
            "claim_id": ["A", "A", "B", "B", "B", "A"],
            "date": pd.to_datetime(
                ["2026-06-25", "2026-06-29", "2026-06-20", "2026-06-30", "2026-07-02", "2026-06-26"]
            ),
            "type": ["payment", "payment", "payment", "payment", "payment", "call_reached"],
            "amount": [300.0, 900.0, 400.0, 100.0, 50.0, None],
        }
    )
    pf = Portfolio(debtors=pd.DataFrame(), claims=pd.DataFrame(), events=events)

    model = SimpleNamespace(horizon_days_=90, window_={"calibration_end": "2026-01-01"})
    check = prediction_check(pf, model, "2026-06-30", history_dir=tmp_path)
    row = check.iloc[0]
    assert row["source"] == "weekly run"
    # A: 300 + 900 capped at 1000; B: only the 100 of 30/06 (20/06 before, 02/07 after)
    assert row["collected_eur"] == pytest.approx(1100.0)
    assert row["expected_eur"] == pytest.approx(800.0)
    assert row["collected_vs_expected"] == pytest.approx(1100 / 800)
    assert row["recovered_claims"] == 1
    assert row["expected_recovered_claims"] == pytest.approx(0.8)
    assert row["days_observed"] == 7 and not row["window_complete"]
    assert not row["seen_in_training"]  # labels end 2026-01-01 + 90 days < 23/06


def test_weekly_trend_compares_numbers_only():
    cur = {
        "open_claims": 12,
        "next_declaration_deadline": "2026-07-14",
        "routes": {"agency": {"claims": 3}},
    }
    prev = {"open_claims": 10, "routes": {"write_off": {"claims": 1}}, "horizon_days": 90}
    t = weekly_trend(cur, prev).set_index("figure")
    assert t.loc["open_claims", "change"] == 2
    assert pd.isna(t.loc["routes.agency.claims", "previous"])
    assert t.loc["routes.write_off.claims", "previous"] == 1
    assert "next_declaration_deadline" not in t.index and "horizon_days" not in t.index
    assert weekly_trend(cur, None).empty


def test_a_truncated_previous_summary_is_said_not_fatal(run, tmp_path):
    """Run by hand with a broken previous week: the report says so and goes on."""
    root, _, _ = run
    broken = tmp_path / "summary.json"
    broken.write_text('{"as_of": "2026-06-23", "headline": {"open_cl', "utf-8")
    params = {
        "portfolio": root / "portfolio",
        "model_dir": root / "model",
        "as_of": AS_OF.date().isoformat(),
        "out_dir": tmp_path / "judicial",
        "previous_summary": broken,
    }
    run_notebook(
        notebook_path("11_judicial_review"),
        tmp_path / "11.ipynb",
        params,
        html_path=tmp_path / "11.html",
    )
    html = html_text(tmp_path / "11.html")
    assert "Le résumé de la semaine précédente est inutilisable (not valid JSON" in html
    assert pd.read_csv(tmp_path / "judicial" / "trend.csv").empty
