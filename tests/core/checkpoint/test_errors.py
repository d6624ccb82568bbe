"""Bad files fail with errors that say what is wrong; malicious pickles never run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file

from meddisseg_core.checkpoint import ModelMetadata, load_model, save_model
from meddisseg_core.errors import CheckpointError, StateDictMismatchError, UnsafeCheckpointError


class _Payload:
    """Unpickling this would run a shell command that creates the marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (os.system, (f"touch '{self.marker}'",))


def test_malicious_pickle_is_refused(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pth"
    torch.save({"layer0.0.weight": torch.zeros(1), "payload": _Payload(marker)}, path)
    with pytest.raises(UnsafeCheckpointError):
        load_model(path)
    assert not marker.exists()


def test_wrong_shapes_and_keys_are_named(perturbed, tmp_path: Path) -> None:
    state = perturbed(1).state_dict()
    state["head.conv_fuse.weight"] = torch.zeros(1, 7, 1, 1)
    state["extra.weight"] = torch.zeros(2)
    del state["head.att2.fc.0.weight"]
    path = tmp_path / "bad.pth"
    torch.save(state, path)
    with pytest.raises(StateDictMismatchError) as info:
        load_model(path)
    text = str(info.value)
    assert "head.conv_fuse.weight" in text and "extra.weight" in text and "head.att2.fc.0.weight" in text


def test_not_a_meddisseg_checkpoint(tmp_path: Path) -> None:
    path = tmp_path / "other.pth"
    torch.save({"fc.weight": torch.zeros(2, 2)}, path)
    with pytest.raises(CheckpointError, match="not a Med-DisSeg checkpoint"):
        load_model(path)


def test_garbage_file(tmp_path: Path) -> None:
    for name in ("junk.pth", "junk.safetensors"):
        path = tmp_path / name
        path.write_bytes(b"this is not a checkpoint at all")
        with pytest.raises(CheckpointError):
            load_model(path)
    with pytest.raises(CheckpointError, match="not found"):
        load_model(tmp_path / "missing.pth")


def test_tampered_tensors_fail_the_checksum(perturbed, tmp_path: Path) -> None:
    net = perturbed(1)
    path = tmp_path / "m.safetensors"
    save_model(path, net, ModelMetadata(network=net.config))
    from safetensors import safe_open

    with safe_open(str(path), framework="pt") as handle:
        header = handle.metadata()
    tensors = load_file(path)
    tensors["head.conv_fuse.weight"] = tensors["head.conv_fuse.weight"] + 1.0
    save_file(tensors, path, metadata=header)
    with pytest.raises(CheckpointError, match="checksum"):
        load_model(path)
