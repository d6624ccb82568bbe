"""Plumbing shared by the background workers: a QObject moved to its own QThread.

A worker is a QObject with a ``run()`` slot. ``start_job`` moves it to a fresh QThread,
starts the thread, and tears both down when the worker emits ``finished``. The GUI
thread only ever talks to the worker through queued signals and a thread-safe cancel
flag, so a slow model never blocks the event loop.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot


class EtaClock:
    """Estimates the remaining seconds of a job from the mean time per finished item."""

    def __init__(self, total: int, clock: Callable[[], float] | None = None) -> None:
        self.total = max(int(total), 0)
        self._clock = clock or time.monotonic
        self._start = self._clock()

    def eta(self, done: int) -> float | None:
        """Seconds left, or None before the first item finishes (no rate known yet)."""
        if done <= 0 or self.total <= 0:
            return None
        elapsed = self._clock() - self._start
        return max(elapsed / done * (self.total - done), 0.0)


def format_eta(seconds: float | None) -> str:
    if seconds is None:
        return "ETA --:--"
    seconds = round(seconds)
    minutes, sec = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"ETA {hours}:{minutes:02d}:{sec:02d}" if hours else f"ETA {minutes:02d}:{sec:02d}"


class Worker(QObject):
    """Base class: progress/finished signals and a cancel flag readable from any thread."""

    # done, total, eta seconds (negative when unknown: Signal types cannot be Optional)
    progress = Signal(int, int, float)
    message = Signal(str)
    # cancelled?, summary text
    finished = Signal(bool, str)

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the worker to stop after the current item (safe from the GUI thread)."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _report(self, clock: EtaClock, done: int) -> None:
        eta = clock.eta(done)
        self.progress.emit(done, clock.total, -1.0 if eta is None else eta)

    @Slot()
    def run(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class Job(QObject):
    """Owns one worker and its thread; emits ``done`` in the GUI thread when both are gone."""

    done = Signal(bool, str)

    def __init__(self, worker: Worker, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.worker = worker
        self.thread = QThread()
        self.thread.setObjectName(f"meddisseg-{name}")
        worker.moveToThread(self.thread)
        # Direct: `started` is emitted in the new thread, so run() executes there. (An auto
        # connection to a Python method can be routed through a receiver in the GUI thread.)
        self.thread.started.connect(worker.run, Qt.ConnectionType.DirectConnection)
        # Quit straight from the worker thread, so wait() works even while the GUI thread blocks.
        worker.finished.connect(self.thread.quit, Qt.ConnectionType.DirectConnection)
        worker.finished.connect(self._on_finished)
        self._running = False

    def start(self) -> None:
        self._running = True
        self.thread.start()

    @property
    def running(self) -> bool:
        return self._running

    def cancel(self) -> None:
        self.worker.cancel()

    def wait(self, msecs: int | None = None) -> bool:
        """Block until the thread ends (None: however long it takes); True if it has ended.

        Used on close: a QThread destroyed while it runs aborts the whole process, so the window
        waits for the current item (a model still loading, or one image) rather than crash.
        """
        return self.thread.wait() if msecs is None else self.thread.wait(msecs)

    @Slot(bool, str)
    def _on_finished(self, cancelled: bool, summary: str) -> None:
        self.thread.quit()
        self.thread.wait()
        self._running = False
        self.done.emit(cancelled, summary)
