"""Runs one exporter (authors' layout, COCO, overlays, CSV) off the GUI thread.

Exporters follow the app-state contract: ``export(project, out_dir, progress=..., should_cancel=...)``
where ``progress(done, total)`` reports and ``should_cancel()`` is polled between items.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal, Slot

from meddisseg_core.errors import CancelledError, MedDisSegError

from .job import EtaClock, Worker

log = logging.getLogger(__name__)

ExportFunction = Callable[..., Any]


class ExportWorker(Worker):
    """Calls ``export_fn(project, destination, progress=..., should_cancel=...)`` once."""

    failed = Signal(str)

    def __init__(self, export_fn: ExportFunction, project: Any, destination: Path, label: str) -> None:
        super().__init__()
        self._export_fn = export_fn
        self._project = project
        self._destination = Path(destination)
        self._label = label
        self._clock: EtaClock | None = None

    def _on_progress(self, done: int, total: int) -> None:
        if self._clock is None or self._clock.total != total:
            self._clock = EtaClock(total)
        self._report(self._clock, done)

    @Slot()
    def run(self) -> None:
        try:
            self._export_fn(
                self._project,
                self._destination,
                progress=self._on_progress,
                should_cancel=lambda: self.cancelled,
            )
        except CancelledError:
            self.finished.emit(True, f"{self._label} export cancelled")
            return
        except MedDisSegError as exc:
            self.failed.emit(str(exc))
            self.finished.emit(False, f"{self._label} export failed: {exc}")
            return
        except Exception as exc:  # logged, reported, never fatal for the app
            log.exception("%s export failed", self._label)
            self.failed.emit(f"{type(exc).__name__}: {exc}")
            self.finished.emit(False, f"{self._label} export failed: {exc}")
            return
        if self.cancelled:
            self.finished.emit(True, f"{self._label} export cancelled")
        else:
            self.finished.emit(False, f"{self._label} exported to {self._destination}")
