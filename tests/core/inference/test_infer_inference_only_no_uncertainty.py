"""A stage-2 file saved inference-only has no trained uncertainty branch: none is offered."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from meddisseg_core.checkpoint import ModelMetadata, load_model, save_model
from meddisseg_core.inference import Predictor
from meddisseg_core.nn import NetworkConfig, build_network


def test_inference_only_file_offers_no_uncertainty(tmp_path: Path, one_thread: None) -> None:
    torch.manual_seed(0)
    config = NetworkConfig.tiny(2)
    path = tmp_path / "compact.safetensors"
    save_model(path, build_network(config), ModelMetadata(network=config), inference_only=True)
    predictor = Predictor(load_model(path), device="cpu")
    assert not predictor.has_uncertainty
    prediction = predictor.predict(np.zeros((40, 48, 3), np.uint8), with_uncertainty=True)
    assert prediction.uncertainty is None
    assert prediction.probability.shape == (40, 48)
