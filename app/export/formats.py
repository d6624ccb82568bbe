"""The one registry of export formats, read by the menus, the export dialog and the headless CLI.

Every place that lists, labels or runs an export reads :data:`FORMATS`; nothing else keeps its
own list. Adding a format means adding one :class:`ExportFormat` here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from meddisseg_studio.state.model import ReviewStatus
from meddisseg_studio.state.project import Project

from .authors import export_authors
from .coco import export_coco
from .common import CancelCallback, ExportError, ProgressCallback
from .csv import export_csv
from .overlays import export_overlays


@dataclass(frozen=True)
class ExportResult:
    """What one export wrote: the published path, every file or folder in it, and what it skipped."""

    format: str
    dest: Path
    written: tuple[Path, ...]
    skipped: tuple[tuple[str, str], ...] = field(default=())  # (image key, reason)

    def summary(self) -> str:
        text = f"{self.format}: {self.dest} ({len(self.written)} written"
        if self.skipped:
            text += f", {len(self.skipped)} skipped"
        return text + ")"


class ExportRunner(Protocol):
    def __call__(
        self,
        project: Project,
        dest: Path,
        *,
        statuses: tuple[ReviewStatus, ...] | None,
        progress: ProgressCallback | None,
        should_cancel: CancelCallback | None,
    ) -> ExportResult: ...


@dataclass(frozen=True)
class ExportFormat:
    """One export format.

    ``name`` is the stable identifier (CLI ``--format``, settings); ``label`` is what menus and
    dialogs show; ``target`` says whether the export publishes a folder or a single file;
    ``default_name`` is what it writes inside the folder the user picks.
    """

    name: str
    label: str
    description: str
    target: Literal["folder", "file"]
    default_name: str
    default_statuses: tuple[ReviewStatus, ...] | None
    run: ExportRunner


def _listing(dest: Path) -> tuple[Path, ...]:
    if dest.is_dir():
        return tuple(sorted(p for p in dest.rglob("*") if p.is_file()))
    return (dest,)


def _wrap(name: str, function: Callable[..., Path], *, takes_statuses: bool) -> ExportRunner:
    def run(
        project: Project,
        dest: Path,
        *,
        statuses: tuple[ReviewStatus, ...] | None,
        progress: ProgressCallback | None,
        should_cancel: CancelCallback | None,
    ) -> ExportResult:
        kwargs: dict[str, object] = {"progress": progress, "should_cancel": should_cancel}
        if takes_statuses:
            kwargs["statuses"] = statuses
        published = function(project, dest, **kwargs)
        return ExportResult(format=name, dest=published, written=_listing(published))

    return run


_APPROVED = (ReviewStatus.APPROVED,)

FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat(
        "authors",
        "Authors' layout (images/ + masks/)",
        "images/ and masks/ like Kvasir-SEG, with split lists",
        "folder",
        "authors_layout",
        _APPROVED,
        _wrap("authors", export_authors, takes_statuses=False),
    ),
    ExportFormat(
        "coco",
        "COCO JSON (RLE masks)",
        "COCO instances with RLE masks",
        "file",
        "coco.json",
        _APPROVED,
        _wrap("coco", export_coco, takes_statuses=True),
    ),
    ExportFormat(
        "overlays",
        "Overlay images",
        "Images with the mask drawn over",
        "folder",
        "overlays",
        _APPROVED,
        _wrap("overlays", export_overlays, takes_statuses=True),
    ),
    ExportFormat(
        "csv",
        "CSV summary",
        "Per-image status, agreement and uncertainty table",
        "file",
        "summary.csv",
        None,
        _wrap("csv", export_csv, takes_statuses=True),
    ),
)


def get_format(name: str) -> ExportFormat:
    """The format called ``name``; ExportError naming the known ones otherwise."""
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    known = ", ".join(f.name for f in FORMATS)
    raise ExportError(f"unknown export format {name!r}; known: {known}")
