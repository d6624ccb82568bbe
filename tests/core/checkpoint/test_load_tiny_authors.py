"""load_model's edges on tiny files: what is excused (only our inference-only subset), what is named."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import torch
from safetensors import safe_open
from safetensors.torch import load_file, save_file

from meddisseg_core.checkpoint import ModelMetadata, load_model, save_model
from meddisseg_core.checkpoint.save import training_only
from meddisseg_core.errors import CheckpointError, StateDictMismatchError


def test_authors_pth_without_the_training_only_keys_is_refused(perturbed, tmp_path: Path) -> None:
    # Only our own files may omit the auxiliary heads; an authors' .pth must be complete.
    state = {k: v for k, v in perturbed(2).state_dict().items() if not training_only(k)}
    path = tmp_path / "compact.pth"
    torch.save(state, path)
    with pytest.raises(StateDictMismatchError) as info:
        load_model(path)
    assert info.value.missing and all(training_only(k) for k in info.value.missing)


def test_a_complete_authors_pth_loads_strictly(perturbed, tmp_path: Path) -> None:
    net = perturbed(1)
    path = tmp_path / "full.pth"
    torch.save(net.state_dict(), path)
    loaded = load_model(path)
    assert loaded.format == "pth" and loaded.inference_only is False
    x = torch.rand(1, 3, 32, 32)
    torch.testing.assert_close(loaded.network.infer(x).mask, net.infer(x).mask, rtol=0, atol=1e-6)


def test_one_unexpected_key_alone_is_an_error(perturbed, tmp_path: Path) -> None:
    state = dict(perturbed(1).state_dict())
    state["head.extra.weight"] = torch.zeros(1)
    path = tmp_path / "extra.pth"
    torch.save(state, path)
    with pytest.raises(StateDictMismatchError) as info:
        load_model(path)
    assert info.value.unexpected == ["head.extra.weight"]
    assert not info.value.missing


def test_loaded_model_is_immutable(perturbed, tmp_path: Path) -> None:
    net = perturbed(1)
    path = tmp_path / "m.safetensors"
    save_model(path, net, ModelMetadata(network=net.config))
    loaded = load_model(path)
    assert loaded.inference_only is False and loaded.format == "safetensors"
    with pytest.raises(dataclasses.FrozenInstanceError):
        loaded.inference_only = True  # type: ignore[misc]


def test_checksum_message_names_both_hash_prefixes(perturbed, tmp_path: Path) -> None:
    net = perturbed(1)
    path = tmp_path / "m.safetensors"
    stored = save_model(path, net, ModelMetadata(network=net.config))
    with safe_open(str(path), framework="pt") as handle:
        header = handle.metadata()
    tensors = load_file(path)
    tensors["head.conv_fuse.weight"] = tensors["head.conv_fuse.weight"] * 2.0
    save_file(tensors, path, metadata=header)
    with pytest.raises(CheckpointError) as info:
        load_model(path)
    message = str(info.value)
    # Exactly 16 hex digits of each hash, then the ellipsis.
    assert f"recorded {stored.sha256[:16]}\u2026, file " in message
    actual = message.split("file ", 1)[1][:17]
    assert len(actual) == 17 and actual[16] == "\u2026" and actual[:16] != stored.sha256[:16]


def test_loaded_model_defaults_describe_a_complete_safetensors_file(perturbed) -> None:
    from meddisseg_core.checkpoint import LoadedModel

    net = perturbed(1)
    loaded = LoadedModel(net, ModelMetadata(network=net.config), Path("m.safetensors"))
    assert (loaded.format, loaded.inference_only) == ("safetensors", False)
