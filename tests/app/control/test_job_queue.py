"""One queue of typed JobSpecs: jobs run one at a time, the submitter's wiring and outcome hooks
run in the GUI thread, and a cancel drops the waiting jobs (each told it did not start)."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QObject, QThread, Signal, Slot

from meddisseg_studio.control.jobs import JobOutcome, JobQueue, JobSpec
from meddisseg_studio.workers.job import Worker

pytest.importorskip("pytestqt")


class CountWorker(Worker):
    counted = Signal(int)

    def __init__(self, n: int, gate: threading.Event | None = None) -> None:
        super().__init__()
        self.n = n
        self.gate = gate

    @Slot()
    def run(self) -> None:
        if self.gate is not None:
            self.gate.wait(10)
        for i in range(self.n):
            self.counted.emit(i)
        self.finished.emit(self.cancelled, f"counted {self.n}")


class Receiver(QObject):
    """A GUI-thread QObject: the worker's signals reach its slots in the GUI thread."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[int, bool]] = []
        self.outcomes: list[JobOutcome] = []

    def on_counted(self, i: int) -> None:
        self.seen.append((i, QThread.currentThread() is self.thread()))

    def on_done(self, outcome: JobOutcome) -> None:
        self.outcomes.append(outcome)


def spec(receiver: Receiver, n: int, gate: threading.Event | None = None) -> JobSpec[CountWorker]:
    return JobSpec(
        kind="count",
        title=f"Counting {n}",
        total=n,
        create=lambda: CountWorker(n, gate),
        wire=lambda worker: worker.counted.connect(receiver.on_counted),
        on_done=receiver.on_done,
    )


def test_jobs_run_in_order_and_report_in_the_gui_thread(qtbot) -> None:
    queue, receiver = JobQueue(), Receiver()
    started: list[str] = []
    queue.jobStarted.connect(lambda title, _total: started.append(title))
    queue.submit(spec(receiver, 3))
    queue.submit(spec(receiver, 2))
    assert queue.busy and queue.pending() == ["Counting 2"]
    qtbot.waitUntil(lambda: not queue.busy, timeout=10_000)
    assert started == ["Counting 3", "Counting 2"]
    assert [i for i, _ in receiver.seen] == [0, 1, 2, 0, 1]
    assert all(in_gui for _, in_gui in receiver.seen)
    assert [o.summary for o in receiver.outcomes] == ["counted 3", "counted 2"]


def test_cancel_drops_waiting_jobs_and_says_so(qtbot) -> None:
    queue, receiver = JobQueue(), Receiver()
    gate = threading.Event()
    queue.submit(spec(receiver, 1, gate))
    queue.submit(spec(receiver, 5))
    queue.cancel()
    gate.set()
    qtbot.waitUntil(lambda: not queue.busy, timeout=10_000)
    dropped, ran = receiver.outcomes
    assert dropped.started is False and dropped.cancelled and "not started" in dropped.summary
    assert ran.started and ran.cancelled  # the running one saw the cancel flag
    assert [i for i, _ in receiver.seen] == [0]  # the dropped job never ran


def test_a_job_that_cannot_start_does_not_block_the_next(qtbot) -> None:
    queue, receiver = JobQueue(), Receiver()

    def refuse() -> CountWorker:
        raise RuntimeError("no model")

    queue.submit(JobSpec("count", "Broken", 1, refuse, on_done=receiver.on_done))
    queue.submit(spec(receiver, 1))
    qtbot.waitUntil(lambda: len(receiver.outcomes) == 2, timeout=10_000)
    broken, ok = receiver.outcomes
    assert not broken.started and "no model" in broken.summary
    assert ok.summary == "counted 1"
