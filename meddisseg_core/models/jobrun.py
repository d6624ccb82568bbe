"""A running fine-tuning job, followed without blocking (a GUI polls it from a timer).

It wraps :class:`meddisseg_core.train.client.TrainingProcess` (the trainer in its own process
group) and turns its events into what a jobs panel shows: per-epoch curves, speed, ETA, the log
tail, and, at the end, one of finished / cancelled / failed / crashed with a readable reason.
Stopping never blocks: :meth:`request_stop` asks (cancel file + SIGTERM to the group) and
:meth:`force_stop` ends the whole group with SIGKILL.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from meddisseg_core.models.jobspec import RUN_DIR, FineTuneSpec
from meddisseg_core.train.client import TrainingProcess

EXIT_MEANINGS = {2: "could not start", 3: "training failed", 4: "cancelled", 130: "interrupted"}


class EpochPoint(NamedTuple):
    epoch: int
    loss: float | None  # the trainer's total (can be negative: it includes the dispersive term)
    val_dice: float | None
    images_per_s: float | None
    segmentation: float | None = None  # the segmentation part of the loss (Dice + BCE), >= 0


class BatchPoint(NamedTuple):
    """One ``batch_end`` event (see docs/EVENTS.md)."""

    step: int
    epoch: int  # the epoch in progress, 1-based
    batch: int
    batches: int
    loss: float | None  # total, as the trainer reports it
    segmentation: float | None
    images_per_s: float | None
    time: float | None  # the event's time stamp (s since the epoch)


def _segmentation(train: dict[str, Any]) -> float | None:
    value = train.get("mask", train.get("dicebce"))
    return float(value) if isinstance(value, (int, float)) else None


class JobOutcome(NamedTuple):
    state: str  # finished | cancelled | failed | crashed
    message: str
    log_tail: str


def _event_time(event: dict[str, Any]) -> float | None:
    try:
        return datetime.fromisoformat(str(event["time"])).timestamp()
    except (KeyError, ValueError):
        return None


class FineTuneRun:
    """One job of a job folder; ``start()``, then ``poll()`` until ``outcome`` is set."""

    def __init__(
        self, spec: FineTuneSpec, job_dir: Path, *, python: str = sys.executable, env: dict | None = None
    ) -> None:
        self.spec = spec
        self.job_dir = Path(job_dir)
        self.process = TrainingProcess(
            spec.train_args(self.job_dir), self.job_dir / RUN_DIR, python=python, env=env
        )
        # One command line for every case: with several GPUs it goes through torchrun.
        self.process.command = spec.command(self.job_dir, python)
        self.points: list[EpochPoint] = []
        self.batches: list[BatchPoint] = []
        self.started_event: dict[str, Any] | None = None
        self.outcome: JobOutcome | None = None
        self.stop_requested = False
        self.started_at: float | None = None
        self._first_event_time: float | None = None
        self._epoch_times: list[float] = []

    @property
    def log_path(self) -> Path:
        return self.process.log_path

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def start(self) -> None:
        self.started_at = time.monotonic()
        self.process.start()

    def poll(self) -> list[dict[str, Any]]:
        """New events (also folded into ``points``); sets ``outcome`` once the process has ended."""
        if self.outcome is not None:
            return []
        code = self.process.returncode  # read before the events: none can follow the exit
        new = self.process.poll()
        for event in new:
            self._fold(event)
        if code is not None:
            self.outcome = self._ending(code)
        return new

    def _fold(self, event: dict[str, Any]) -> None:
        kind = event.get("type")
        if kind == "started":
            self._first_event_time = _event_time(event)
            self.started_event = event
        elif kind == "batch_end":
            loss = event.get("loss") or {}
            self.batches.append(
                BatchPoint(
                    int(event["step"]),
                    int(event["epoch"]),
                    int(event["batch"]),
                    int(event["batches"]),
                    loss.get("total"),
                    loss.get("segmentation"),
                    event.get("images_per_s"),
                    _event_time(event),
                )
            )
        elif kind == "epoch_end":
            train, val = event.get("train") or {}, event.get("val") or {}
            self.points.append(
                EpochPoint(
                    int(event["epoch"]),
                    train.get("total"),
                    val.get("mdsc"),
                    event.get("images_per_s"),
                    _segmentation(train),
                )
            )
            stamp = _event_time(event)
            if stamp is not None:
                self._epoch_times.append(stamp)

    def eta_s(self) -> float | None:
        """Seconds left, from the time per batch so far (None before the first batch ends).

        Before any batch event (a trainer older than ``batch_end``) it falls back to the mean
        epoch duration."""
        if self._first_event_time is None:
            return None
        last = self.batches[-1] if self.batches else None
        if self.spec.time_budget_s:  # the trainer stops on time: what is left of the budget
            stamp = last.time if last is not None else (self._epoch_times or [None])[-1]
            if stamp is None:
                return self.spec.time_budget_s
            return max(0.0, self.spec.time_budget_s - (stamp - self._first_event_time))
        if last is not None and last.time is not None and last.batches:
            done = (last.epoch - 1) * last.batches + last.batch
            total = self.spec.epochs * last.batches
            per_batch = (last.time - self._first_event_time) / max(done, 1)
            return max(0.0, per_batch * (total - done))
        if not self._epoch_times:
            return None
        done = len(self._epoch_times)
        per_epoch = (self._epoch_times[-1] - self._first_event_time) / done
        return max(0.0, per_epoch * (self.spec.epochs - self.points[-1].epoch))

    def images_per_s(self) -> float | None:
        """The latest measured training speed (the batch events', else the last epoch's)."""
        if self.batches and self.batches[-1].images_per_s:
            return self.batches[-1].images_per_s
        return self.points[-1].images_per_s if self.points else None

    def log_tail(self, lines: int = 15) -> str:
        try:
            with self.log_path.open("rb") as stream:
                stream.seek(0, os.SEEK_END)
                stream.seek(max(0, stream.tell() - 16384))
                text = stream.read().decode("utf-8", "replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def _ending(self, code: int) -> JobOutcome:
        terminal = self.process.terminal_event
        tail = self.log_tail()
        if terminal is not None and terminal["type"] == "finished" and code == 0:
            return JobOutcome("finished", f"finished {self.spec.epochs} epoch(s)", tail)
        if terminal is not None and terminal["type"] == "cancelled":
            return JobOutcome("cancelled", "cancelled; the current model is unchanged", tail)
        if terminal is not None and terminal["type"] == "failed":
            message = str(terminal.get("message", ""))
            advice = terminal.get("advice")
            return JobOutcome("failed", message + (f"\n{advice}" if advice else ""), tail)
        if code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
            why = "stopped" if self.stop_requested else "killed"
            return JobOutcome(
                "crashed" if not self.stop_requested else "cancelled",
                f"the training process was {why} by signal {name}",
                tail,
            )
        meaning = EXIT_MEANINGS.get(code, "ended unexpectedly")
        return JobOutcome(
            "crashed", f"the training process {meaning} (exit code {code}) without a result", tail
        )

    def request_stop(self) -> None:
        """Ask the job to stop after the current batch (cancel file and SIGTERM to its group)."""
        self.stop_requested = True
        self.process.cancel()
        self._signal_group(signal.SIGTERM)

    def force_stop(self) -> None:
        """End the whole process tree now (SIGKILL to the group)."""
        self.stop_requested = True
        self._signal_group(signal.SIGKILL if os.name == "posix" else signal.SIGTERM)

    def _signal_group(self, sig: int) -> None:
        pid = self.process.pid
        if pid is None or self.process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if os.name == "posix":
                os.killpg(pid, sig)  # the job leads its own session: its pid is the group id
            else:
                os.kill(pid, sig)

    @property
    def running(self) -> bool:
        return self.process.pid is not None and self.outcome is None
