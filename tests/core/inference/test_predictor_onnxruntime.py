"""runtime="onnxruntime": the Predictor runs the exported stage-1 mask, checked against PyTorch at load."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from meddisseg_core.checkpoint import InputConvention, LoadedModel, ModelMetadata
from meddisseg_core.inference import Predictor
from meddisseg_core.nn import NetworkConfig, build_network

pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")


def test_onnxruntime_backend_matches_torch(one_thread: None) -> None:
    torch.manual_seed(0)
    net = build_network(NetworkConfig.tiny(1)).eval()
    loaded = LoadedModel(
        net, ModelMetadata(network=net.config, input=InputConvention(size=(64, 64))), Path("t")
    )
    ort = Predictor(loaded, device="cpu", runtime="onnxruntime", tta=True)
    assert ort.runtime == "onnxruntime" and "checked at load" in ort.describe()
    image = np.random.default_rng(1).integers(0, 256, (50, 70, 3), dtype=np.uint8)
    ours = Predictor(loaded, device="cpu", precision="fp32", tta=True).predict(image).probability
    np.testing.assert_allclose(ort.predict(image).probability, ours, atol=1e-4)
