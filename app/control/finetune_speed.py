"""The fine-tune dialog's duration estimate: a few real training steps, timed in a child process.

On the CPU this is the only honest estimate (speed depends on the machine, its load and the
network); the dialog turns a time budget into epochs with it.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from .child import ChildCommand
from .finetune_settings import FineTuneSettings


def estimate_args(
    settings: FineTuneSettings, base: Path | None, size: int, network: str, images: list[str]
) -> list[str]:
    args = ["models", "estimate", "--scope", settings.train_scope, "--image-size", str(size)]
    args += ["--batch-size", str(settings.batch_size), "--device", settings.device]
    args += ["--stage", str(settings.stage), "--network", network]
    if base is not None:
        args += ["--base", str(base)]
    return [*args, "--images", *images]


class SpeedProbe(QObject):
    """Runs ``meddisseg models estimate``; reports ``estimated(text, seconds per epoch or None)``."""

    estimated = Signal(str, object)

    def __init__(self, approved: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.approved = approved
        self.child: ChildCommand | None = None

    def running(self) -> bool:
        return self.child is not None and self.child.running()

    def start(self, args: list[str]) -> None:
        if self.running():
            return
        self.child = ChildCommand(args, self)
        self.child.done.connect(self._done)
        self.estimated.emit("Measuring a few training steps…", None)
        self.child.start()

    def kill(self) -> None:
        if self.child is not None:
            self.child.kill()

    @Slot(int, str)
    def _done(self, code: int, output: str) -> None:
        from meddisseg_core.models.estimate import StepEstimate
        from meddisseg_core.models.heldout import DEFAULT_FRACTION, held_out_count

        lines = output.strip().splitlines()
        if code != 0 or not lines:
            self.estimated.emit(f"Could not measure: {lines[-1] if lines else 'no output'}", None)
            return
        estimate = StepEstimate(**json.loads(lines[-1]))
        held = held_out_count(self.approved, DEFAULT_FRACTION)
        train = self.approved - held
        per_epoch = estimate.seconds_per_epoch(train, held)
        self.estimated.emit(
            f"measured {estimate.seconds_per_step:.2f} s per step of {estimate.batch_size} image(s) on "
            f"{estimate.device}: about {per_epoch / 60:.1f} min per epoch ({train} training + {held} "
            "held-out images)",
            per_epoch,
        )
