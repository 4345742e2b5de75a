"""A validated portfolio written once and read back as it is (no second validation).

The weekly job reads and validates its source once, writes the result with
:func:`write_validated` into its staging folder and hands that folder to the
notebooks, which read it with :func:`read_validated`: the tables, the
quarantine, the warnings and the counts come back exactly as validated
(dtypes included), in a fraction of the time a second validation takes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from recovery_analytics.portfolio._atomic import atomic_path, write_text_atomic
from recovery_analytics.portfolio._schema import InputError, Portfolio

__all__ = ["read_validated", "write_validated"]

#: The file that marks a folder written by :func:`write_validated`.
VALIDATED_FILE = "validated.json"
_FORMAT = 1
_FRAMES = ("debtors", "claims", "events", "quarantine", "warnings", "counts", "fec_lines")


def write_validated(portfolio: Portfolio, folder: str | Path) -> Path:
    """Write a validated portfolio as Parquet files plus ``validated.json``.

    Parameters
    ----------
    portfolio : Portfolio
        As returned by :func:`read_portfolio` (or ``validate_portfolio``).
    folder : str or Path
        Created if needed; holds one ``<name>.parquet`` per table.

    Returns
    -------
    Path
        The folder, to pass to :func:`read_validated`.

    Examples
    --------
    >>> import tempfile
    >>> from recovery_analytics.demo import generate_demo
    >>> p = generate_demo(20, seed=1)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     q = read_validated(write_validated(p, d))
    >>> q.claims.equals(p.claims)
    True
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    rows = {}
    for name in _FRAMES:
        frame = getattr(portfolio, name)
        if frame is None:
            continue
        with atomic_path(out / f"{name}.parquet") as tmp:
            frame.to_parquet(tmp, index=False)
        rows[name] = len(frame)
    meta = {
        "format": _FORMAT,
        "rows": rows,
        "source": portfolio.source,
        "extra_features": {k: list(v) for k, v in portfolio.extra_features.items()},
        "notes": list(portfolio.notes),
    }
    write_text_atomic(out / VALIDATED_FILE, json.dumps(meta, indent=2, ensure_ascii=False))
    return out


def read_validated(folder: str | Path) -> Portfolio:
    """Read back a portfolio written by :func:`write_validated`, without validating it again.

    Raises
    ------
    InputError
        The folder was not written by :func:`write_validated`, or a file is missing or
        does not hold the rows it should.
    """
    where = Path(folder)
    try:
        meta = json.loads((where / VALIDATED_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        why = f"{VALIDATED_FILE}: {exc}"
        raise InputError(f"{where} is not a validated portfolio ({why})") from None
    if meta.get("format") != _FORMAT:
        raise InputError(f"{where}: validated portfolio of an unknown format {meta.get('format')}")
    frames = {}
    for name, count in meta["rows"].items():
        try:
            frames[name] = pd.read_parquet(where / f"{name}.parquet")
        except (OSError, ValueError) as exc:
            raise InputError(f"{where}: cannot read {name}.parquet: {exc}") from None
        if len(frames[name]) != count:
            raise InputError(f"{where}: {name}.parquet holds {len(frames[name])} rows, not {count}")
    return Portfolio(
        **frames,
        source=meta["source"],
        extra_features=meta["extra_features"],
        notes=meta["notes"],
    )
