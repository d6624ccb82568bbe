"""The job spec gives one command line: python -m meddisseg_core train, or torchrun with N GPUs."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from model_helpers import SPEC

from meddisseg_core.errors import ConfigError
from meddisseg_core.models.jobspec import network_kind
from meddisseg_core.nn import NetworkConfig


def test_single_process_and_torchrun_commands(tmp_path: Path) -> None:
    one = SPEC.command(tmp_path, python="py")
    assert one[:4] == ["py", "-m", "meddisseg_core", "train"]
    assert one[one.index("--init") + 1] == str(tmp_path / "base.pth")
    assert one[one.index("--out") + 1] == str(tmp_path / "run")
    four = dataclasses.replace(SPEC, nproc_per_node=4, device="cuda").command(tmp_path, python="py")
    assert four[:7] == [
        "py",
        "-m",
        "torch.distributed.run",
        "--standalone",
        "--nproc_per_node=4",
        "-m",
        "meddisseg_core",
    ]
    assert four[7:] == one[3:]
    assert SPEC.train_config()["train_scope"] == "decoder"


def test_spec_refuses_training_on_held_out_images() -> None:
    with pytest.raises(ConfigError, match="held-out"):
        dataclasses.replace(SPEC, held_out_images=("a.jpg",))


def test_network_kind_of_models() -> None:
    assert network_kind(NetworkConfig.paper(2)) == "paper"
    assert network_kind(dataclasses.replace(NetworkConfig.tiny(1), attention_heads=4)) == "tiny"
    with pytest.raises(ConfigError, match="paper and tiny"):
        network_kind(NetworkConfig(stage=2, decoder_channels=64))


def test_several_processes_need_unindexed_cuda() -> None:
    with pytest.raises(ConfigError, match="each rank takes its own GPU"):
        dataclasses.replace(SPEC, nproc_per_node=2, device="cuda:0")
