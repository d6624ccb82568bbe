"""A compact inference file drops exactly the training-only keys and still gives the same mask."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file

from meddisseg_core.checkpoint import ModelMetadata, load_model, save_model
from meddisseg_core.errors import StateDictMismatchError


def test_inference_only_file(perturbed, tmp_path: Path) -> None:
    net = perturbed(2)
    path = tmp_path / "compact.safetensors"
    save_model(path, net, ModelMetadata(network=net.config), inference_only=True)
    keys = set(load_file(path))
    assert not any(k.startswith(("aux_head.", "decouple_layer.cbt_uc.")) for k in keys)
    assert "decouple_layer.cbt_fg.0.conv.0.weight" in keys
    loaded = load_model(path)
    assert loaded.inference_only
    x = torch.rand(1, 3, 32, 32)
    torch.testing.assert_close(loaded.network.infer(x).mask, net.infer(x).mask, rtol=0, atol=1e-6)


def test_other_missing_keys_are_not_excused(perturbed, tmp_path: Path) -> None:
    net = perturbed(2)
    path = tmp_path / "compact.safetensors"
    save_model(path, net, ModelMetadata(network=net.config), inference_only=True)
    # An authors'-style file without our metadata must be complete: the subset is not excused.
    tensors = load_file(path)
    del tensors["cdfa1.v.bias"]
    bare = tmp_path / "bare.safetensors"
    save_file(tensors, bare)
    with pytest.raises(StateDictMismatchError) as info:
        load_model(bare)
    assert "cdfa1.v.bias" in str(info.value)
    assert any(k.startswith("aux_head.") for k in info.value.missing)
