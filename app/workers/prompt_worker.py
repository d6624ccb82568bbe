"""Runs one Box or Click prompt through the prompt segmenter off the GUI thread.

The model may take 0.3–2 s on a CPU for a box, so the canvas must not wait for it. The worker only
reads the image and runs the segmenter; the result travels to the GUI thread in a queued signal,
where the prompt controller applies it to the image it was asked for (the project is only ever
changed from one thread). The segmenter shares the loaded Predictor with proposal jobs: the
Predictor serialises its calls with a lock, so a prompt during a batch waits for one image at most.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Signal, Slot

from meddisseg_core.errors import MedDisSegError

from .job import Worker
from .threads import torch_threads

if TYPE_CHECKING:
    from meddisseg_core.interactive import Prompts, PromptSegmenter

log = logging.getLogger(__name__)


class PromptWorker(Worker):
    """Segments once: ``segmented(image, PromptResult)`` or ``failed(text)``, then ``finished``."""

    segmented = Signal(object, object)  # the image it read (kept for the next prompt), PromptResult
    failed = Signal(str)

    def __init__(
        self,
        segmenter: Callable[[], PromptSegmenter],
        image: Callable[[], np.ndarray],
        prompts: Prompts,
        mask: np.ndarray,
        probability: np.ndarray | None,
        *,
        threads: int | None = None,
    ) -> None:
        super().__init__()
        self._segmenter = segmenter  # built on this thread the first time (it may load weights)
        self._image = image
        self._prompts = prompts
        self._mask = mask
        self._probability = probability
        self._threads = threads

    @Slot()
    def run(self) -> None:
        try:
            with torch_threads(self._threads):
                image = self._image()
                result = self._segmenter().segment(
                    image, self._prompts, mask=self._mask.astype(bool), probability=self._probability
                )
        except MedDisSegError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a bug in a segmenter must not take the app down
            log.exception("prompt segmentation failed")
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.segmented.emit(image, result)
        self.finished.emit(self.cancelled, "")
