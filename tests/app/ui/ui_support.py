"""Helpers shared by the UI tests (imported by name: the tests folder is not a package)."""

from __future__ import annotations

import threading

import numpy as np
import torch

from meddisseg_core.inference.device import DeviceReport

N_KVASIR = 3
BROKEN = "broken.jpg"


class ConstantPredictor:
    """Predicts a centred disc with known probabilities (no torch work: fast and exact)."""

    has_uncertainty = True
    device_report = DeviceReport(torch.device("cpu"), "Test CPU", "fake predictor")

    def predict(self, image: np.ndarray, *, with_uncertainty: bool = False):
        from meddisseg_core.inference import Prediction

        h, w = image.shape[:2]
        yy, xx = np.mgrid[0:h, 0:w]
        dist = np.hypot((yy - h / 2) / h, (xx - w / 2) / w)
        prob = np.clip(1.0 - 2.0 * dist, 0.0, 1.0).astype(np.float32)
        return Prediction(prob, (prob * (1 - prob)).astype(np.float32) if with_uncertainty else None)


class GatedPredictor(ConstantPredictor):
    """Blocks in ``predict`` until the test releases one image with ``release()``."""

    def __init__(self) -> None:
        self._gate = threading.Semaphore(0)
        self.entered = threading.Event()

    def release(self, n: int = 1) -> None:
        for _ in range(n):
            self._gate.release()

    def predict(self, image: np.ndarray, *, with_uncertainty: bool = False):
        self.entered.set()
        if not self._gate.acquire(timeout=30):
            raise TimeoutError("the test never released the gated predictor")
        return super().predict(image, with_uncertainty=with_uncertainty)


def wait_idle(qtbot, window, timeout: int = 20_000) -> None:
    qtbot.waitUntil(lambda: not window.jobs.busy, timeout=timeout)


def readable_keys(window) -> list[str]:
    return [e.key for e in window.studio.project.entries if e.key != BROKEN]
