"""The Predictor on a real tiny stage-2 network: sizes, batch = single, uncertainty."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import numpy as np
import torch

from meddisseg_core.inference import Predictor
from meddisseg_core.nn import NetworkConfig, build_network


def test_tiny_stage2_network(toy_convention: Callable[..., Any], one_thread: None) -> None:
    torch.manual_seed(0)
    network = build_network(NetworkConfig.tiny(2))
    loaded = SimpleNamespace(network=network, metadata=SimpleNamespace(input=toy_convention((64, 64))))
    predictor = Predictor(loaded, device="cpu")
    rng = np.random.default_rng(0)
    images = [rng.integers(0, 256, (70, 90, 3), dtype=np.uint8), rng.integers(0, 256, (48, 40, 3), np.uint8)]
    batch = predictor.predict_batch(images, with_uncertainty=True)
    for image, together in zip(images, batch, strict=True):
        alone = predictor.predict(image, with_uncertainty=True)
        assert together.probability.shape == image.shape[:2]
        assert together.uncertainty is not None and together.uncertainty.shape == image.shape[:2]
        np.testing.assert_allclose(together.probability, alone.probability, atol=1e-5)
    assert predictor.has_uncertainty
    assert not network.training  # the Predictor puts the network in eval mode
