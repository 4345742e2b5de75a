"""A weekly run writes its week whole or not at all.

Private helpers of :func:`recovery_analytics.reports.run_weekly`:

- :func:`weekly_lock` takes ``OUT_DIR/.weekly.lock`` (an OS lock, released
  by the system when the process ends, even killed): a second run into the same
  ``OUT_DIR`` stops at once with :class:`WeeklyLockedError` (an ``InputError``:
  CLI exit 2) naming the running one, instead of mixing its files with it;
- :func:`staged_week` builds the week in ``OUT_DIR/<as_of>.incomplete/`` and
  swaps it in as ``OUT_DIR/<as_of>/`` only when everything succeeded; a failed
  or interrupted run leaves the previous ``<as_of>/`` (if any) as it was and
  its partial week under ``OUT_DIR/<as_of>.failed-<YYYYmmddTHHMMSS>/``. A
  run killed outright (``kill -9``, power cut) leaves ``<as_of>.incomplete/``:
  the next run renames it to ``<as_of>.failed-…`` before starting. A re-run
  moves the old week aside (``<as_of>.replaced-…``), renames the new one in,
  then deletes the old one; killed between the two renames, the next run puts
  the old week back first.

Only folders named exactly ``YYYY-MM-DD`` are weeks
(:func:`recovery_analytics.judicial.history_files`): the ``.incomplete`` and
``.failed-…`` folders are never read as a previous week.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

from recovery_analytics.portfolio import InputError

__all__ = ["LOCK_FILE", "WeeklyLockedError", "staged_week", "weekly_lock"]

#: The lock file of a weekly output root.
LOCK_FILE = ".weekly.lock"


class WeeklyLockedError(InputError):
    """Another weekly run holds the lock of this output folder."""

    __module__ = "recovery_analytics.reports"


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextlib.contextmanager
def weekly_lock(out_root: Path) -> Iterator[Path]:
    """Hold ``out_root/.weekly.lock`` for the block; raise WeeklyLockedError if taken.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> with weekly_lock(root):
    ...     try:
    ...         with weekly_lock(root):
    ...             pass
    ...     except WeeklyLockedError as exc:
    ...         print(str(exc).split(":")[0])
    another weekly run is writing into this folder
    """
    out_root.mkdir(parents=True, exist_ok=True)
    path = out_root / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _try_lock(fd):
            holder = path.read_text("utf-8", errors="replace").strip() or "unknown process"
            raise WeeklyLockedError(
                f"another weekly run is writing into this folder: {out_root} (held by "
                f"{holder}); wait for it to finish, then run again"
            )
        os.ftruncate(fd, 0)
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        os.write(fd, f"pid {os.getpid()} on {socket.gethostname()} since {stamp}\n".encode())
        yield path
    finally:
        os.close(fd)  # releases the lock


def _aside(folder: Path, label: str) -> Path:
    """A free name ``<folder>.<label>-<timestamp>`` beside ``folder``."""
    stamp = time.strftime("%Y%m%dT%H%M%S")
    target = folder.with_name(f"{folder.name}.{label}-{stamp}")
    k = 2
    while target.exists():
        target = folder.with_name(f"{folder.name}.{label}-{stamp}-{k}")
        k += 1
    return target


class _Stage:
    """Where a run writes (``path``), where it will land (``final``), where a failure goes."""

    def __init__(self, final: Path) -> None:
        self.final = final
        self.path = final.with_name(f"{final.name}.incomplete")
        self.failed: Path | None = None
        self.notes: list[str] = []


@contextlib.contextmanager
def staged_week(final: Path) -> Iterator[_Stage]:
    """Build the week in ``<final>.incomplete`` and swap it in on success (hold the lock).

    On an exception (including ``KeyboardInterrupt``) the staging folder is
    renamed ``<final>.failed-<timestamp>`` (``stage.failed``) and the exception
    propagates; ``final`` is untouched.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> with staged_week(root / "2026-06-30") as stage:
    ...     _ = (stage.path / "summary.json").write_text("{}")
    >>> sorted(p.name for p in root.iterdir()), (root / "2026-06-30" / "summary.json").is_file()
    (['2026-06-30'], True)
    """
    stage = _Stage(final)
    replaced = sorted(final.parent.glob(f"{final.name}.replaced-*"))
    if replaced and not final.exists():  # killed between the two renames of a swap
        replaced[-1].rename(final)
        stage.notes.append(f"restored {final.name}/ from {replaced[-1].name} (a swap was cut)")
    if stage.path.exists():  # left by a run that was killed outright
        kept = _aside(final, "failed")
        stage.path.rename(kept)
        stage.notes.append(f"an interrupted earlier run left {stage.path.name}: kept as {kept}")
    stage.path.mkdir(parents=True)
    try:
        yield stage
    except BaseException:
        stage.failed = _aside(final, "failed")
        with contextlib.suppress(OSError):
            stage.path.rename(stage.failed)
        raise
    old = None
    if final.exists():
        old = _aside(final, "replaced")
        final.rename(old)
    try:
        stage.path.rename(final)
    except BaseException:
        if old is not None and not final.exists():
            old.rename(final)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
