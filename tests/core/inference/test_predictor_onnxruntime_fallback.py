"""If ONNX Runtime's result differs from PyTorch beyond the tolerance at load, PyTorch fp32 runs instead."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from meddisseg_core.checkpoint import InputConvention, LoadedModel, ModelMetadata
from meddisseg_core.inference import Predictor, ort_backend
from meddisseg_core.nn import NetworkConfig, build_network

pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")


def test_falls_back_when_the_check_fails(one_thread: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ort_backend, "ORT_MAX_DIFFERENCE", -1.0)  # nothing can pass
    torch.manual_seed(0)
    net = build_network(NetworkConfig.tiny(1)).eval()
    loaded = LoadedModel(
        net, ModelMetadata(network=net.config, input=InputConvention(size=(64, 64))), Path("t")
    )
    predictor = Predictor(loaded, device="cpu", runtime="onnxruntime")
    assert (predictor.runtime, predictor.precision) == ("torch", "fp32")
    assert (
        "ONNX Runtime not used" in predictor.choice.reason
        and "differs from PyTorch" in predictor.choice.reason
    )
