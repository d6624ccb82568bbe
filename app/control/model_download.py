"""A model download on its own QThread, with progress and cancel (the work is meddisseg_core's).

Its feedback goes out as signals of :class:`DownloadFlow`; the window shows them in the get-a-model
dialog (the control layer never touches widgets).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from meddisseg_core.errors import CancelledError, MedDisSegError

if TYPE_CHECKING:  # models.py imports this module
    from .models import ModelsControl


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


class DownloadFlow(QObject):
    """One download at a time for a :class:`~meddisseg_studio.control.models.ModelsControl`."""

    started = Signal()
    progress = Signal(int, int, float)  # done bytes, total bytes (0: unknown), bytes/s
    ended = Signal(str, bool)  # what to show, failed

    def __init__(self, models: ModelsControl) -> None:
        super().__init__(models)
        self.models = models
        self.thread: DownloadThread | None = None

    def running(self) -> bool:
        return self.thread is not None and self.thread.running()

    def start(self, name: str) -> None:
        if self.running():
            return
        worker = DownloadWorker(name, self.models.registry.root)
        # Methods of this QObject (GUI thread): the worker's signals arrive queued.
        worker.progress.connect(self._progress)
        worker.succeeded.connect(self._succeeded)
        worker.failed.connect(self._failed)
        worker.cancelled.connect(self._cancelled)
        self.thread = DownloadThread(worker, self)
        self.started.emit()
        self.thread.start()

    def cancel(self) -> None:
        if self.thread is not None:
            self.thread.worker.cancel()

    def shutdown(self) -> None:
        if self.running():
            self.thread.stop()

    @Slot(object, object, float)
    def _progress(self, done: int, total: int | None, speed: float) -> None:
        self.progress.emit(int(done), int(total or 0), float(speed))

    @Slot(str, str)
    def _succeeded(self, model_id: str, warning: str) -> None:
        self.models.registry.reload()  # the download thread wrote the registry file
        self.ended.emit("Downloaded, checked and added to your models.", False)
        if warning:
            self.models.dialogs.info("The downloaded file differs", warning)
        self.models.use(model_id)

    @Slot(str)
    def _failed(self, text: str) -> None:
        self.models.message.emit(f"Download failed: {text.splitlines()[0]}")
        self.ended.emit(text, True)

    @Slot(str)
    def _cancelled(self, _text: str) -> None:
        self.ended.emit("Cancelled. The part already downloaded is kept: Download again resumes it.", False)
