"""Predictor: original size out, batch equals single, flip TTA, uncertainty, default model."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
import torch

from meddisseg_core.errors import CheckpointError
from meddisseg_core.inference import Predictor, model_location
from meddisseg_core.inference.preprocessing import preprocess, resize_map


def _images() -> list[np.ndarray]:
    rng = np.random.default_rng(3)
    return [rng.integers(0, 256, shape, dtype=np.uint8) for shape in [(40, 50, 3), (33, 21, 3), (32, 32, 3)]]


def test_probability_at_original_size(toy_loaded: SimpleNamespace) -> None:
    predictor = Predictor(toy_loaded, device="cpu")
    for image in _images():
        pred = predictor.predict(image)
        assert pred.probability.shape == image.shape[:2] and pred.probability.dtype == np.float32
        assert pred.network_probability is not None and pred.network_probability.shape == (32, 32)
        assert pred.uncertainty is None
        assert pred.probability.min() >= 0.0 and pred.probability.max() <= 1.0


def test_batch_equals_single(toy_loaded: SimpleNamespace) -> None:
    predictor = Predictor(toy_loaded, device="cpu")
    images = _images()
    batch = predictor.predict_batch(images)
    for image, together in zip(images, batch, strict=True):
        alone = predictor.predict(image)
        np.testing.assert_allclose(together.probability, alone.probability, atol=1e-6)


def test_tta_averages_identity_and_flips(toy_loaded: SimpleNamespace) -> None:
    image = _images()[0]
    plain = Predictor(toy_loaded, device="cpu").predict(image)
    tta = Predictor(toy_loaded, device="cpu", tta=True).predict(image)
    assert tta.probability.shape == image.shape[:2]
    x = torch.from_numpy(preprocess(image, toy_loaded.metadata.input))[None]
    net = toy_loaded.network
    with torch.no_grad():
        maps = [net.infer(x).mask, net.infer(x.flip(-1)).mask.flip(-1), net.infer(x.flip(-2)).mask.flip(-2)]
    expected = torch.stack(maps).mean(0)[0, 0].numpy()
    np.testing.assert_allclose(tta.network_probability, expected, atol=1e-6)
    np.testing.assert_allclose(tta.probability, resize_map(expected, image.shape[:2]), atol=1e-6)
    assert not np.allclose(tta.probability, plain.probability, atol=1e-3)  # the toy is not flip-invariant


def test_uncertainty_when_asked(toy_loaded: SimpleNamespace) -> None:
    predictor = Predictor(toy_loaded, device="cpu", tta=True)
    pred = predictor.predict(_images()[1], with_uncertainty=True)
    assert pred.uncertainty is not None and pred.uncertainty.shape == (33, 21)
    assert predictor.has_uncertainty


def test_device_report_and_precision_on_cpu(toy_loaded: SimpleNamespace) -> None:
    predictor = Predictor(toy_loaded, device="cpu", precision="fp16")
    assert predictor.device_report.device.type == "cpu"
    assert predictor.precision == "fp32"  # fp16 is a CUDA-only option
    assert "fp32" in predictor.describe()
    assert Predictor(toy_loaded, device="cpu").precision == "fp32"  # auto


def test_bf16_on_cpu_stays_close(toy_loaded: SimpleNamespace) -> None:
    image = _images()[0]
    fp32 = Predictor(toy_loaded, device="cpu").predict(image).probability
    bf16 = Predictor(toy_loaded, device="cpu", precision="bf16")
    assert bf16.precision == "bf16"
    # Measured 0.006; 0.02 still catches a bf16 path that loses precision elsewhere (e.g. in the resize).
    np.testing.assert_allclose(bf16.predict(image).probability, fp32, atol=0.02)


def test_no_default_model_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setattr(model_location, "candidate_paths", lambda: [tmp_path / "default.safetensors"])
    monkeypatch.delenv(model_location.ENV_VAR, raising=False)
    with pytest.raises(CheckpointError, match="no default model"):
        Predictor.from_path(None)


def test_env_var_points_at_the_default(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    weights = tmp_path / "site.safetensors"
    weights.write_bytes(b"x")
    monkeypatch.setenv(model_location.ENV_VAR, str(weights))
    assert model_location.default_model_path() == weights
