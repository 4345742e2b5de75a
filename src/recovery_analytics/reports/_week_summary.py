"""The week's ``summary.json``, and the previous week's one it is compared with.

Private helpers of :func:`recovery_analytics.reports.run_weekly`. An earlier
week's ``summary.json`` that cannot be read (truncated, not JSON, not an
object) is skipped with a note: the trend is then against the week before it,
and a broken week never stops the later ones.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import pandas as pd

__all__: list[str] = []

#: Sub-folder of ``OUT_DIR/<as_of>/`` each notebook writes its files into
#: (``review.SCORES_FILE`` is ``judicial/scores.parquet``).
_SUBFOLDERS = {"10_weekly_call_queue": "call_queue", "11_judicial_review": "judicial"}


def _source_label(source: str | os.PathLike[str]) -> str:
    text = str(source)
    if "://" in text:
        from sqlalchemy.engine import make_url

        try:
            return make_url(text).render_as_string(hide_password=True)
        except Exception:
            return text.split("://", 1)[0] + "://…"
    return str(Path(text).resolve())


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _previous_summary(out_root: Path, day: pd.Timestamp) -> tuple[Path | None, list[str]]:
    """The latest readable ``summary.json`` of a week before ``day``, and notes on skipped ones.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> for d, text in (("2026-06-16", '{"as_of": "2026-06-16"}'), ("2026-06-23", '{"as_')):
    ...     (root / d).mkdir()
    ...     _ = (root / d / "summary.json").write_text(text)
    >>> path, notes = _previous_summary(root, pd.Timestamp("2026-06-30"))
    >>> path.parent.name, notes[0].split(":")[0]
    ('2026-06-16', 'skipped the summary of 2026-06-23')
    """
    from recovery_analytics.judicial import history_files, read_summary

    notes = []
    for path in reversed(history_files(out_root, day, "summary.json")):
        data, problem = read_summary(path)
        if data is None:
            notes.append(
                f"skipped the summary of {path.parent.name}: {path} cannot be used ({problem}); "
                "the trend compares with the week before it"
            )
            continue
        return path, notes
    return None, notes


def _finite(value: Any) -> Any:
    """JSON has no Infinity or NaN: such figures are written as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _summary(p, source, model_dir, day, folder, previous, notebooks, html) -> dict[str, Any]:
    from recovery_analytics.judicial import weekly_trend

    judicial = _read_json(folder / _SUBFOLDERS["11_judicial_review"] / "summary.json")
    queue_file = folder / _SUBFOLDERS["10_weekly_call_queue"] / "summary.json"
    queue = _read_json(queue_file) if queue_file.is_file() else None
    headline = {k: v for k, v in judicial.items() if k not in ("as_of", "horizon_days")}
    headline["quarantined_rows"] = len(p.quarantine)
    if queue:
        headline["call_queue"] = {k: v for k, v in queue.items() if k != "as_of"}
    prev = _read_json(previous) if previous is not None else None
    trend = weekly_trend(headline, (prev or {}).get("headline"))
    trend = trend.astype("object").where(trend.notna(), None)
    return _finite(
        {
            "as_of": day.date().isoformat(),
            "portfolio": _source_label(source),
            "model_dir": str(model_dir),
            "horizon_days": judicial.get("horizon_days"),
            "headline": headline,
            "judicial": judicial,
            "call_queue": queue,
            "previous_as_of": (prev or {}).get("as_of"),
            "trend": trend.to_dict(orient="records"),
            "files": {
                "quarantine": "quarantine.csv",
                **{f"{n}.ipynb": path.name for n, path in notebooks.items()},
                **{f"{n}.html": path.name for n, path in html.items()},
                **{n: _SUBFOLDERS[n] + "/" for n in notebooks if n in _SUBFOLDERS},
                "warnings": "warnings.csv",
            },
        }
    )
