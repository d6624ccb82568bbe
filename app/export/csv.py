"""A CSV of the review: one row per image with status, Dice, uncertainty, edits, reasons, lesions,
and provenance: the proposing model's registry id and file sha256, who approved the mask and when.

Cells are neutralised against formula injection as OWASP recommends: a cell whose text starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading single quote, which
spreadsheet programs read as "this is text" instead of running it as a formula. A file named
``=HYPERLINK(...).png`` or a reject reason ``+cmd`` therefore stays inert. (The numbers this
export writes are never negative, so no number is touched.)

Findings (``export/findings.py``): with a findings schema, one column ``lesion_<name>`` per
attribute, holding the image's lesions' values in lesion order joined by ``"; "`` (lesion 1
first, an unset value left empty); a ``comment`` column when there is a schema or any comment.
Without either the file is as before.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from meddisseg_core.errors import MedDisSegError
from meddisseg_studio.export.common import (
    CancelCallback,
    ExportOptions,
    ExportResult,
    Progress,
    ProgressCallback,
    missing_image,
    select,
    staged,
)
from meddisseg_studio.export.findings import csv_cell, export_schema, image_findings
from meddisseg_studio.export.lesions import count_lesions
from meddisseg_studio.export.provenance import provenances
from meddisseg_studio.state.model import ImageEntry, ReviewStatus
from meddisseg_studio.state.project import Project

COLUMNS = (
    "key",
    "status",
    "proposal_dice",
    "uncertainty",
    "edited_fraction",
    "lesions",
    "reject_reason",
    "error",
    "model_id",
    "model_registry_id",
    "model_sha256",
    "approved_by",
    "approved_at",
)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6f}"
    # A file name that is not valid UTF-8 (Python keeps its odd bytes as lone surrogates) is
    # written with those bytes as \xNN escapes, so the CSV stays valid UTF-8 and still names it.
    text = str(value).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return neutralise(text)


def _mask(project: Project, entry: ImageEntry) -> np.ndarray | None:
    """The stored mask (or starting label); None when there is none yet or it cannot be read."""
    try:
        return project.load_mask(entry.key)
    except MedDisSegError:
        return None


def write_csv(
    project: Project,
    dest: Path | str,
    *,
    statuses: tuple[ReviewStatus, ...] | None = None,
    options: ExportOptions | None = None,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCallback | None = None,
) -> ExportResult:
    """Write ``dest`` (must not exist); all images by default. Empty cells mean "not known"."""
    options = options or ExportOptions()
    dest = Path(dest)
    entries = select(project, statuses)
    steps = Progress(len(entries), progress, should_cancel)
    steps.check()
    schema = export_schema(project)
    attributes = schema.names if schema is not None else ()
    with_comment = schema is not None or project.findings.has_comments()
    columns = (*COLUMNS, *(f"lesion_{name}" for name in attributes), *(("comment",) if with_comment else ()))
    skipped: list[tuple[str, str]] = []
    with (
        staged(dest, folder=False) as partial,
        open(partial, "w", newline="", encoding="utf-8") as stream,
    ):
        writer = csv.writer(stream)
        writer.writerow(columns)
        known = provenances(project)
        for entry in entries:
            missing = missing_image(project, entry.key)
            if missing is not None:  # reported as every format reports it, the rest goes on
                skipped.append((entry.key, missing))
                steps.step()
                continue
            values = {column: getattr(entry, column, None) for column in COLUMNS}
            mask = _mask(project, entry)
            values["lesions"] = None if mask is None else count_lesions(mask, options.min_lesion_area)
            prov = known[entry.key]  # who approved (approved images only), and the proposing model
            values.update(
                model_registry_id=prov.model_id,
                model_sha256=prov.model_sha256,
                approved_by=prov.approved_by,
                approved_at=prov.approved_at,
            )
            if schema is not None or with_comment:
                found = image_findings(project, entry.key, mask, options.min_lesion_area)
                for name in attributes if schema is not None else ():
                    values[f"lesion_{name}"] = csv_cell(schema, name, found)
                values["comment"] = found.comment
            writer.writerow([_cell(values[column]) for column in columns])
            steps.step()
    return ExportResult("csv", dest, (dest,), tuple(skipped))


def export_csv(
    project: Project,
    dest: Path | str,
    *,
    statuses: tuple[ReviewStatus, ...] | None = None,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCallback | None = None,
) -> Path:
    """:func:`write_csv`; returns ``dest`` (kept for older callers)."""
    return write_csv(project, dest, statuses=statuses, progress=progress, should_cancel=should_cancel).dest
