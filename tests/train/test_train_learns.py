"""A few CPU steps of the tiny network lower the training loss, for both stages."""

from __future__ import annotations

from pathlib import Path

import pytest

from meddisseg_core.train import TrainRequest, run_training

from .conftest import read_events, tiny_config


@pytest.mark.parametrize("stage", [pytest.param(1, marks=pytest.mark.slow), 2])
def test_loss_goes_down(small_dataset: Path, tmp_path: Path, stage: int) -> None:
    config = tiny_config(
        stage=stage, epochs=4, data={"augment": False}, optim={"lr_backbone": 3e-3, "lr_head": 3e-3}
    )
    out = tmp_path / "run"
    outcome = run_training(TrainRequest(small_dataset, out, config, events=out / "events.jsonl"))
    assert outcome.exit_code == 0, outcome.message
    epochs = [e for e in read_events(out / "events.jsonl") if e["type"] == "epoch_end"]
    key = "dicebce" if stage == 1 else "mask"
    first, last = epochs[0]["train"][key], epochs[-1]["train"][key]
    assert last < first, (first, last)
    assert (out / "model.safetensors").is_file()
