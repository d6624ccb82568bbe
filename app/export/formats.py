"""The one registry of export formats, read by the menus, the export dialog and the headless CLI.

Every place that lists, labels or runs an export reads :data:`FORMATS`; nothing else keeps its
own list. Adding a format means adding one :class:`ExportFormat` here.
"""

from __future__ import annotations

import dataclasses
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from meddisseg_studio.state import audit
from meddisseg_studio.state.model import ReviewStatus
from meddisseg_studio.state.project import Project

from .common import (
    CancelCallback,
    ExportError,
    ExportOptions,
    ExportResult,
    ProgressCallback,
    clean_stale_partials,
    select,
)

__all__ = ["FORMATS", "ExportFormat", "ExportOptions", "ExportResult", "ExportRunner", "get_format"]


class ExportRunner(Protocol):
    def __call__(
        self,
        project: Project,
        dest: Path,
        *,
        statuses: tuple[ReviewStatus, ...] | None,
        progress: ProgressCallback | None,
        should_cancel: CancelCallback | None,
        options: ExportOptions | None = None,
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


class _Deferred:
    """A runner that imports its module when an export runs, not when the formats are listed
    (the window lists them at start-up; the exporters import OpenCV and pycocotools)."""

    def __init__(self, module: str, function: str) -> None:
        self.module, self.function = module, function

    def __call__(
        self,
        project: Project,
        dest: Path,
        *,
        statuses: tuple[ReviewStatus, ...] | None,
        progress: ProgressCallback | None,
        should_cancel: CancelCallback | None,
        options: ExportOptions | None = None,
    ) -> ExportResult:
        runner: ExportRunner = getattr(importlib.import_module(f"{__package__}.{self.module}"), self.function)
        project.flush_records()  # the last edit steps' rows (and masks) are in what is exported
        # What a killed export to this destination left behind goes first, and is reported.
        cleaned = clean_stale_partials(dest)
        result = runner(
            project, dest, statuses=statuses, progress=progress, should_cancel=should_cancel, options=options
        )
        _record(project, result, statuses)
        return dataclasses.replace(result, cleaned=cleaned) if cleaned else result


def _record(project: Project, result: ExportResult, statuses: tuple[ReviewStatus, ...] | None) -> None:
    """Note a finished export in the folder's audit log: format, destination, how many images."""
    count = len(select(project, statuses)) - len(result.skipped)
    project.record_quietly(
        project.event(
            audit.EXPORT,
            None,
            format=result.format,
            dest=str(result.dest),
            count=count,
            files=len(result.written),
        )
    )


_APPROVED = (ReviewStatus.APPROVED,)

FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat(
        "authors",
        "Authors' layout (images/ + masks/)",
        "images/ and masks/ like Kvasir-SEG, with split lists",
        "folder",
        "authors_layout",
        _APPROVED,
        _Deferred("authors", "write_authors"),
    ),
    ExportFormat(
        "coco",
        "COCO JSON (RLE masks)",
        "COCO instances with RLE masks, one annotation per lesion",
        "file",
        "coco.json",
        _APPROVED,
        _Deferred("coco", "write_coco"),
    ),
    ExportFormat(
        "overlays",
        "Overlay images",
        "Images with the mask drawn over",
        "folder",
        "overlays",
        _APPROVED,
        _Deferred("overlays", "write_overlays"),
    ),
    ExportFormat(
        "csv",
        "CSV summary",
        "Per-image status, agreement, uncertainty and lesion count table",
        "file",
        "summary.csv",
        None,
        _Deferred("csv", "write_csv"),
    ),
    ExportFormat(
        "labelme",
        "labelme JSON (polygons)",
        "One labelme JSON per image beside a copy of it; holes as _background_ polygons",
        "folder",
        "labelme",
        _APPROVED,
        _Deferred("labelme", "write_labelme"),
    ),
    ExportFormat(
        "audit",
        "History (audit log)",
        "Who changed what and when: audit.csv and audit.json",
        "folder",
        "audit",
        None,
        _Deferred("audit_log", "write_audit"),
    ),
)


def get_format(name: str) -> ExportFormat:
    """The format called ``name``; ExportError naming the known ones otherwise."""
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    known = ", ".join(f.name for f in FORMATS)
    raise ExportError(f"unknown export format {name!r}; known: {known}")
