"""Stage 2 started from a stage-1 run's model: the backbone comes from stage 1 (authors' way)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from meddisseg_core.train import TrainRequest, run_training
from meddisseg_core.train.backbone import is_backbone_key
from meddisseg_core.train.setup import initialise_network, read_state_dict

from .conftest import read_events, tiny_config


@pytest.mark.slow
def test_stage2_init_from_stage1_model(small_dataset: Path, tmp_path: Path) -> None:
    stage1_out = tmp_path / "s1"
    assert (
        run_training(TrainRequest(small_dataset, stage1_out, tiny_config(stage=1, max_steps=1))).exit_code
        == 0
    )
    model1 = stage1_out / "model.safetensors"
    stage1_state, stage = read_state_dict(model1)
    assert stage == 1
    network, info, warnings = initialise_network(
        tiny_config(stage=2), init_checkpoint=model1, backbone_weights=None, download_backbone=False
    )
    assert info["backbone"] == "stage1" and not warnings
    for key, value in network.state_dict().items():
        if is_backbone_key(key):
            assert torch.equal(value, stage1_state[key]), key
    out = tmp_path / "s2"
    request = TrainRequest(
        small_dataset, out, tiny_config(stage=2, max_steps=1), init_checkpoint=model1, events=out / "e"
    )
    assert run_training(request).exit_code == 0
    assert read_events(out / "e")[0]["backbone_init"]["entries"] == info["entries"]
