"""Predictions against cash, and the files of earlier weekly runs.

:func:`prediction_check` compares the euros the model expected at earlier
dates with the payments received since; :func:`history_files` finds the
outputs of earlier weekly runs. Both are public from
:mod:`recovery_analytics.judicial`.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from recovery_analytics.portfolio import Portfolio

__all__ = ["SCORES_FILE", "history_files", "prediction_check", "read_summary"]

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

#: Where a weekly run keeps the scores of its review, relative to ``OUT_DIR/<as_of>/``.
SCORES_FILE = "judicial/scores.parquet"


def _collected(portfolio: Portfolio, scored: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    """Payments per scored claim dated in (its as_of, end], capped at its outstanding."""
    ev = portfolio.events
    pay = ev[ev["type"].astype("str") == "payment"][["claim_id", "date", "amount"]]
    pay = pay.merge(scored[["claim_id", "as_of"]], on="claim_id", how="inner")
    pay = pay[(pay["date"] > pay["as_of"]) & (pay["date"] <= end)]
    paid = pay.groupby("claim_id")["amount"].sum(min_count=1).fillna(0.0)
    out = scored.copy()
    got = out["claim_id"].map(paid).fillna(0.0).to_numpy(dtype="float64")
    out["collected_eur"] = np.clip(got, 0.0, out["outstanding_eur"].to_numpy(dtype="float64"))
    tol = np.maximum(1.0, 0.01 * out["outstanding_eur"].to_numpy(dtype="float64"))
    out["recovered"] = out["outstanding_eur"].to_numpy() - out["collected_eur"].to_numpy() <= tol
    return out


def _check_rows(scored: pd.DataFrame, as_of: pd.Timestamp, horizon: int) -> dict[str, Any]:
    start = pd.Timestamp(scored["as_of"].iloc[0])
    end = min(start + pd.Timedelta(days=horizon), as_of)
    return {
        "scored_as_of": start,
        "window_end": end,
        "days_observed": int((end - start).days),
        "horizon_days": horizon,
        "window_complete": bool(start + pd.Timedelta(days=horizon) <= as_of),
        "claims": len(scored),
        "outstanding_eur": float(scored["outstanding_eur"].sum()),
        "expected_eur": float(scored["expected_recovery_eur"].sum()),
        "expected_recovered_claims": float(scored["p_amicable"].sum()),
        "end": end,
    }


def prediction_check(
    portfolio: Portfolio,
    model: Any,
    as_of: Any,
    *,
    history_dir: str | os.PathLike[str] | None = None,
    weeks_back: Sequence[int] = (13, 26),
    max_weeks: int = 8,
) -> pd.DataFrame:
    """How the predicted euros compared with what was actually collected.

    If ``history_dir`` holds earlier weekly outputs (``<ISO date>/judicial/scores.parquet``
    with a date before ``as_of``), the last ``max_weeks`` of them are compared
    with the payments received since (``source = "weekly run"``; the window
    is complete only once the horizon has passed). Otherwise the claims open
    at ``as_of - w`` weeks for each ``w`` of ``weeks_back`` are scored with
    ``model`` now and compared with the payments of the following horizon
    (``source = "reconstructed"``); the model may have been trained on that
    period (``seen_in_training``: the date is before the end of the model's
    training labels), so this flatters it.

    Returns
    -------
    pandas.DataFrame
        One row per scored date, oldest first: ``source, scored_as_of,
        window_end, days_observed, horizon_days, window_complete,
        seen_in_training, claims, outstanding_eur, expected_eur,
        collected_eur, collected_vs_expected, expected_recovered_claims,
        recovered_claims``. Collected = payments dated after the scored date
        and up to the window end, capped at each claim's outstanding then.
        An earlier ``scores.parquet`` that cannot be read is skipped and
        listed in ``attrs["skipped"]``.
    """
    from recovery_analytics.amicable import score_portfolio

    day = pd.Timestamp(as_of)
    horizon = int(getattr(model, "horizon_days_", 90) or 90)
    window = getattr(model, "window_", {}) or {}
    last_label = pd.Timestamp(window.get("calibration_end", window.get("train_end", "1900-01-01")))
    last_label += pd.Timedelta(days=horizon)
    frames: list[tuple[str, pd.DataFrame]] = []
    skipped = []
    for path in history_files(history_dir, day, SCORES_FILE)[-max_weeks:]:
        try:
            frames.append(("weekly run", pd.read_parquet(path)))
        except Exception as exc:  # truncated or not Parquet: pyarrow raises several types
            skipped.append(f"{path}: {str(exc).splitlines()[0] if str(exc) else exc!r}")
    if not frames:
        for w in sorted(weeks_back, reverse=True):
            d = day - pd.Timedelta(weeks=int(w))
            s = score_portfolio(portfolio, model, d)
            frames.append(("reconstructed", s[s["outstanding_eur"] > 0.01]))
    rows = []
    for source, scored in frames:
        if not len(scored):
            continue
        scored = scored.assign(as_of=pd.to_datetime(scored["as_of"]))
        row = _check_rows(scored, day, horizon)
        got = _collected(portfolio, scored, row.pop("end"))
        row["collected_eur"] = float(got["collected_eur"].sum())
        row["recovered_claims"] = int(got["recovered"].sum())
        row["seen_in_training"] = bool(row["scored_as_of"] < last_label)
        rows.append({"source": source, **row})
    cols = [
        "source",
        "scored_as_of",
        "window_end",
        "days_observed",
        "horizon_days",
        "window_complete",
        "seen_in_training",
        "claims",
        "outstanding_eur",
        "expected_eur",
        "collected_eur",
        "collected_vs_expected",
        "expected_recovered_claims",
        "recovered_claims",
    ]
    out = pd.DataFrame(rows, columns=[c for c in cols if c != "collected_vs_expected"])
    out["collected_vs_expected"] = out["collected_eur"] / out["expected_eur"].where(
        out["expected_eur"] > 0
    )
    out = out.astype({"source": "str"})[cols]
    out = out.sort_values("scored_as_of", kind="stable").reset_index(drop=True)
    out.attrs["skipped"] = skipped
    return out


def history_files(root: str | os.PathLike[str] | None, before: Any, relative: str) -> list[Path]:
    """The files ``root/<ISO date>/<relative>`` of the weekly runs dated before ``before``.

    Parameters
    ----------
    root : path-like or None
        The root of the weekly outputs (``OUT_DIR``); None or a missing folder
        gives an empty list.
    before : date-like
        Only sub-folders named exactly ``YYYY-MM-DD`` (a valid date) strictly
        earlier are looked at: ``06-29-2026``, ``2026-06-30.incomplete`` or
        ``2026-06-30.failed-...`` are not weeks.
    relative : str
        The file inside each dated folder (``"summary.json"``, :data:`SCORES_FILE`).

    Returns
    -------
    list of pathlib.Path
        The files that exist, oldest first.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> for day in ("2026-06-16", "2026-06-23", "2026-06-30", "notes", "06-29-2026",
    ...             "2026-06-23.failed-20260623T101500", "2026-02-30"):
    ...     (root / day).mkdir()
    ...     _ = (root / day / "summary.json").write_text("{}")
    >>> [p.parent.name for p in history_files(root, "2026-06-30", "summary.json")]
    ['2026-06-16', '2026-06-23']
    """
    if root is None or not Path(root).is_dir():
        return []
    before = pd.Timestamp(before)
    found = []
    for child in Path(root).iterdir():
        day = None
        if _ISO_DAY.fullmatch(child.name):  # not "06-29-2026", "2026-06-30.failed-..."
            try:
                day = pd.Timestamp(datetime.date.fromisoformat(child.name))
            except ValueError:
                day = None
        if child.is_dir() and day is not None and day < before:
            found.append((day, child / relative))
    return [path for _, path in sorted(found) if path.is_file()]


def read_summary(path: str | os.PathLike[str] | None) -> tuple[dict | None, str]:
    """An earlier week's ``summary.json``, or None and why it cannot be used.

    Returns ``(summary, problem)``: ``(None, "")`` when ``path`` is None; when
    the file is missing, truncated, not JSON or not a JSON object,
    ``(None, reason)`` so that a report can say so instead of failing.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "summary.json"
    >>> _ = path.write_text('{"as_of": "2026-06-23", "headl')
    >>> summary, problem = read_summary(path)
    >>> summary, problem.split(":")[0]
    (None, 'not valid JSON')
    >>> _ = path.write_text('{"as_of": "2026-06-23"}')
    >>> read_summary(path)
    ({'as_of': '2026-06-23'}, '')
    """
    import json

    if path is None:
        return None, ""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        return None, f"cannot be read: {exc.strerror or exc}"
    except UnicodeDecodeError:
        return None, "not UTF-8 text"
    except json.JSONDecodeError as exc:
        return None, f"not valid JSON: {exc.msg} (line {exc.lineno})"
    if not isinstance(data, dict):
        return None, "not a JSON object"
    return data, ""
