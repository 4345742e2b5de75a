"""Build hook: ship the root ``notebooks/`` inside the package.

The notebooks live at the repository root (``notebooks/``, where analysts open
them in JupyterLab); the weekly job runs them from an installed package too, so
the build copies them into ``recovery_analytics/notebooks/``. All metadata is in
``pyproject.toml``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class _BuildPyWithNotebooks(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "recovery_analytics" / "notebooks"
        target.mkdir(parents=True, exist_ok=True)
        for notebook in sorted((Path(__file__).parent / "notebooks").glob("*.ipynb")):
            shutil.copy2(notebook, target / notebook.name)


setup(cmdclass={"build_py": _BuildPyWithNotebooks})
