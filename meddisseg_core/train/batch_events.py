"""The per-batch ``batch_end`` event: live progress between the (possibly rare) epoch ends.

On a CPU one epoch of the paper network over a few dozen images takes many minutes, so a GUI that
only hears ``epoch_end`` shows nothing for that long. This reports each optimiser step, at most
once per ``interval_s`` (a fast GPU run would otherwise write thousands of lines a minute), and
always the epoch's last batch.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from meddisseg_core.train.events import EventWriter

# The part of the objective that measures the segmentation alone (never negative); the total can
# be negative because the dispersive term (a log of a mean of exponentials) is.
SEGMENTATION_PART = {1: "dicebce", 2: "mask"}


class BatchReporter:
    """Emits ``batch_end`` for one epoch; make one per epoch."""

    # The default spacing of the events. A benchmark that compares loss curves step by step
    # (benchmarks/gpu_default_steps.py, "profile") sets it to 0 for its own process.
    default_interval_s = 1.0

    def __init__(
        self, events: EventWriter, *, stage: int, epoch: int, batches: int, interval_s: float | None = None
    ) -> None:
        self.events = events
        self.part = SEGMENTATION_PART.get(stage, "mask")
        self.epoch = epoch  # 1-based: the epoch in progress
        self.batches = batches
        self.interval_s = self.default_interval_s if interval_s is None else interval_s
        self.began = time.perf_counter()
        self.last: float | None = None
        self.images = 0

    def step(self, batch: int, step: int, images: int, scalars: Mapping[str, float | None] | None) -> None:
        """After batch ``batch`` (1-based; ``scalars`` None when the step was skipped)."""
        self.images += images
        now = time.perf_counter()
        due = self.last is None or now - self.last >= self.interval_s or batch >= self.batches
        if not due:
            return
        self.last = now
        elapsed = max(now - self.began, 1e-9)
        loss = None
        if scalars is not None:
            loss = {"total": scalars.get("total"), "segmentation": scalars.get(self.part)}
        self.events.emit(
            "batch_end",
            epoch=self.epoch,
            batch=batch,
            batches=self.batches,
            step=step,
            images=self.images,
            images_per_s=self.images / elapsed,
            loss=loss,
            epoch_elapsed_s=elapsed,
        )
