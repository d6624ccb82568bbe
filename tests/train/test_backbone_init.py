"""Backbone initialisation: torchvision names map onto the authors' keys; stage 1 -> stage 2 copy."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from meddisseg_core.errors import StateDictMismatchError
from meddisseg_core.nn import NetworkConfig, build_network
from meddisseg_core.train.backbone import (
    copy_backbone_from_stage1,
    is_backbone_key,
    load_torchvision_backbone,
    torchvision_to_authors,
)


def _as_torchvision(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    out: dict[str, torch.Tensor] = {}
    for key, value in state.items():
        if key.startswith("layer0.0."):
            out["conv1." + key.removeprefix("layer0.0.")] = value
        elif key.startswith("layer0.1."):
            out["bn1." + key.removeprefix("layer0.1.")] = value
        elif key.startswith("layer1.1."):
            out["layer1." + key.removeprefix("layer1.1.")] = value
        elif key.startswith(("layer2.", "layer3.")):
            out[key] = value
    out["layer4.0.conv1.weight"] = torch.zeros(1)
    out["fc.weight"] = torch.zeros(10, 4)
    return out


def test_torchvision_file_loads_into_the_backbone(tmp_path: Path) -> None:
    donor = build_network(NetworkConfig.tiny(2))
    with torch.no_grad():
        for p in donor.parameters():
            p.uniform_(-1, 1)
    tv = {f"module.{k}": v.clone() for k, v in _as_torchvision(donor.state_dict()).items()}
    path = tmp_path / "resnet.pth"
    torch.save(tv, path)
    network = build_network(NetworkConfig.tiny(2))
    copied = load_torchvision_backbone(network, path)
    backbone = [k for k in network.state_dict() if is_backbone_key(k)]
    assert copied == len(backbone)
    for key in backbone:
        assert torch.equal(network.state_dict()[key], donor.state_dict()[key]), key
    assert "fc.weight" not in torchvision_to_authors(_as_torchvision(donor.state_dict()))


def test_wrong_shapes_are_named(tmp_path: Path) -> None:
    tv = _as_torchvision(build_network(NetworkConfig.tiny(2)).state_dict())
    tv["conv1.weight"] = torch.zeros(3, 3, 3, 3)
    path = tmp_path / "bad.pth"
    torch.save(tv, path)
    with pytest.raises(StateDictMismatchError, match=r"layer0\.0\.weight"):
        load_torchvision_backbone(build_network(NetworkConfig.tiny(2)), path)


def test_stage2_takes_exactly_the_backbone_of_stage1() -> None:
    stage1 = build_network(NetworkConfig.tiny(1))
    with torch.no_grad():
        for p in stage1.parameters():
            p.add_(1.0)
    source = stage1.state_dict()
    source["layer0.1.running_mean"] = torch.full_like(source["layer0.1.running_mean"], 0.25)
    stage2 = build_network(NetworkConfig.tiny(2))
    before = {k: v.clone() for k, v in stage2.state_dict().items()}
    copied = copy_backbone_from_stage1(stage2, source, "stage1")
    after = stage2.state_dict()
    assert copied == sum(1 for k in after if is_backbone_key(k))
    for key, value in after.items():
        if is_backbone_key(key):
            assert torch.equal(value, source[key]), key
        else:
            assert torch.equal(value, before[key]), key


def test_optimizer_groups_split_backbone_and_head() -> None:
    from meddisseg_core.train.setup import make_optimizer

    from .conftest import tiny_config

    network = build_network(NetworkConfig.tiny(2))
    optimizer = make_optimizer(network, tiny_config(optim={"lr_backbone": 1e-5, "lr_head": 1e-3}))
    backbone, head = optimizer.param_groups
    n_backbone = sum(
        1
        for k, v in network.state_dict(keep_vars=True).items()
        if is_backbone_key(k) and isinstance(v, torch.nn.Parameter)
    )
    assert (backbone["name"], backbone["lr"], len(backbone["params"])) == ("backbone", 1e-5, n_backbone)
    assert head["lr"] == 1e-3 and len(head["params"]) == len(list(network.parameters())) - n_backbone
