"""The fine-tune dialog's duration estimate: a few real training steps, timed in a child process.

On the CPU this is the only honest estimate (speed depends on the machine, its load and the
network); the dialog turns a time budget into epochs with it. It answers within about
:data:`MAX_SECONDS` (``meddisseg_core.models.estimate``), reports its progress line by line, and
runs in its own process group, so closing the dialog ends it and anything it started.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from .child import ChildCommand
from .finetune_settings import FineTuneSettings

MAX_SECONDS = 12  # the child's Python and torch start-up comes on top: about 15 s in all


def estimate_args(
    settings: FineTuneSettings, base: Path | None, size: int, network: str, images: list[str]
) -> list[str]:
    args = ["models", "estimate", "--scope", settings.train_scope, "--image-size", str(size)]
    args += ["--batch-size", str(settings.batch_size), "--device", settings.device]
    args += ["--stage", str(settings.stage), "--network", network]
    args += ["--max-seconds", str(MAX_SECONDS), "--progress"]
    if base is not None:
        args += ["--base", str(base)]
    return [*args, "--images", *images]


class SpeedProbe(QObject):
    """Runs ``meddisseg models estimate``; reports ``estimated(text, seconds per epoch or None)``."""

    estimated = Signal(str, object)
    progress = Signal(str, float)  # what is being timed, fraction of the time used

    def __init__(self, approved: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.approved = approved
        self.child: ChildCommand | None = None

    def running(self) -> bool:
        return self.child is not None and self.child.running()

    def start(self, args: list[str]) -> None:
        if self.running():
            return
        self.child = ChildCommand(args, self, new_session=True)
        self.child.done.connect(self._done)
        self.child.line.connect(self._line)
        self.estimated.emit("Measuring a few training steps…", None)
        self.child.start()

    def kill(self) -> None:
        if self.child is not None:
            self.child.kill()

    @Slot(str)
    def _line(self, line: str) -> None:
        if not line.startswith('{"progress"'):
            return
        try:
            report = json.loads(line)
            self.progress.emit(str(report["progress"]), float(report["fraction"]))
        except (ValueError, KeyError, TypeError):
            pass  # a line that only looks like progress: the result line decides

    @Slot(int, str)
    def _done(self, code: int, output: str) -> None:
        from meddisseg_core.models.estimate import StepEstimate
        from meddisseg_core.models.heldout import DEFAULT_FRACTION, held_out_count

        lines = output.strip().splitlines()
        if code != 0 or not lines:
            self.estimated.emit(f"Could not measure: {lines[-1] if lines else 'no output'}", None)
            return
        try:
            estimate = StepEstimate(**json.loads(lines[-1]))
        except (ValueError, TypeError) as exc:
            self.estimated.emit(f"Could not measure: {exc}", None)
            return
        held = held_out_count(self.approved, DEFAULT_FRACTION)
        train = self.approved - held
        per_epoch = estimate.seconds_per_epoch(train, held)
        timed = ""
        if estimate.measured_batch and estimate.measured_batch != estimate.batch_size:
            timed = f" (timed on {estimate.measured_batch} image(s) at {estimate.measured_size} px, scaled)"
        self.estimated.emit(
            f"measured about {estimate.seconds_per_step:.1f} s per step of {estimate.batch_size} image(s) on "
            f"{estimate.device}{timed}: about {per_epoch / 60:.1f} min per epoch ({train} training + "
            f"{held} held-out images)",
            per_epoch,
        )
