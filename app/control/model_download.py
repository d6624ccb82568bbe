"""A model download on its own QThread, with progress and cancel (the work is meddisseg_core's)."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from meddisseg_core.errors import CancelledError, MedDisSegError


class DownloadWorker(QObject):
    progress = Signal(object, object, float)  # done bytes, total bytes or None, bytes/s
    succeeded = Signal(str, str)  # model id, warning ("" when none)
    failed = Signal(str)
    cancelled = Signal(str)
    done = Signal()

    def __init__(self, name_or_url: str, registry_root: Path) -> None:
        super().__init__()
        self.name_or_url = name_or_url
        self.registry_root = registry_root
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @Slot()
    def run(self) -> None:
        from meddisseg_core.models import ModelRegistry
        from meddisseg_core.models.download import pull

        try:
            # Its own registry object: the GUI thread's one is never touched from here.
            result = pull(
                self.name_or_url,
                ModelRegistry(self.registry_root),
                progress=lambda p: self.progress.emit(p.done, p.total, p.bytes_per_s),
                should_cancel=self._cancel.is_set,
            )
        except CancelledError as exc:
            self.cancelled.emit(str(exc))
        except MedDisSegError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # the thread must always report back
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.succeeded.emit(result.record.id, result.warning or "")
        self.done.emit()


class DownloadThread(QObject):
    """Owns the worker and its thread; call ``start()``; ``worker`` signals arrive queued."""

    def __init__(self, worker: DownloadWorker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.thread = QThread()
        self.thread.setObjectName("meddisseg-download")
        worker.moveToThread(self.thread)
        self.thread.started.connect(worker.run, Qt.ConnectionType.DirectConnection)
        worker.done.connect(self.thread.quit, Qt.ConnectionType.DirectConnection)

    def start(self) -> None:
        self.thread.start()

    def running(self) -> bool:
        return self.thread.isRunning()

    def stop(self, msecs: int = 10_000) -> None:
        self.worker.cancel()
        self.thread.wait(msecs)
