"""Predictor(precision="bf16-decoder") asks the network for an fp32 encoder under bf16 autocast."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import numpy as np
import torch

from meddisseg_core.inference import Predictor
from meddisseg_core.nn import NetworkConfig, build_network


def test_bf16_decoder_runs_the_encoder_in_fp32(toy_convention: Callable[..., Any], one_thread: None) -> None:
    torch.manual_seed(0)
    network = build_network(NetworkConfig.tiny(2))
    loaded = SimpleNamespace(network=network, metadata=SimpleNamespace(input=toy_convention((64, 64))))
    predictor = Predictor(loaded, device="cpu", precision="bf16-decoder", runtime="torch")
    assert predictor.precision == "bf16-decoder"
    fused = predictor.network._fused.get(predictor.network)
    seen: list[torch.dtype] = []
    fused.encoder.register_forward_hook(lambda m, i, o: seen.append(o[3].dtype))
    fused.cdfa1.register_forward_hook(lambda m, i, o: seen.append(o.dtype))

    image = np.random.default_rng(0).integers(0, 256, (50, 70, 3), dtype=np.uint8)
    result = predictor.predict(image, with_uncertainty=True)
    assert seen[:2] == [torch.float32, torch.bfloat16]
    assert result.probability.shape == (50, 70) and result.probability.dtype == np.float32
    assert result.uncertainty is not None and np.isfinite(result.uncertainty).all()
    assert "bf16-decoder" in predictor.describe()
