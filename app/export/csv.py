"""A CSV of the review: one row per image with status, Dice, uncertainty, edits, reasons."""

from __future__ import annotations

import csv
from pathlib import Path

from meddisseg_studio.export.common import CancelCallback, Progress, ProgressCallback, select, staged
from meddisseg_studio.state.model import ReviewStatus
from meddisseg_studio.state.project import Project

COLUMNS = (
    "key",
    "status",
    "proposal_dice",
    "uncertainty",
    "edited_fraction",
    "reject_reason",
    "error",
    "model_id",
)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6f}"
    return str(value)


def export_csv(
    project: Project,
    dest: Path | str,
    *,
    statuses: tuple[ReviewStatus, ...] | None = None,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCallback | None = None,
) -> Path:
    """Write ``dest`` (must not exist); all images by default. Empty cells mean "not known"."""
    entries = select(project, statuses)
    steps = Progress(len(entries), progress, should_cancel)
    steps.check()
    with (
        staged(Path(dest), folder=False) as partial,
        open(partial, "w", newline="", encoding="utf-8") as stream,
    ):
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        for entry in entries:
            writer.writerow([_cell(getattr(entry, column)) for column in COLUMNS])
            steps.step()
    return Path(dest)
