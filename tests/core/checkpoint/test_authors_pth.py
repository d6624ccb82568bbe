"""The authors' torch.save formats load: plain, wrapped, 'module.'-prefixed; stage and size detected."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import torch

from meddisseg_core.checkpoint import InputConvention, load_model
from meddisseg_core.nn import NetworkConfig, build_network


def _wrap(state: dict, how: str) -> object:
    if how == "state_dict":
        return {"state_dict": state, "epoch": 3}
    if how == "model":
        return {"model": state, "optimizer_name": "adam"}
    if how == "module":
        return {f"module.{k}": v for k, v in state.items()}
    return state


@pytest.mark.parametrize("stage", [1, 2])
@pytest.mark.parametrize("how", ["plain", "state_dict", "model", "module"])
def test_authors_variants(perturbed, tmp_path: Path, stage: int, how: str) -> None:
    net = perturbed(stage, seed=stage)
    path = tmp_path / "checkpoint.pth"
    torch.save(_wrap(net.state_dict(), how), path)
    loaded = load_model(path)
    assert loaded.format == "pth"
    expected = NetworkConfig.tiny(stage)
    if stage == 1:  # stage 1 has no attention heads: the file cannot tell, the paper value is used
        expected = dataclasses.replace(expected, attention_heads=4)
    assert loaded.network.config == expected
    assert loaded.metadata.input == InputConvention()  # authors' BGR / 256 / 1/255 convention
    for key, value in net.state_dict().items():
        assert torch.equal(loaded.network.state_dict()[key], value), key


def test_paper_stage1_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "checkpoint1.pth"
    torch.save(build_network(NetworkConfig.paper(1)).state_dict(), path)
    loaded = load_model(path)
    assert loaded.network.config == NetworkConfig.paper(1)
