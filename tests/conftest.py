"""Shared test configuration: a headless matplotlib backend for every test."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
