"""Safe writes: an output file appears whole or not at all.

Every writer of the package writes to a temporary name beside the target
(``.<stem>.<pid>-<random>.part<suffix>``, in the same folder, so on the same
file system) and renames it over the target only once the file is complete
(:func:`os.replace` is atomic on POSIX and Windows). A crash, a full disk or
Ctrl-C leaves the previous file intact and removes the temporary one.
Private module: :func:`atomic_path` and :func:`write_text_atomic` are public
from :mod:`recovery_analytics.portfolio`.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_path", "write_text_atomic"]


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.stem}.{os.getpid()}-{uuid.uuid4().hex[:8]}.part{path.suffix}")


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path to write; rename it to ``path`` when the block succeeds.

    The parent folder is created if needed. On any exception (including
    ``KeyboardInterrupt``) the temporary file is removed and ``path`` is left
    as it was.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "out.csv"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("a;b\\n")
    ...     target.exists()
    False
    >>> target.read_text(), sorted(p.name for p in target.parent.iterdir())
    ('a;b\\n', ['out.csv'])
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary(path)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise


def write_text_atomic(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` through :func:`atomic_path`; returns the path.

    Examples
    --------
    >>> import tempfile
    >>> write_text_atomic(Path(tempfile.mkdtemp()) / "s.json", "{}").read_text()
    '{}'
    """
    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding=encoding)
    return path
