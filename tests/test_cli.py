"""The command line: exit codes, messages, files written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from recovery_analytics.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_help_lists_the_commands(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("demo-data", "validate", "aged-balance"):
        assert command in result.output


def test_demo_data_same_seed_gives_byte_identical_files(runner: CliRunner, tmp_path: Path) -> None:
    for name in ("a", "b"):
        result = runner.invoke(
            main, ["demo-data", "--out", str(tmp_path / name), "--debtors", "60"]
        )
        assert result.exit_code == 0, result.output
    for table in ("debtors", "claims", "events"):
        first = (tmp_path / "a" / f"{table}.csv").read_bytes()
        assert first == (tmp_path / "b" / f"{table}.csv").read_bytes()
        assert len(first) > 100
    other = tmp_path / "c"
    runner.invoke(main, ["demo-data", "--out", str(other), "--debtors", "60", "--seed", "1"])
    assert (other / "claims.csv").read_bytes() != (tmp_path / "a" / "claims.csv").read_bytes()


def test_validate_erp_export_writes_every_bad_row(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        main, ["validate", "--portfolio", str(FIXTURES / "erp_fr"), "--out-dir", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "claims" in result.output and "quarantined" in result.output
    quarantine = pd.read_csv(tmp_path / "quarantine.csv", sep=";", encoding="utf-8-sig")
    assert sorted(quarantine["record_id"]) == sorted(
        [
            *("BAD-DATE", "BAD-NEG", "F07-0000002", "BAD-DEBTOR", "BAD-AMOUNT", "BAD-ORDER"),
            *("NO-SUCH-CLAIM", "F07-0000065"),  # the unknown claim and the `telepathy` event
        ]
    )
    assert quarantine["reason"].str.len().min() > 20


def test_validate_strict_exits_1_when_rows_are_quarantined(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", "--strict", "--portfolio", str(FIXTURES / "erp_fr")])
    assert result.exit_code == 1


def test_structural_problem_exits_2_with_one_line_and_no_traceback(
    runner: CliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "bad"
    shutil.copytree(FIXTURES / "erp_fr", bad)
    claims = (bad / "claims.csv").read_text(encoding="cp1252").replace("due_date", "echeance")
    (bad / "claims.csv").write_text(claims, encoding="cp1252")
    result = runner.invoke(main, ["validate", "--portfolio", str(bad)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "due_date" in result.output
    missing = runner.invoke(main, ["validate", "--portfolio", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2
    assert "not found" in missing.output


def test_aged_balance_totals_match_open_outstanding(runner: CliRunner, tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    runner.invoke(main, ["demo-data", "--out", str(demo), "--debtors", "80"])
    out = tmp_path / "out"
    result = runner.invoke(
        main,
        ["aged-balance", "--portfolio", str(demo), "--as-of", "30/06/2026", "--out-dir", str(out)],
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "aged_balance.csv")
    assert (out / "aged_balance.png").stat().st_size > 1000

    from recovery_analytics.portfolio import read_portfolio
    from recovery_analytics.state import portfolio_state

    state = portfolio_state(read_portfolio(demo), pd.Timestamp("2026-06-30"))
    expected = state.loc[state["is_open"], "outstanding_eur"].sum()
    assert table["outstanding_eur"].sum() == pytest.approx(expected)


def test_bad_date_option_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(
        main, ["aged-balance", "--portfolio", str(FIXTURES / "erp_fr"), "--as-of", "31/02/2026"]
    )
    assert result.exit_code == 2
    assert "not a date" in result.output


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small demo portfolio and a model trained on it through the CLI."""
    root = tmp_path_factory.mktemp("cli-model")
    runner = CliRunner()
    demo, model = root / "demo", root / "model"
    assert runner.invoke(main, ["demo-data", "--out", str(demo), "--debtors", "200"]).exit_code == 0
    result = runner.invoke(
        main, ["train", "--portfolio", str(demo), "--model-out", str(model), "--threads", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "ROC AUC" in result.output and "oldest_first" in result.output
    return demo, model


def test_train_writes_model_and_card(trained: tuple[Path, Path]) -> None:
    _, model = trained
    names = {p.name for p in model.iterdir()}
    assert {"model.json", "model_card.json", "model_card.md"} <= names
    assert not any(name.endswith((".pkl", ".pickle", ".joblib")) for name in names)


def test_score_writes_one_row_per_open_claim(runner: CliRunner, trained, tmp_path: Path) -> None:
    demo, model = trained
    out = tmp_path / "scores.csv"
    args = ["score", "--portfolio", str(demo), "--model", str(model), "--as-of", "2026-06-30"]
    result = runner.invoke(main, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    from recovery_analytics.judicial import SCORE_TABLE_COLUMNS

    assert tuple(table.columns[: len(SCORE_TABLE_COLUMNS)]) == SCORE_TABLE_COLUMNS
    assert table["p_amicable"].between(0, 1).all()
    assert f"{len(table):,d} open claims scored" in result.output
    again = tmp_path / "again.csv"
    runner.invoke(main, [*args, "--out", str(again)])
    assert again.read_bytes() == out.read_bytes()


def test_judicial_writes_every_route(runner: CliRunner, trained, tmp_path: Path) -> None:
    demo, model = trained
    out = tmp_path / "judicial.parquet"
    result = runner.invoke(
        main,
        ["judicial", "--portfolio", str(demo), "--model", str(model)]
        + ["--as-of", "2026-06-30", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    table = pd.read_parquet(out)
    assert "net_injonction_de_payer_eur" in table.columns
    assert {"plan", "next_step_date", "p_amicable_used", "legal_notes"} <= set(table.columns)
    assert "recommended routes:" in result.output
    # the commissaire de justice tariff ended on 28 Feb 2026: said, naming it
    assert "warning: tariffs outdated on 2026-06-30" in result.output
    assert "tariffs.cj_acts.signification_eur" in result.output


def test_no_tariff_warning_before_expiry_or_with_a_current_costs_file(
    runner: CliRunner, trained, tmp_path: Path
) -> None:
    demo, _ = trained
    args = ["judicial", "--portfolio", str(demo), "--out", str(tmp_path / "j.csv")]
    early = runner.invoke(main, [*args, "--as-of", "2026-01-31"])
    assert early.exit_code == 0 and "tariffs outdated" not in early.output
    costs = tmp_path / "costs.toml"
    from recovery_analytics.judicial import load_schedule

    keys = load_schedule().outdated("2026-06-30")
    costs.write_text("".join(f"[{k}]\nvalid_to = 2028-02-29\n" for k in keys), encoding="utf-8")
    current = runner.invoke(main, [*args, "--as-of", "2026-06-30", "--costs", str(costs)])
    assert current.exit_code == 0, current.output
    assert "tariffs outdated" not in current.output


def test_invalid_costs_file_exits_2_naming_the_key(
    runner: CliRunner, trained, tmp_path: Path
) -> None:
    demo, _ = trained
    costs = tmp_path / "costs.toml"
    costs.write_text("[routes.injonction_de_payer]\nlawyer_fee_eur = 'abc'\n", encoding="utf-8")
    result = runner.invoke(
        main,
        ["judicial", "--portfolio", str(demo), "--as-of", "2026-06-30"]
        + ["--costs", str(costs), "--out", str(tmp_path / "j.csv")],
    )
    assert result.exit_code == 2, result.output
    assert "lawyer_fee_eur" in result.output


def test_score_with_a_missing_model_folder_is_a_usage_error(runner: CliRunner, tmp_path) -> None:
    result = runner.invoke(
        main,
        ["score", "--portfolio", str(FIXTURES / "erp_fr"), "--model", str(tmp_path / "none")]
        + ["--as-of", "2026-06-30", "--out", str(tmp_path / "s.csv")],
    )
    assert result.exit_code == 2


def test_call_queue_exports_csv_and_xlsx(runner: CliRunner, trained, tmp_path: Path) -> None:
    demo, model = trained
    base = ["call-queue", "--portfolio", str(demo), "--model", str(model), "--as-of", "2026-06-30"]
    base += ["--collectors", "2", "--calls-per-collector", "5"]
    csv = tmp_path / "queue.csv"
    result = runner.invoke(main, [*base, "--out", str(csv)])
    assert result.exit_code == 0, result.output
    assert "warning: tariffs outdated on 2026-06-30" in result.output
    raw = csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for French Excel
    queue = pd.read_csv(csv, sep=";", encoding="utf-8-sig")
    assert 0 < len(queue) <= 10  # capacity: 2 collectors x 5 calls
    assert queue.columns[0] == "Rang"  # French headers by default
    xlsx = tmp_path / "queue.xlsx"
    assert runner.invoke(main, [*base, "--out", str(xlsx), "--lang", "en"]).exit_code == 0
    import openpyxl

    sheets = openpyxl.load_workbook(xlsx, read_only=True).sheetnames
    assert len(sheets) >= 3
    bad = runner.invoke(main, [*base, "--out", str(tmp_path / "queue.txt")])
    assert bad.exit_code == 2 and ".xlsx or .csv" in bad.output
    assert "Calls valued by" in result.output  # how the calls were valued, always said


def test_call_queue_on_a_ledger_without_calls_states_the_fallback(
    runner: CliRunner, trained, tmp_path: Path
) -> None:
    import shutil

    demo, model = trained
    ledger = tmp_path / "ledger"
    shutil.copytree(demo, ledger)
    events = pd.read_csv(ledger / "events.csv", dtype=str, keep_default_na=False)
    keep = ~events["type"].isin(["call_attempt", "call_reached", "promise_to_pay"])
    events[keep].to_csv(ledger / "events.csv", index=False)
    out = tmp_path / "queue.csv"
    args = ["call-queue", "--portfolio", str(ledger), "--model", str(model), "--as-of"]
    args += ["2026-06-30", "--collectors", "2", "--calls-per-collector", "5", "--out", str(out)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "fallback: no calls logged in the history" in result.output
    assert len(pd.read_csv(out, sep=";", encoding="utf-8-sig")) > 0


def test_quarantine_is_written_next_to_the_outputs(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out" / "judicial.csv"
    args = ["judicial", "--portfolio", str(FIXTURES / "erp_fr"), "--as-of", "2026-06-30"]
    result = runner.invoke(main, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    quarantine = pd.read_csv(out.parent / "quarantine.csv", sep=";", encoding="utf-8-sig")
    assert len(quarantine) == 8
    assert "8 input row(s) quarantined" in result.output
