"""A cancel file stops the run within one batch, leaves a loadable latest checkpoint, exit code 4."""

from __future__ import annotations

from pathlib import Path

import pytest

from meddisseg_core.train import EXIT_CANCELLED, Trainer, TrainRequest, run_training
from meddisseg_core.train.state import load_latest

from .conftest import read_events, tiny_config


@pytest.mark.slow
def test_cancel_file_stops_within_one_batch_and_resumes(
    small_dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, cancel = tmp_path / "run", tmp_path / "cancel.flag"
    original = Trainer._train_step

    def step_then_request_cancel(self: Trainer, *args: object):
        result = original(self, *args)
        cancel.touch()  # requested during batch 1: batch 2 must not run
        return result

    monkeypatch.setattr(Trainer, "_train_step", step_then_request_cancel)
    config = tiny_config(epochs=3, batch_size=1, data={"augment": False})
    request = TrainRequest(small_dataset, out, config, events=out / "events.jsonl", cancel_file=cancel)
    outcome = run_training(request)
    assert outcome.exit_code == EXIT_CANCELLED == 4
    events = read_events(out / "events.jsonl")
    assert events[-1]["type"] == "cancelled"
    assert events[-1]["step"] == 1 and events[-1]["batches_in_epoch"] == 1
    weights, payload = load_latest(out)  # valid and consistent
    assert payload["progress"]["step"] == 1 and weights

    monkeypatch.setattr(Trainer, "_train_step", original)
    cancel.unlink()
    resumed = run_training(
        TrainRequest(
            small_dataset, out, tiny_config(epochs=1, batch_size=1, data={"augment": False}), resume=True
        )
    )
    assert resumed.exit_code == 0
    _, after = load_latest(out)
    # Epoch 1 continued after its first batch: 4 training images at batch size 1 -> 4 steps in all.
    assert after["progress"]["step"] == 4 and after["progress"]["epoch"] == 1
