"""Exports over the one ``FORMATS`` registry: where each goes, asking before taking a new name,
and a result that lists every file and folder written.

Menus and the export dialog list ``FORMATS`` too; nothing here keeps its own list of formats.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from meddisseg_core.errors import MedDisSegError
from meddisseg_studio.export.formats import ExportFormat, ExportOptions, ExportResult, get_format
from meddisseg_studio.state.model import ReviewStatus
from meddisseg_studio.workers.export_worker import ExportWorker

from .errors import guarded
from .jobs import JobOutcome, JobQueue, JobSpec
from .workspace import Workspace

MAX_DETAILS = 20  # skipped/renamed lines in the result message; the rest is counted


def free_target(folder: Path, name: str) -> Path:
    """``folder/name``, or ``folder/<stem>-2<suffix>``… when an earlier export took that name."""
    target = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 2
    while target.exists():
        target = folder / f"{stem}-{n}{suffix}"
        n += 1
    return target


def describe_written(result: ExportResult) -> str:
    """The published path and, for a folder, each top-level file or folder in it (with counts)."""
    dest = result.dest
    if not dest.is_dir():
        return str(dest)
    counts: dict[str, int] = {}
    for path in result.written:
        try:
            parts = path.relative_to(dest).parts
        except ValueError:
            parts = (str(path),)
        top = parts[0] + ("/" if len(parts) > 1 else "")
        counts[top] = counts.get(top, 0) + 1
    items = [name if not name.endswith("/") else f"{name} ({n} files)" for name, n in sorted(counts.items())]
    return f"{dest}/: " + (", ".join(items) if items else "empty")


@dataclass
class _Batch:
    """The formats of one export request, reported together when the last one ends."""

    destination: Path
    total: int
    remaining: int
    written: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)  # skipped and renamed images, one per line
    note: str = ""  # what was left out on purpose (changed after approval)

    def report(self) -> str:
        first = f"Exported {len(self.written)} of {self.total} format(s) to {self.destination}"
        if self.failed:
            first += f"; {len(self.failed)} failed"
        parts = [first + "."]
        if self.note:
            parts.append(self.note)
        if self.written:
            parts.append("Written:\n" + "\n".join(self.written))
        if self.details:
            shown = self.details[:MAX_DETAILS]
            more = len(self.details) - len(shown)
            parts.append("\n".join(shown) + (f"\n… and {more} more" if more else ""))
        if self.failed or self.cancelled:
            parts.append("Not written:\n" + "\n".join(self.failed + self.cancelled))
        return "\n\n".join(parts)


class _Run(QObject):
    """One format's export job: receives its worker's signals in the GUI thread.

    A QObject living in the GUI thread, so the worker's queued signals run its slots there (a
    lambda would run in the worker's thread).
    """

    def __init__(self, controller: ExportController, fmt: ExportFormat, batch: _Batch) -> None:
        super().__init__(controller)
        self.controller = controller
        self.fmt = fmt
        self.batch = batch

    def on_exported(self, result: ExportResult) -> None:
        self.controller._on_exported(self.fmt, result, self.batch)

    def on_failed(self, text: str) -> None:
        self.batch.failed.append(f"{self.fmt.label}: {text}")

    def on_done(self, outcome: JobOutcome) -> None:
        self.controller._on_done(self.fmt, outcome, self.batch)
        self.deleteLater()


class ExportController(QObject):
    message = Signal(str)
    exportFinished = Signal(str)  # noqa: N815 - Qt signal name; the full result text

    def __init__(self, workspace: Workspace, jobs: JobQueue, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.jobs = jobs
        self.errors = workspace.errors
        # The options of the next export (the window reads them from Preferences when it starts).
        self.options: Callable[[], ExportOptions] = ExportOptions

    @guarded("export")
    def export_dialog(self) -> None:
        """Export… : formats and folder from one dialog, suggesting a new folder beside the images."""
        project = self.workspace.project
        start = None
        if project is not None:
            start = free_target(project.folder.parent, f"{project.folder.name}-export")
        choice = self.workspace.dialogs.choose_export(start, self.left_out_note())
        if choice is not None:
            self.export(*choice)

    def changed_after_approval(self) -> int:
        project = self.workspace.project
        if project is None:
            return 0
        return sum(e.status is ReviewStatus.CHANGED for e in project.entries)

    def left_out_note(self) -> str:
        """What exports of approved masks leave out: masks changed after their approval."""
        changed = self.changed_after_approval()
        if not changed:
            return ""
        return (
            f"{changed} image(s) changed after approval are left out of the approved-mask exports "
            "(approve them again to include them)."
        )

    @guarded("export")
    def export(self, names: Sequence[str], destination: Path | None = None) -> None:
        project = self.workspace.project
        if project is None:
            raise MedDisSegError("open a folder before exporting")
        formats = [get_format(name) for name in names]
        if destination is None:
            # Starts beside the image folder, not in the process's working folder.
            destination = self.workspace.dialogs.choose_folder("Export to", project.folder.parent)
            if destination is None:
                return
        destination = Path(destination)
        taken = [f.default_name for f in formats if (destination / f.default_name).exists()]
        if taken and not self._confirm_new_names(destination, taken):
            self.message.emit(f"Export cancelled: {', '.join(taken)} already in {destination}")
            return
        self.workspace.flush()
        batch = _Batch(destination, len(formats), len(formats))
        if any(f.default_statuses == (ReviewStatus.APPROVED,) for f in formats):
            batch.note = self.left_out_note()
        for fmt in formats:
            self._submit(fmt, destination, batch)

    def _confirm_new_names(self, destination: Path, taken: list[str]) -> bool:
        renamed = [free_target(destination, name).name for name in taken]
        return self.workspace.dialogs.confirm(
            "Export already there",
            f"{destination} already holds {', '.join(taken)} from an earlier export. Nothing is "
            f"overwritten: write this export beside it as {', '.join(renamed)}?",
            "Write beside it",
            "Cancel",
        )

    def _submit(self, fmt: ExportFormat, destination: Path, batch: _Batch) -> None:
        def create() -> ExportWorker:
            project = self.workspace.project
            if project is None:
                raise MedDisSegError("the folder was closed before the export started")
            # Chosen when the job starts: an export queued before it may have taken the name.
            return ExportWorker(fmt, project, free_target(destination, fmt.default_name), self.options())

        run = _Run(self, fmt, batch)

        def wire(worker: ExportWorker) -> None:
            worker.exported.connect(run.on_exported)
            worker.failed.connect(run.on_failed)

        self.jobs.submit(
            JobSpec(
                kind="export",
                title=f"Exporting {fmt.label}",
                total=len(self.workspace.project.entries) if self.workspace.project else 0,
                create=create,
                wire=wire,
                on_done=run.on_done,
            )
        )

    def _on_exported(self, fmt: ExportFormat, result: ExportResult, batch: _Batch) -> None:
        line = f"{fmt.label}: {describe_written(result)}"
        if result.dest.name != fmt.default_name:
            line += f" ({fmt.default_name} was already there)"
        if result.skipped:
            line += f"; {len(result.skipped)} image(s) skipped"
        if result.renamed:
            line += f"; {len(result.renamed)} file name(s) changed"
        batch.written.append(line)
        batch.details.extend(f"{fmt.label}: {detail}" for detail in result.details())
        self.message.emit(line)

    def _on_done(self, fmt: ExportFormat, outcome: JobOutcome, batch: _Batch) -> None:
        if outcome.cancelled:
            batch.cancelled.append(f"{fmt.label}: cancelled")
        elif not outcome.started:
            batch.failed.append(outcome.summary)
        batch.remaining -= 1
        if batch.remaining > 0:
            return
        text = batch.report()
        self.exportFinished.emit(text)
        if batch.failed:
            self.errors.error("Export failed", text)
        elif batch.written:
            self.workspace.dialogs.info("Export finished", text)
        else:
            self.message.emit(text.replace("\n", " "))
