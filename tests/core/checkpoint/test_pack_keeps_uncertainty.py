"""A packed stage-2 file keeps the uncertainty path (issue 20): the predictor offers the head's map.

The review queue then ranks by the model's own uncertainty; a file packed with
``keep_uncertainty=False`` (the mask path alone, as files packed before issue 20) offers none.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from meddisseg_core.checkpoint import ModelMetadata, load_model, pack_model
from meddisseg_core.inference import Predictor


def test_packed_file_offers_the_heads_uncertainty(perturbed, tmp_path: Path) -> None:
    network = perturbed(2)
    kept, dropped = tmp_path / "kept.safetensors", tmp_path / "mask-only.safetensors"
    pack_model(kept, network, ModelMetadata(network=network.config))
    pack_model(dropped, network, ModelMetadata(network=network.config), keep_uncertainty=False)

    loaded = load_model(kept)
    assert loaded.inference_only and loaded.has_uncertainty
    x = torch.rand(1, 3, 64, 64, generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        ours = loaded.network.infer(x, with_uncertainty=True).uncertainty
        reference = network.infer(x, with_uncertainty=True).uncertainty
    assert ours is not None and reference is not None
    assert (ours - reference).abs().max().item() < 1e-2

    predictor = Predictor(loaded, device="cpu")
    assert predictor.has_uncertainty
    image = np.random.default_rng(0).integers(0, 255, (40, 48, 3), dtype=np.uint8)
    assert predictor.predict(image, with_uncertainty=True).uncertainty is not None

    mask_only = load_model(dropped)
    assert mask_only.inference_only and not mask_only.has_uncertainty
    assert not Predictor(mask_only, device="cpu").has_uncertainty
