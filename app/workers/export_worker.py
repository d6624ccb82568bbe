"""Runs one export format of the ``FORMATS`` registry off the GUI thread.

The format's ``run(project, dest, statuses=..., progress=..., should_cancel=..., options=...)`` reports
``progress(done, total)``, polls ``should_cancel()`` between items and returns an
:class:`~meddisseg_studio.export.formats.ExportResult` naming everything it wrote.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Signal, Slot

from meddisseg_core.errors import CancelledError, MedDisSegError
from meddisseg_studio.export.formats import ExportFormat, ExportOptions
from meddisseg_studio.state.project import Project

from .job import EtaClock, Worker

log = logging.getLogger(__name__)


class ExportWorker(Worker):
    """Runs ``fmt`` once into ``destination``."""

    exported = Signal(object)  # ExportResult
    failed = Signal(str)

    def __init__(
        self, fmt: ExportFormat, project: Project, destination: Path, options: ExportOptions | None = None
    ) -> None:
        super().__init__()
        self._format = fmt
        self._options = options or ExportOptions()
        self._project = project
        self._destination = Path(destination)
        self._clock: EtaClock | None = None

    def _on_progress(self, done: int, total: int) -> None:
        if self._clock is None or self._clock.total != total:
            self._clock = EtaClock(total)
        self._report(self._clock, done)

    @Slot()
    def run(self) -> None:
        label = self._format.label
        try:
            result = self._format.run(
                self._project,
                self._destination,
                statuses=self._format.default_statuses,
                progress=self._on_progress,
                should_cancel=lambda: self.cancelled,
                options=self._options,
            )
        except CancelledError:
            self.finished.emit(True, f"{label}: export cancelled")
            return
        except MedDisSegError as exc:
            self.failed.emit(str(exc))
            self.finished.emit(False, f"{label}: export failed: {exc}")
            return
        except Exception as exc:  # logged, reported, never fatal for the app
            log.exception("%s export failed", label)
            self.failed.emit(f"{type(exc).__name__}: {exc}")
            self.finished.emit(False, f"{label}: export failed: {exc}")
            return
        # Published: a cancel that arrived after the last item changes nothing on disk.
        self.exported.emit(result)
        self.finished.emit(False, f"{label}: exported to {result.dest}")
