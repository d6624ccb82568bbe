"""Resume continues where the run stopped: same counters, and the same weights as an unbroken run."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from meddisseg_core.train import TrainRequest, run_training
from meddisseg_core.train.state import latest_weights_path, load_latest

from .conftest import read_events, tiny_config


@pytest.mark.slow
def test_resumed_run_equals_unbroken_run(small_dataset: Path, tmp_path: Path) -> None:
    # No augmentation: the remaining randomness is all in the saved state, so the runs must agree.
    two = tiny_config(epochs=2, data={"augment": False})
    one = tiny_config(epochs=1, data={"augment": False})
    unbroken, broken = tmp_path / "unbroken", tmp_path / "broken"
    assert run_training(TrainRequest(small_dataset, unbroken, two)).exit_code == 0
    assert run_training(TrainRequest(small_dataset, broken, one)).exit_code == 0
    _, payload = load_latest(broken)
    assert payload["progress"]["epoch"] == 1
    steps_after_one = payload["progress"]["step"]
    events = broken / "events.jsonl"
    outcome = run_training(TrainRequest(small_dataset, broken, two, resume=True, events=events))
    assert outcome.exit_code == 0
    started = read_events(events)[0]
    assert started["resumed_from"] == {"epoch": 1, "step": steps_after_one}
    _, resumed = load_latest(broken)
    _, reference = load_latest(unbroken)
    assert resumed["progress"]["epoch"] == reference["progress"]["epoch"] == 2
    assert resumed["progress"]["step"] == reference["progress"]["step"]
    a = load_file(str(latest_weights_path(unbroken)))
    b = load_file(str(latest_weights_path(broken)))
    assert a.keys() == b.keys()
    for key in a:
        assert torch.equal(a[key], b[key]), key
