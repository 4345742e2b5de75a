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


@pytest.fixture(scope="session")
def postgres_url():
    """A PostgreSQL server for the tests (``make test`` starts one: scripts/test-postgres.sh).

    Without ``RA_TEST_POSTGRES_URL`` the test is skipped with the reason the script
    gave -- except under ``CI=true``, where a missing server fails the test.
    """
    import os

    url = os.environ.get("RA_TEST_POSTGRES_URL")
    if url:
        return url
    reason = os.environ.get(
        "RA_TEST_POSTGRES_SKIP",
        "no PostgreSQL server: RA_TEST_POSTGRES_URL is not set (run the tests with "
        "`make test`, or scripts/test-postgres.sh <command>)",
    )
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)
