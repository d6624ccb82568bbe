"""save_model -> load_model gives the same network, config, metadata and outputs."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from meddisseg_core.checkpoint import InputConvention, ModelMetadata, load_model, save_model
from meddisseg_core.nn import NetworkConfig


# fp16 storage: measured max error 5e-4 on the weights and 5e-6 on the output mask; the bounds
# leave about 4x and 20x head room, tight enough that a wrong cast or a lost tensor shows.
@pytest.mark.parametrize(("dtype", "atol", "mask_atol"), [(None, 0.0, 1e-6), (torch.float16, 2e-3, 1e-4)])
def test_roundtrip(
    perturbed, tmp_path: Path, dtype: torch.dtype | None, atol: float, mask_atol: float
) -> None:
    net = perturbed(2)
    meta = ModelMetadata(
        network=NetworkConfig.tiny(2),
        input=InputConvention(colour_order="RGB", size=(64, 64)),
        name="unit",
        metrics={"mdsc": 0.9},
        notes="round trip",
    )
    path = tmp_path / "model.safetensors"
    stored = save_model(path, net, meta, dtype=dtype)
    loaded = load_model(path)
    assert loaded.metadata == stored
    assert len(stored.sha256) == 64
    assert loaded.metadata.input.colour_order == "RGB" and loaded.metadata.input.size == (64, 64)
    assert loaded.network.config == NetworkConfig.tiny(2)
    assert not loaded.network.training and not loaded.inference_only
    ours, theirs = net.state_dict(), loaded.network.state_dict()
    assert list(ours) == list(theirs)
    for key in ours:
        torch.testing.assert_close(theirs[key], ours[key], rtol=0, atol=atol, msg=key)
    x = torch.rand(1, 3, 32, 32)
    torch.testing.assert_close(loaded.network.infer(x).mask, net.infer(x).mask, rtol=0, atol=mask_atol)


def test_fp16_file_is_smaller(perturbed, tmp_path: Path) -> None:
    net = perturbed(1)
    meta = ModelMetadata(network=net.config)
    save_model(tmp_path / "a.safetensors", net, meta)
    save_model(tmp_path / "b.safetensors", net, meta, dtype=torch.float16)
    assert (tmp_path / "b.safetensors").stat().st_size < 0.6 * (tmp_path / "a.safetensors").stat().st_size
