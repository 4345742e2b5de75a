"""Small benchmark harness: run a step in a fresh process, time it, read its peak memory.

Each step runs in its own Python process so that its peak resident memory
(``ru_maxrss``) is its own and not the maximum of everything before it.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import textwrap
from importlib import metadata

PACKAGES = ("numpy", "pandas", "pyarrow", "scikit-learn", "lightgbm", "shap", "papermill")


def run_step(code: str, src: str | None = None) -> dict:
    """Run ``code`` in a new interpreter; it must set a dict named ``result``.

    Returns that dict plus ``peak_rss_mb`` (peak resident memory of the process).
    ``src``: a folder put first on ``PYTHONPATH`` (another version of the package,
    to measure before/after in one run).
    """
    import os

    env = None
    if src is not None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    wrapper = textwrap.dedent(
        """
        import json, resource, sys
        result = {}
        {code}
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        sys.stdout.write("\\n@@RESULT@@" + json.dumps(result))
        """
    ).replace("{code}", textwrap.dedent(code).strip())
    proc = subprocess.run(
        [sys.executable, "-c", wrapper], capture_output=True, text=True, check=False, env=env
    )
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark step failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.rsplit("@@RESULT@@", 1)[1])


def machine() -> dict:
    """Describe the machine and the versions of the stack."""
    import os

    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "versions": versions,
    }


def save_results(name: str, results: dict) -> None:
    """Write ``results/<name>.json`` beside this file (the recorded figures)."""
    from pathlib import Path

    folder = Path(__file__).resolve().parent / "results"
    folder.mkdir(exist_ok=True)
    text = json.dumps(results, indent=2) + "\n"
    (folder / f"{name}.json").write_text(text, encoding="utf-8")
