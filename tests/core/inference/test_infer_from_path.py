"""Predictor.from_path on a saved file: follows the file's input convention; the env var default."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from meddisseg_core.checkpoint import InputConvention, ModelMetadata, save_model
from meddisseg_core.inference import Predictor, model_location
from meddisseg_core.nn import NetworkConfig, build_network


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    torch.manual_seed(1)
    network = build_network(NetworkConfig.tiny(1))
    convention = InputConvention(colour_order="RGB", size=(32, 48))
    path = tmp_path / "model.safetensors"
    save_model(path, network, ModelMetadata(network=network.config, input=convention, name="t"))
    return path


def test_from_path_uses_the_files_convention(saved: Path, one_thread: None) -> None:
    predictor = Predictor.from_path(saved, device="cpu")
    image = np.random.default_rng(0).integers(0, 256, (50, 70, 3), dtype=np.uint8)
    pred = predictor.predict(image)
    assert pred.network_probability is not None and pred.network_probability.shape == (32, 48)
    assert pred.probability.shape == (50, 70)
    assert not predictor.has_uncertainty  # stage 1


def test_default_model_from_env(saved: Path, monkeypatch: pytest.MonkeyPatch, one_thread: None) -> None:
    monkeypatch.setenv(model_location.ENV_VAR, str(saved))
    predictor = Predictor.from_path(None, device="cpu")
    assert Path(predictor.loaded.source) == saved
