"""The README's promises: its two commands, CI running the test command, its mapping example."""

from __future__ import annotations

import re
from pathlib import Path

from recovery_analytics.portfolio import load_mapping

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _first_block(language: str) -> str:
    return re.search(rf"```{language}\n(.*?)```", README, re.S).group(1)


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_one() -> None:
    commands = [line.split("#")[0].strip() for line in _first_block("bash").splitlines()]
    assert commands == ["make demo", "make test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci.splitlines()[-1]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)


def test_the_readme_mapping_example_is_a_valid_mapping(tmp_path: Path) -> None:
    path = tmp_path / "mapping.toml"
    path.write_text(_first_block("toml"), encoding="utf-8")
    mapping = load_mapping(path)
    assert mapping.currency_rates == {"USD": 0.92}
    assert mapping.features == {"numeric": ["Score"], "categorical": ["Segment"]}
