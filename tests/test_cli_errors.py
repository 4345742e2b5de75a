"""Every failure of a command is one line and an exit status: 2 bad input, 1 other, 130 Ctrl-C.

A traceback only with ``--debug``; a folder's own ``mapping.toml`` is announced
by every command that applies it.
"""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from recovery_analytics.cli import main
from recovery_analytics.demo import generate_demo
from recovery_analytics.portfolio import _io, write_portfolio


@pytest.fixture(scope="module")
def src(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli_errors") / "p"
    write_portfolio(generate_demo(30, seed=5), folder)
    return folder


def run(*args):
    res = CliRunner().invoke(main, [str(a) for a in args])
    lines = [line for line in res.output.splitlines() if line and not line.startswith("score:")]
    return res, lines


def _one_error(res, lines, code, *needles):
    assert res.exit_code == code, res.output
    errors = [line for line in lines if line.startswith(("error:", "interrupted"))]
    assert len(errors) == 1, res.output
    assert "Traceback" not in res.output
    for needle in needles:
        assert needle in errors[0], errors[0]
    return errors[0]


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("[claims.columns]\n'Numéro' = 'claim_id'\n".encode("cp1252"), "is not UTF-8 text"),
        (b'[read]\nencoding = "base64"\n', "'base64' is not a text encoding"),
        (b'files = "x"\n', "[files] must be a table"),
        (b'[claims]\ncolumns = "x"\n', "[claims.columns] must be a table"),
        (b'[read]\ndayfirst = "false"\n', "[read] dayfirst = 'false': expected true or false"),
        (b"[currency_rates]\nUSD = inf\n", "[currency_rates] USD = inf"),
    ],
)
def test_bad_mappings_are_one_line_exit_2(src, tmp_path, content, needle):
    mapping = tmp_path / "m.toml"
    mapping.write_bytes(content)
    res, lines = run("validate", "--portfolio", src, "--mapping", mapping)
    _one_error(res, lines, 2, needle)


def test_a_file_that_is_not_a_database_is_exit_2(tmp_path):
    fake = tmp_path / "passwd"
    fake.write_text("root:x:0:0:root:/root:/bin/bash\n")
    res, lines = run("validate", "--portfolio", f"sqlite:///{fake}")
    line = _one_error(res, lines, 2, "cannot read the tables of sqlite:///")
    assert "root:x" not in line  # the file's content is never quoted


def test_out_whose_parent_is_a_file_fails_before_computing(src, tmp_path, monkeypatch):
    (tmp_path / "afile").write_text("x")
    called = []
    monkeypatch.setattr(_io, "_finalize", lambda *a, **k: called.append(1))
    for command in ("score", "judicial"):
        res, lines = run(command, "--portfolio", src, "--model", tmp_path, "--as-of",
                         "2026-06-30", "--out", tmp_path / "afile" / "scores.csv")  # fmt: skip
        _one_error(res, lines, 2, "is a file, not a folder")
        res, lines = run(command, "--portfolio", src, "--model", tmp_path, "--as-of",
                         "2026-06-30", "--out", tmp_path / "scores.txt")  # fmt: skip
        _one_error(res, lines, 2, "use a .parquet, .csv or .xlsx file name")
    assert not called  # refused before reading anything


def test_an_output_folder_under_a_file_is_exit_2(src, tmp_path):
    (tmp_path / "afile").write_text("x")
    res, lines = run("validate", "--portfolio", src, "--out-dir", tmp_path / "afile" / "q")
    _one_error(res, lines, 2, "cannot read or write a file", "afile")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_a_read_only_output_folder_is_exit_2(src, tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        res, lines = run("validate", "--portfolio", src, "--out-dir", ro)
        _one_error(res, lines, 2, "Permission denied")
    finally:
        ro.chmod(0o700)


def test_ctrl_c_exits_130_in_one_line(src, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("recovery_analytics.portfolio.read_portfolio", interrupted)
    res, lines = run("validate", "--portfolio", src)
    _one_error(res, lines, 130, "interrupted (Ctrl-C)")


def test_an_unexpected_error_is_one_line_exit_1_and_debug_shows_it(src, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the ledger is broken\nsecond line")

    monkeypatch.setattr("recovery_analytics.portfolio.read_portfolio", broken)
    res, lines = run("validate", "--portfolio", src)
    line = _one_error(res, lines, 1, "RuntimeError: the ledger is broken", "--debug")
    assert "second line" not in line
    res = CliRunner().invoke(main, ["--debug", "validate", "--portfolio", str(src)])
    assert isinstance(res.exception, RuntimeError)  # propagated: the traceback is shown


def test_a_folders_own_mapping_is_announced_by_every_command(src, tmp_path):
    folder = tmp_path / "own"
    write_portfolio(generate_demo(30, seed=5), folder)
    (folder / "mapping.toml").write_text('[read]\nsep = ","\n', encoding="utf-8")
    res = CliRunner().invoke(main, ["aged-balance", "--portfolio", str(folder),
                                    "--as-of", "2026-06-30"])  # fmt: skip
    assert res.exit_code == 0
    assert f"note: mapping read from {folder / 'mapping.toml'}" in res.stderr
    res = CliRunner().invoke(main, ["validate", "--portfolio", str(folder)])
    assert f"mapping read from {folder / 'mapping.toml'}" in res.stderr


def test_weekly_before_the_first_invoice_is_one_line_exit_2(src, tmp_path):
    from recovery_analytics.reports import ensure_model

    model = ensure_model(src, tmp_path / "m", progress=False, n_estimators=5, num_threads=1)
    args = ["weekly", "--portfolio", src, "--model", model, "--as-of", "2000-01-01",
            "--out-dir", tmp_path / "o"]  # fmt: skip
    res = CliRunner().invoke(main, [str(a) for a in args])
    assert res.exit_code == 2
    errors = [line for line in res.stderr.splitlines() if line.startswith("error:")]
    assert (
        errors == [errors[0]]
        and "as_of 01/01/2000 is before the first invoice of the portfolio" in errors[0]
    )
    assert not (tmp_path / "o" / "2000-01-01").exists()
    assert not list((tmp_path / "o").glob("2000-01-01.*"))


def test_permission_denied_on_an_output_is_exit_2(src, tmp_path, monkeypatch):
    def denied(frame, path, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("recovery_analytics.portfolio.write_quarantine", denied)
    res, lines = run("validate", "--portfolio", src, "--out-dir", tmp_path / "ro")
    _one_error(res, lines, 2, "Permission denied", "quarantine.csv")
