"""Shared test configuration: a headless matplotlib backend, figures closed after each test."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every figure a test opened (matplotlib warns past 20 open figures)."""
    yield
    plt.close("all")
