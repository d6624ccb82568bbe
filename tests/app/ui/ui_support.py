"""Helpers shared by the UI tests (imported by name: the tests folder is not a package)."""

from __future__ import annotations

import threading
from pathlib import Path

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
    """Blocks in ``predict`` until the test releases one image with ``release()``.

    With ``inner`` (a real Predictor) it then delegates to it; otherwise it predicts a disc.
    """

    def __init__(self, inner: object | None = None) -> None:
        self._gate = threading.Semaphore(0)
        self.entered = threading.Event()
        self.inner = inner
        if inner is not None:
            self.device_report = inner.device_report
            self.has_uncertainty = inner.has_uncertainty

    def release(self, n: int = 1) -> None:
        for _ in range(n):
            self._gate.release()

    def predict(self, image: np.ndarray, *, with_uncertainty: bool = False):
        self.entered.set()
        if not self._gate.acquire(timeout=30):
            raise TimeoutError("the test never released the gated predictor")
        if self.inner is not None:
            return self.inner.predict(image, with_uncertainty=with_uncertainty)
        return super().predict(image, with_uncertainty=with_uncertainty)


def save_tiny_model(path: Path) -> Path:
    """A tiny, untrained stage-2 network written with save_model (real checkpoint code path)."""
    from meddisseg_core.checkpoint import InputConvention, ModelMetadata, save_model
    from meddisseg_core.nn import NetworkConfig, build_network

    torch.manual_seed(0)
    network = build_network(NetworkConfig.tiny(2))
    metadata = ModelMetadata(
        network=network.config, input=InputConvention(size=(64, 64)), name="tiny-ui-test"
    )
    save_model(path, network, metadata)
    return path


def wait_idle(qtbot, window, timeout: int = 20_000) -> None:
    qtbot.waitUntil(lambda: not window.jobs.busy, timeout=timeout)


def wait_loaded(qtbot, window, timeout: int = 60_000) -> None:
    """Wait until no model is loading (models load on a background thread)."""
    qtbot.waitUntil(lambda: not window.proposals.loading, timeout=timeout)


def readable_keys(window) -> list[str]:
    return [e.key for e in window.workspace.project.entries if e.key != BROKEN]
