"""Runs the segmentation model over a list of images off the GUI thread.

The worker reads images, runs the predictor and, given ``prepare``, also does the slow part of
saving (compressing and writing the proposal file: 0.1-0.2 s an image, which froze the window when
the GUI thread did it). Each result travels to the GUI thread in a queued signal, where the
proposals controller records it in the project, so the project's state (entries, database, listeners)
is only ever changed from one thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np
from PySide6.QtCore import Signal, Slot

from meddisseg_core.errors import MedDisSegError

from .job import EtaClock, Worker
from .threads import torch_threads

if TYPE_CHECKING:  # importing meddisseg_core.inference imports torch: only for type checkers
    from meddisseg_core.inference import DeviceReport, Prediction

log = logging.getLogger(__name__)

# key -> the model's input: pass Project.load_model_input (imageio.to_model_uint8), never a display image
ImageLoader = Callable[[str], "np.ndarray"]  # a string: numpy may load after the first paint
# key, prediction -> what the GUI thread records (e.g. Project.prepare_proposal's result); thread-safe
Preparer = Callable[[str, "Prediction"], object]


class ProposalModel(Protocol):
    """What the app needs of a model: ``meddisseg_core.inference.Predictor`` (or a test double)."""

    @property
    def device_report(self) -> DeviceReport: ...

    @property
    def has_uncertainty(self) -> bool: ...

    def predict(self, image: np.ndarray, *, with_uncertainty: bool = False) -> Prediction: ...


class ProposalWorker(Worker):
    """Predicts one image after another; checks the cancel flag between images."""

    # key, Prediction (probability, uncertainty), or what ``prepare`` made of it
    proposed = Signal(str, object)
    # key, error text
    failed = Signal(str, str)

    def __init__(
        self,
        predictor: ProposalModel,
        keys: Sequence[str],
        load_image: ImageLoader,
        *,
        with_uncertainty: bool = True,
        threads: int | None = None,
        prepare: Preparer | None = None,
    ) -> None:
        super().__init__()
        self._predictor = predictor
        self._keys = list(keys)
        self._load_image = load_image
        self._with_uncertainty = with_uncertainty
        self._threads = threads  # torch threads for this job (threads.BUDGET); None: torch's own
        self._prepare = prepare

    @Slot()
    def run(self) -> None:
        with torch_threads(self._threads):
            self._run()

    def _run(self) -> None:
        clock = EtaClock(len(self._keys))
        done = failed = 0
        self._report(clock, 0)
        for key in self._keys:
            if self.cancelled:
                break
            try:
                image = self._load_image(key)
                prediction = self._predictor.predict(image, with_uncertainty=self._with_uncertainty)
                result = prediction if self._prepare is None else self._prepare(key, prediction)
            except MedDisSegError as exc:
                failed += 1
                self.failed.emit(key, str(exc))
            except Exception as exc:  # a broken image must not end the whole batch
                log.exception("proposal for %s failed", key)
                failed += 1
                self.failed.emit(key, f"{type(exc).__name__}: {exc}")
            else:
                self.proposed.emit(key, result)
            done += 1
            self._report(clock, done)
        summary = f"proposed {done - failed} of {len(self._keys)} image(s)"
        if failed:
            summary += f", {failed} failed"
        if self.cancelled:
            summary += " (cancelled)"
        self.finished.emit(self.cancelled, summary)
