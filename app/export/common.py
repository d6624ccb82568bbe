"""What every export shares: progress and cancel callbacks, and atomic publication.

An export is written into ``<dest>.partial-XXXX`` beside the destination and renamed to
``dest`` only once complete, so a cancelled or crashed export never looks finished.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from meddisseg_core.atomic import fsync_dir
from meddisseg_core.errors import CancelledError, MedDisSegError
from meddisseg_studio.state.model import ImageEntry, ReviewStatus
from meddisseg_studio.state.project import Project

ProgressCallback = Callable[[int, int], None]
CancelCallback = Callable[[], bool]


class ExportError(MedDisSegError):
    """An export cannot be made (destination exists, name clash, nothing to export)."""


class Progress:
    """Reports ``progress(done, total)`` and raises CancelledError once ``should_cancel()`` says so."""

    def __init__(
        self, total: int, progress: ProgressCallback | None, should_cancel: CancelCallback | None
    ) -> None:
        self.total = total
        self._progress = progress
        self._should_cancel = should_cancel
        self.done = 0

    def check(self) -> None:
        if self._should_cancel is not None and self._should_cancel():
            raise CancelledError(f"export cancelled after {self.done} of {self.total} items")

    def step(self, count: int = 1) -> None:
        self.done += count
        if self._progress is not None:
            self._progress(self.done, self.total)
        self.check()


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as stream:
        os.fsync(stream.fileno())


@contextlib.contextmanager
def staged(dest: Path | str, *, folder: bool) -> Iterator[Path]:
    """Yield a partial path beside ``dest``; publish it as ``dest`` if the block succeeds.

    The destination must not exist yet: an export never merges into or replaces earlier work.
    On any failure (cancel included) the partial output is removed.
    """
    dest = Path(dest)
    if dest.exists():
        raise ExportError(f"{dest}: already exists; choose a new name")
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(f"{dest.name}.partial-{secrets.token_hex(4)}")
    if folder:
        partial.mkdir()
    try:
        yield partial
        if folder:
            for path in partial.rglob("*"):
                if path.is_file():
                    _fsync_file(path)
            if dest.exists():
                raise ExportError(f"{dest}: appeared while exporting; the export was not published")
            os.rename(partial, dest)
        else:
            _fsync_file(partial)
            if dest.exists():
                raise ExportError(f"{dest}: appeared while exporting; the export was not published")
            os.replace(partial, dest)
        fsync_dir(dest.parent)
    except BaseException:
        if partial.is_dir():
            shutil.rmtree(partial, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                partial.unlink()
        raise


def select(project: Project, statuses: tuple[ReviewStatus, ...] | None) -> list[ImageEntry]:
    """Entries with one of ``statuses`` (all when None), in listing order."""
    if statuses is None:
        return list(project.entries)
    wanted = set(statuses)
    return [e for e in project.entries if e.status in wanted]


def flat_name(key: str) -> str:
    """A file name for a key in a flat export folder (sub/a.png -> sub__a.png)."""
    return key.replace("/", "__")
