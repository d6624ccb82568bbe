"""One queue of background jobs, described by typed :class:`JobSpec` values.

A submitter (proposals, exports, later fine-tuning) builds a ``JobSpec``: a title and item count
for the progress bar, ``create`` that builds the worker when the job starts (not when it is
queued, so it sees the model and project of that moment), ``wire`` that connects the worker's
own signals to the submitter's slots, and ``on_done`` that hears how it ended. ``wire`` must
connect to methods of QObjects that live in the GUI thread: the connection is then queued and
the slot runs there. (A lambda or a plain function would run in the worker's thread.) The queue knows
nothing about kinds of work: no string encoding, no ``isinstance`` dispatch. Jobs run one at a
time, each on its own thread (:class:`~meddisseg_studio.workers.job.Job`); results come back as
queued signals, so the project is only ever changed from the GUI thread.
"""

# ruff: noqa: N815 - Qt signal names are camelCase, as in Qt

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, Signal

from meddisseg_studio.workers.job import Job, Worker

log = logging.getLogger(__name__)

W = TypeVar("W", bound=Worker)


@dataclass(frozen=True)
class JobOutcome:
    """How a job ended. ``started`` is False for a job dropped from the queue by a cancel."""

    cancelled: bool
    summary: str
    started: bool = True


def _no_wiring(_worker: Worker) -> None:
    return None


@dataclass(frozen=True)
class JobSpec(Generic[W]):
    """One unit of background work.

    ``kind`` names the sort of work ("proposals", "export", "finetune"…) for logs and tests.
    ``on_done`` receives the :class:`JobOutcome`; without one, the worker's summary is shown
    as a status message.
    """

    kind: str
    title: str
    total: int
    create: Callable[[], W]
    wire: Callable[[W], None] = _no_wiring
    on_done: Callable[[JobOutcome], None] | None = None


class JobQueue(QObject):
    jobStarted = Signal(str, int)  # title, total items
    jobProgress = Signal(int, int, float)  # done, total, ETA seconds (negative: unknown)
    jobFinished = Signal(str)  # summary
    message = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: deque[JobSpec[Worker]] = deque()
        self._running: tuple[Job, JobSpec[Worker]] | None = None
        self._closed = False

    @property
    def busy(self) -> bool:
        return self._running is not None

    @property
    def running_kind(self) -> str | None:
        return None if self._running is None else self._running[1].kind

    def pending(self) -> list[str]:
        """Titles of the jobs waiting behind the running one."""
        return [spec.title for spec in self._queue]

    def submit(self, spec: JobSpec[W]) -> None:
        """Queue ``spec``; it starts at once when nothing else runs (nothing starts after shutdown)."""
        if self._closed:
            return
        self._queue.append(spec)  # type: ignore[arg-type]  # JobSpec is invariant in W
        if self._running is None:
            self._start_next()

    def cancel(self) -> None:
        """Drop the waiting jobs and ask the running one to stop after its current item."""
        self._drop_pending()
        if self._running is not None:
            self._running[0].cancel()
            self.message.emit("Cancelling after the current item…")

    def shutdown(self, msecs: int | None = None) -> None:
        """Cancel and wait for the running job (window close); later submissions are ignored."""
        self._closed = True
        self.cancel()
        if self._running is not None:
            self._running[0].wait(msecs)

    def _drop_pending(self) -> None:
        while self._queue:
            spec = self._queue.popleft()
            if spec.on_done is not None:
                spec.on_done(JobOutcome(True, f"{spec.title}: not started (cancelled)", started=False))

    def _start_next(self) -> None:
        while self._queue and self._running is None:
            spec = self._queue.popleft()
            try:
                worker = spec.create()
            except Exception as exc:  # a job that cannot start must not block the ones behind it
                log.exception("cannot start %s", spec.title)
                text = f"{spec.title}: cannot start: {exc}"
                if spec.on_done is not None:
                    spec.on_done(JobOutcome(False, text, started=False))
                else:
                    self.message.emit(text)
                continue
            spec.wire(worker)
            worker.progress.connect(self.jobProgress)
            worker.message.connect(self.message)
            job = Job(worker, spec.kind, self)
            job.done.connect(self._on_done)
            self._running = (job, spec)
            self.jobStarted.emit(spec.title, int(spec.total))
            job.start()

    def _on_done(self, cancelled: bool, summary: str) -> None:
        assert self._running is not None
        job, spec = self._running
        self._running = None
        job.deleteLater()  # its thread has ended; free the QObjects
        if cancelled:
            self._drop_pending()
        if spec.on_done is not None:
            spec.on_done(JobOutcome(cancelled, summary))
        else:
            self.message.emit(summary)
        self.jobFinished.emit(summary)
        self._start_next()
