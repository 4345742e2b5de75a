"""The public surface: every name in ``__all__`` resolves to the object of its module."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import recovery_analytics as ra


@pytest.mark.parametrize("name", ra.__all__)
def test_every_public_name_resolves(name: str) -> None:
    module = importlib.import_module(f"recovery_analytics.{ra._EXPORTS[name]}")
    assert getattr(ra, name) is getattr(module, name)
    assert name in module.__all__


def test_unknown_name_raises_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_thing"):
        ra.no_such_thing  # noqa: B018


def test_importing_the_package_does_not_import_the_heavy_stack() -> None:
    code = (
        "import sys, recovery_analytics; print('lightgbm' in sys.modules, 'pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
