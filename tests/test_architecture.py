"""The house stays as ``docs/architecture.md`` draws it.

One subpackage per stage of the data flow, imports going one way::

    cli -> reports -> queue -> judicial -> amicable -> state -> portfolio -> style
                                                  demo -> portfolio -> style

These tests read every module's imports (module level, inside functions and
under ``TYPE_CHECKING`` alike) and fail on an import going the wrong way, an
import cycle between modules, plot code imported by computing code, a module
too long to read in one sitting, or a stage ``__init__`` that does not list
its public names.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import recovery_analytics as ra

PACKAGE = Path(ra.__file__).parent

#: stage -> the stages it may import (besides itself)
ALLOWED: dict[str, set[str]] = {
    "style": set(),
    "portfolio": {"style"},
    "demo": {"portfolio", "style"},
    "state": {"portfolio", "style"},
    "amicable": {"state", "portfolio", "style"},
    "judicial": {"amicable", "state", "portfolio", "style"},
    "queue": {"judicial", "amicable", "state", "portfolio", "style"},
    "reports": {"queue", "judicial", "amicable", "state", "portfolio", "style"},
    "cli": {"reports", "queue", "judicial", "amicable", "state", "demo", "portfolio", "style"},
}
STAGES = sorted(ALLOWED)
#: where plots may be imported from (a stage's figures are for people, not for computing)
MAY_IMPORT_PLOTS = {"reports", "cli"}
MAX_LINES = 450


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path) -> set[str]:
    """The ``recovery_analytics`` modules that ``name`` imports (resolved to modules)."""
    known = _modules()
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = name if path.name == "__init__.py" else name.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{node.module}" if node.module else package
            else:
                base = node.module or ""
            # "from package import module" imports the module
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names
            ]
        else:
            continue
        found.update(t for t in targets if t.split(".")[0] == "recovery_analytics")
    return found - {name}


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def _graph() -> dict[str, set[str]]:
    return {name: _imports(name, path) for name, path in _modules().items()}


def test_every_module_belongs_to_a_known_stage():
    strays = [m for m in _modules() if m != "recovery_analytics" and _stage(m) not in ALLOWED]
    assert not strays, f"modules outside the stages of docs/architecture.md: {strays}"


def test_imports_go_one_way():
    wrong = []
    for module, targets in _graph().items():
        stage = _stage(module)
        if stage is None:  # the top-level __init__ re-exports lazily, by name
            continue
        for target in targets:
            other = _stage(target)
            if other is None:
                wrong.append(f"{module} imports the top-level package")
            elif other != stage and other not in ALLOWED[stage]:
                wrong.append(f"{module} ({stage}) imports {target} ({other})")
    assert not wrong, "imports going the wrong way:\n" + "\n".join(sorted(wrong))


def test_no_import_cycle():
    graph = _graph()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_plot_code_is_never_imported_by_computing_code():
    wrong = []
    for module, targets in _graph().items():
        if module.endswith(".plots") or _stage(module) in MAY_IMPORT_PLOTS:
            continue
        wrong += [f"{module} imports {t}" for t in targets if t.endswith(".plots")]
    assert not wrong, "\n".join(wrong)


def test_computing_stages_import_without_matplotlib():
    # importing any stage but reports (and calling nothing) loads no plotting stack
    stages = [s for s in STAGES if s != "reports"]
    code = "import sys\n" + "".join(f"import recovery_analytics.{s}\n" for s in stages)
    code += "print(sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'papermill'}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_private_modules_start_with_an_underscore():
    public = {"__init__.py", "plots.py"}
    wrong = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if p.parent != PACKAGE and p.name not in public and not p.name.startswith("_")
    ]
    assert not wrong, f"modules inside a stage are private (_name.py) or plots.py: {wrong}"


def test_modules_are_short_enough_to_read():
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules above {MAX_LINES} lines: {long}"


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_says_what_it_takes_and_gives(stage):
    module = importlib.import_module(f"recovery_analytics.{stage}")
    assert module.__doc__ and len(module.__doc__.split()) >= 20
    assert module.__all__, f"recovery_analytics.{stage} lists no public names"
    for name in module.__all__:
        assert hasattr(module, name), f"recovery_analytics.{stage}.{name}"


def test_the_top_level_exports_come_from_the_stages():
    for name, where in ra._EXPORTS.items():
        assert where.split(".")[0] in ALLOWED, f"{name} is exported from {where}"


def test_an_upward_import_is_caught(tmp_path):
    # the checker itself: a state module importing the queue is reported
    bad = tmp_path / "bad.py"
    bad.write_text("from recovery_analytics.queue import build_call_queue\n", encoding="utf-8")
    targets = _imports("recovery_analytics.state._bad", bad)
    assert targets == {"recovery_analytics.queue"}
    assert "queue" not in ALLOWED["state"]
