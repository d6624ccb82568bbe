"""What every export shares: options, the result, progress and cancel, atomic publication.

An export is written into ``<dest>.partial-XXXX`` beside the destination and renamed to
``dest`` only once complete, so a cancelled or crashed export never looks finished. The partial
folder holds a marker naming its process and host; a folder left by a process that was killed
(its pid no longer runs on this host) is removed at the next export to the same destination, and
the result says so. Anything else (no marker, another host, a live pid) is never touched. Each
exporter records every file it writes (:class:`Written`), so :class:`ExportResult` lists
exactly what was published, never a directory listing taken afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from meddisseg_core.atomic import fsync_dir
from meddisseg_core.errors import CancelledError, MedDisSegError
from meddisseg_studio.export import names
from meddisseg_studio.state.lesions import DEFAULT_MIN_LESION_AREA
from meddisseg_studio.state.model import ImageEntry, ReviewStatus
from meddisseg_studio.state.project import Project

if TYPE_CHECKING:
    import numpy as np

ProgressCallback = Callable[[int, int], None]
CancelCallback = Callable[[], bool]


class ExportError(MedDisSegError):
    """An export cannot be made (destination exists, name clash, nothing to export)."""


# Connected components smaller than DEFAULT_MIN_LESION_AREA pixels are specks, not lesions
# (8-connectivity): they are not counted and get no COCO annotation of their own.


@dataclass(frozen=True)
class ExportOptions:
    """Settings of an export that the user may change (the app fills them from Preferences)."""

    min_lesion_area: int = DEFAULT_MIN_LESION_AREA
    label: str = "lesion"  # category / class name of the foreground in COCO and labelme
    val_fraction: float = 0.2  # authors' layout: share of images in val.txt
    seed: int = 0  # authors' layout: seed of the train/val split
    # RGB; the app's default mask colour and opacity (settings.Preferences; a test keeps them equal)
    overlay_colour: tuple[int, int, int] = (0, 230, 118)
    overlay_opacity: float = 0.45

    def __post_init__(self) -> None:
        if self.min_lesion_area < 0:
            raise ExportError(f"min_lesion_area must be >= 0, got {self.min_lesion_area}")
        if not self.label.strip():
            raise ExportError("the class label must not be empty")
        if not 0.0 <= self.overlay_opacity <= 1.0:
            raise ExportError(f"overlay_opacity must be in [0, 1], got {self.overlay_opacity}")


@dataclass(frozen=True)
class ExportResult:
    """What one export wrote: the published path, every file in it, what it skipped or renamed."""

    format: str
    dest: Path
    written: tuple[Path, ...]
    skipped: tuple[tuple[str, str], ...] = field(default=())  # (image key, reason)
    renamed: tuple[names.Renamed, ...] = field(default=())  # (image key, name written, reason)
    cleaned: tuple[Path, ...] = field(default=())  # partial folders of killed exports, removed

    def summary(self) -> str:
        text = f"{self.format}: {self.dest} ({len(self.written)} written"
        if self.skipped:
            text += f", {len(self.skipped)} skipped"
        if self.renamed:
            text += f", {len(self.renamed)} renamed"
        if self.cleaned:
            text += f", {len(self.cleaned)} left-over partial folder(s) of an interrupted export removed"
        return text + ")"

    def details(self) -> list[str]:
        """One line per skipped or renamed image, for a result message or a log."""
        lines = [f"skipped {key!r}: {reason}" for key, reason in self.skipped]
        lines += [f"renamed {r.key!r} to {r.name!r}: {r.reason}" for r in self.renamed]
        lines += [f"removed {str(p)!r}: left by an interrupted export" for p in self.cleaned]
        return lines


class Written:
    """The files an exporter writes inside its staged folder, in order (relative posix paths)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: list[PurePosixPath] = []

    def path(self, relative: str) -> Path:
        """Where to write ``relative`` (recorded as written; parent folders are created)."""
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        self.files.append(PurePosixPath(relative))
        return target

    def bytes(self, relative: str, data: bytes) -> None:
        self.path(relative).write_bytes(data)

    def text(self, relative: str, text: str) -> None:
        self.path(relative).write_text(text, encoding="utf-8", newline="\n")

    def published(self, dest: Path) -> tuple[Path, ...]:
        return tuple(dest.joinpath(*f.parts) for f in self.files)


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


PARTIAL_MARKER = ".meddisseg-export-partial"


def _partial_pattern(dest: Path) -> re.Pattern[str]:
    return re.compile(re.escape(dest.name) + r"\.partial-[0-9a-f]{8}")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def clean_stale_partials(dest: Path | str) -> tuple[Path, ...]:
    """Remove ``<dest>.partial-XXXX`` folders that an export killed before it finished left behind.

    Only ours, and only dead ones: the folder must hold :data:`PARTIAL_MARKER` naming this host and
    a process id that no longer runs. Returns what was removed (to report it)."""
    dest = Path(dest)
    pattern = _partial_pattern(dest)
    removed = []
    try:
        candidates = [p for p in dest.parent.iterdir() if pattern.fullmatch(p.name) and p.is_dir()]
    except OSError:
        return ()
    for partial in candidates:
        try:
            owner = json.loads((partial / PARTIAL_MARKER).read_text(encoding="utf-8"))
            pid, host = int(owner["pid"]), str(owner["host"])
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not provably ours: leave it
        if host != socket.gethostname() or _pid_alive(pid):
            continue
        shutil.rmtree(partial, ignore_errors=True)
        if not partial.exists():
            removed.append(partial)
    return tuple(removed)


@contextlib.contextmanager
def staged(dest: Path | str, *, folder: bool) -> Iterator[Path]:
    """Yield a partial path beside ``dest``; publish it as ``dest`` if the block succeeds.

    The destination must not exist yet: an export never merges into or replaces earlier work.
    On any failure (cancel included) the partial output is removed. Both kinds are staged in a
    ``<dest>.partial-XXXX`` folder with an owner marker (a file export writes the file inside it),
    so that a kill -9 leaves something :func:`clean_stale_partials` can recognise.
    """
    dest = Path(dest)
    if dest.exists():
        raise ExportError(f"{dest}: already exists; choose a new name")
    dest.parent.mkdir(parents=True, exist_ok=True)
    holder = dest.with_name(f"{dest.name}.partial-{secrets.token_hex(4)}")
    holder.mkdir()
    try:
        marker = {"pid": os.getpid(), "host": socket.gethostname(), "dest": dest.name}
        (holder / PARTIAL_MARKER).write_text(json.dumps(marker), encoding="utf-8")
        partial = holder if folder else holder / dest.name
        yield partial
        if folder:
            (holder / PARTIAL_MARKER).unlink()
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
            shutil.rmtree(holder, ignore_errors=True)
        fsync_dir(dest.parent)
    except BaseException:
        shutil.rmtree(holder, ignore_errors=True)
        raise


MISSING = "the image file is missing"


def missing_image(project: Project, key: str) -> str | None:
    """Why ``key`` cannot be exported when its image file has gone (moved or deleted since the
    folder was opened); None while it is there. Every format reports it in these words."""
    path = project.entry(key).path
    return None if path.is_file() else f"{MISSING} ({path})"


def read_source(project: Project, key: str) -> bytes | str:
    """The image file's bytes, to copy into an export, or why it cannot be read."""
    path = project.entry(key).path
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return f"{MISSING} ({path})"
    except OSError as exc:
        return f"the image cannot be read ({exc.strerror or exc})"


def stored_mask(project: Project, key: str) -> np.ndarray | str:
    """The mask stored for ``key``, or why there is none to export (its image file gone included)."""
    missing = missing_image(project, key)
    if missing is not None:
        return missing
    try:
        mask = project.load_mask(key)
    except MedDisSegError as exc:
        return f"its mask cannot be read ({exc})"
    return "no mask is stored" if mask is None else mask


def select(project: Project, statuses: tuple[ReviewStatus, ...] | None) -> list[ImageEntry]:
    """Entries with one of ``statuses`` (all when None), in listing order."""
    if statuses is None:
        return list(project.entries)
    wanted = set(statuses)
    return [e for e in project.entries if e.status in wanted]


flat_name = names.flat_name
