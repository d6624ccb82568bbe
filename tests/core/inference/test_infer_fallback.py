"""A CUDA failure during prediction falls back to the CPU; out of memory halves the batch first."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
import torch

from meddisseg_core.inference import Predictor
from meddisseg_core.inference.device import DeviceReport


def _images(n: int) -> list[np.ndarray]:
    rng = np.random.default_rng(5)
    return [rng.integers(0, 256, (20 + i, 30, 3), dtype=np.uint8) for i in range(n)]


def test_cuda_error_falls_back_to_cpu(toy_loaded: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    predictor = Predictor(toy_loaded, device="cpu")
    expected = predictor.predict(_images(1)[0]).probability
    # Pretend the predictor runs on a GPU whose next kernel dies.
    predictor._report = DeviceReport(torch.device("cuda", 0), "Fake GPU", "CUDA device is usable")
    real_forward = predictor._forward
    calls = []

    def flaky(batch: np.ndarray, with_uncertainty: bool):
        calls.append(predictor.device.type)
        if predictor.device.type == "cuda":
            raise RuntimeError("CUDA error: an illegal memory access was encountered\nmore detail")
        return real_forward(batch, with_uncertainty)

    monkeypatch.setattr(predictor, "_forward", flaky)
    result = predictor.predict(_images(1)[0])
    assert calls == ["cuda", "cpu"]
    assert predictor.device_report.device.type == "cpu"
    assert "illegal memory access" in predictor.device_report.reason
    assert "fell back" in predictor.device_report.reason
    np.testing.assert_allclose(result.probability, expected, atol=1e-6)


def test_cpu_errors_propagate(toy_loaded: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    predictor = Predictor(toy_loaded, device="cpu")

    def broken(batch: np.ndarray, with_uncertainty: bool):
        raise RuntimeError("shape mismatch")

    monkeypatch.setattr(predictor, "_forward", broken)
    with pytest.raises(RuntimeError, match="shape mismatch"):
        predictor.predict(_images(1)[0])


def test_out_of_memory_splits_the_batch(toy_loaded: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    predictor = Predictor(toy_loaded, device="cpu")
    images = _images(5)
    expected = [p.probability for p in predictor.predict_batch(images)]
    real_forward = predictor._forward
    sizes = []

    def small_memory(batch: np.ndarray, with_uncertainty: bool):
        sizes.append(len(batch))
        if len(batch) > 2:
            raise torch.OutOfMemoryError("CUDA out of memory")
        return real_forward(batch, with_uncertainty)

    monkeypatch.setattr(predictor, "_forward", small_memory)
    results = predictor.predict_batch(images)
    assert sizes == [5, 2, 3, 1, 2]
    for got, want in zip(results, expected, strict=True):
        np.testing.assert_allclose(got.probability, want, atol=1e-6)
