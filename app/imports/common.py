"""What every import shares: finding the image a file is for, the overwrite rule, the report.

The overwrite rule: an import never replaces the mask of an image whose review has gone past
"proposed" (edited, approved, rejected, or any later status) unless ``force`` is given; such
images are listed as skipped with their status. Bad input is reported per file (or per
annotation) in :attr:`ImportReport.failed` and the import goes on with the rest.

``as_status`` says what an imported mask becomes:
* ``proposed``: the image's proposal (a 0/1 probability map, model id ``import:<format>``)
  and its working mask; the image is "proposed", to be reviewed like a model's proposal
  (approving it then scores the review against the imported mask).
* ``approved``: the final mask, approved (``Project.approve``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import PurePosixPath

import numpy as np

from meddisseg_core.errors import MedDisSegError
from meddisseg_studio.state import audit
from meddisseg_studio.state.model import Proposal, ReviewStatus
from meddisseg_studio.state.project import Project

ProgressCallback = Callable[[int, int], None]
OPEN_STATUSES = frozenset({ReviewStatus.NEW, ReviewStatus.PROPOSED})


class ImportAs(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"


class ImportFailedError(MedDisSegError):
    """The import cannot start (unreadable source, read-only project)."""


@dataclass
class ImportReport:
    """What an import did. ``failed`` holds (file or item, reason) for bad input."""

    source: str
    imported: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (image key, reason)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file or item, reason)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.source}: {len(self.imported)} imported, {len(self.skipped)} skipped, "
            f"{len(self.failed)} failed"
        )

    def details(self) -> list[str]:
        lines = [f"skipped {key!r}: {reason}" for key, reason in self.skipped]
        lines += [f"failed {item}: {reason}" for item, reason in self.failed]
        return lines + self.notes


class KeyIndex:
    """Finds the project image a file name refers to: exact key, key stem, then bare name."""

    def __init__(self, project: Project) -> None:
        self.keys = set(project.keys())
        self._by_stem: dict[str, list[str]] = {}
        self._by_name: dict[str, list[str]] = {}
        self._by_name_stem: dict[str, list[str]] = {}
        for key in sorted(self.keys):
            path = PurePosixPath(key)
            self._by_stem.setdefault(str(path.with_suffix("")), []).append(key)
            self._by_name.setdefault(path.name, []).append(key)
            self._by_name_stem.setdefault(path.stem, []).append(key)

    def find(self, reference: str) -> tuple[str | None, str]:
        """(key, "") or (None, why not) for a relative path or bare file name."""
        ref = reference.replace("\\", "/")
        ref = ref[2:] if ref.startswith("./") else ref
        if ref in self.keys:
            return ref, ""
        path = PurePosixPath(ref)
        for table, wanted in (
            (self._by_stem, str(path.with_suffix(""))),
            (self._by_name, path.name),
            (self._by_name_stem, path.stem),
        ):
            found = table.get(wanted, [])
            if len(found) == 1:
                return found[0], ""
            if len(found) > 1:
                return None, f"matches several images ({', '.join(found[:3])}); name it by its full path"
        return None, "no image of that name in the project"


def check_writable(project: Project) -> None:
    if project.read_only:
        raise ImportFailedError(f"the project's state cannot be written: {project.read_only_reason}")


def store_mask(
    project: Project, key: str, mask: np.ndarray, as_status: ImportAs, force: bool, report: ImportReport
) -> bool:
    """Apply the overwrite rule, then write ``mask`` for ``key`` (a failure goes to the report).

    True when the mask was stored (the image's findings may then be imported too).
    """
    entry = project.entry(key)
    if entry.status not in OPEN_STATUSES and not force:
        report.skipped.append((key, f"its mask is {entry.status}; kept (use --force to replace it)"))
        return False
    try:
        if as_status is ImportAs.APPROVED:
            project.approve(key, mask)
        else:
            project.save_mask(key, mask)
            proposal = Proposal(mask.astype(np.float32), model_id=f"import:{report.source}", threshold=0.5)
            project.save_proposal(key, proposal)
            if entry.status is not ReviewStatus.PROPOSED:
                project.set_status(key, ReviewStatus.PROPOSED)
    except MedDisSegError as exc:
        report.failed.append((key, f"could not be stored ({exc})"))
        return False
    report.imported.append(key)
    return True


def store_findings(
    project: Project,
    key: str,
    mask: np.ndarray,
    candidates: list[tuple[np.ndarray, dict]],
    comment: object,
    report: ImportReport,
) -> None:
    """Store an imported image's lesion values and comment (after its mask; see state/findings.py).

    ``candidates`` are (region, values) pairs as the file has them; each goes to the lesion of
    ``mask`` it overlaps most. A value the project's schema refuses is reported and dropped; an
    attribute the schema lacks is ignored with a note; without a schema the values are not
    imported (one note says so). Comments always are.
    """
    book = project.findings
    try:
        _stored, problems, ignored = book.replace_from_import(key, mask, project.min_lesion_area, candidates)
        notes = [f"lesion attribute {name!r} is not in the findings schema: ignored" for name in ignored]
        if book.schema is None:
            notes += problems
        else:
            report.failed.extend((key, problem) for problem in problems)
        report.notes.extend(note for note in notes if note not in report.notes)
        if comment is not None and comment != "":
            if not isinstance(comment, str):
                report.failed.append((key, f"the comment must be text, got {comment!r:.40}"))
            else:
                book.set_comment(key, comment)
    except MedDisSegError as exc:
        report.failed.append((key, f"findings or comment not stored ({exc})"))


def recorded(
    project: Project, report: ImportReport, source: object, as_status: ImportAs
) -> ImportReport:
    """Note the import in the folder's audit log (source, count); returns ``report``.

    Each imported image has its own rows already (``propose`` or ``approve``).
    """
    project.record_quietly(
        project.event(
            audit.IMPORT,
            None,
            source=report.source,
            path=str(source),
            count=len(report.imported),
            skipped=len(report.skipped),
            failed=len(report.failed),
            **{"as": str(as_status)},
        )
    )
    return report


def image_files(folder: os.PathLike[str] | str, suffixes: frozenset[str]) -> list[tuple[str, str]]:
    """(relative posix path, absolute path) of the files under ``folder`` with ``suffixes``.

    Hidden files and folders are skipped; sorted by relative path.
    """
    found: list[tuple[str, str]] = []
    root = os.fspath(folder)
    for current, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.startswith(".") or os.path.splitext(name)[1].lower() not in suffixes:
                continue
            full = os.path.join(current, name)
            found.append((PurePosixPath(os.path.relpath(full, root).replace(os.sep, "/")).as_posix(), full))
    return sorted(found)
