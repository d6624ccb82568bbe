"""train_scope "decoder": the encoder's weights and BatchNorm statistics stay exactly as loaded."""

from __future__ import annotations

from pathlib import Path

import torch
from safetensors.torch import load_file

from meddisseg_core.checkpoint import InputConvention, ModelMetadata, save_model
from meddisseg_core.nn import NetworkConfig, build_network
from meddisseg_core.train.backbone import is_backbone_key
from meddisseg_core.train.job import TrainRequest
from meddisseg_core.train.state import latest_weights_path
from meddisseg_core.train.trainer import run_training

from .conftest import tiny_config


def test_decoder_only_keeps_the_encoder(small_dataset: Path, tmp_path: Path) -> None:
    torch.manual_seed(1)
    base = build_network(NetworkConfig.tiny(2))
    init = tmp_path / "base.safetensors"
    save_model(init, base, ModelMetadata(network=base.config, input=InputConvention(size=(32, 32))))
    before = {k: v.clone() for k, v in base.state_dict().items()}

    config = tiny_config(train_scope="decoder", epochs=1, data={"augment": False})
    outcome = run_training(
        TrainRequest(small_dataset, tmp_path / "run", config, init_checkpoint=init, device="cpu")
    )
    assert outcome.status == "finished", outcome.message

    after = load_file(str(latest_weights_path(tmp_path / "run")))
    encoder = [k for k in before if is_backbone_key(k)]
    decoder = [k for k in before if not is_backbone_key(k) and before[k].is_floating_point()]
    assert any("running_mean" in k for k in encoder)  # BN statistics are part of the check
    for key in encoder:
        assert torch.equal(after[key], before[key]), key
    assert any(not torch.equal(after[k], before[k]) for k in decoder)
