"""SIGTERM cancels like the cancel file; OOM fails with advice; an offline backbone download warns."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
import torch

from meddisseg_core.errors import CheckpointError
from meddisseg_core.train import EXIT_CANCELLED, EXIT_FAILED, Trainer, TrainRequest, run_training
from meddisseg_core.train import setup as train_setup

from .conftest import read_events, tiny_config


def test_sigterm_cancels_resumably(small_dataset: Path, tmp_path: Path, monkeypatch) -> None:
    original = Trainer._train_step

    def step_then_sigterm(self: Trainer, *args: object):
        result = original(self, *args)
        os.kill(os.getpid(), signal.SIGTERM)  # handled by the trainer: sets the stop flag
        return result

    def embedding_app_handler(signum: int, frame: object) -> None:  # what the caller had installed
        raise AssertionError("the trainer's own handler must take SIGTERM during the run")

    monkeypatch.setattr(Trainer, "_train_step", step_then_sigterm)
    out = tmp_path / "run"
    previous = signal.signal(signal.SIGTERM, embedding_app_handler)
    try:
        outcome = run_training(
            TrainRequest(small_dataset, out, tiny_config(epochs=2, batch_size=1), events=out / "e")
        )
        # The caller's handler is back in place after the run, not the trainer's, not the default.
        assert signal.getsignal(signal.SIGTERM) is embedding_app_handler
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert outcome.exit_code == EXIT_CANCELLED
    assert read_events(out / "e")[-1]["type"] == "cancelled"


def test_out_of_memory_fails_with_advice(small_dataset: Path, tmp_path: Path, monkeypatch) -> None:
    def oom(self: Trainer, *args: object):
        raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")

    monkeypatch.setattr(Trainer, "_train_step", oom)
    out = tmp_path / "run"
    outcome = run_training(TrainRequest(small_dataset, out, tiny_config(), events=out / "e"))
    assert outcome.exit_code == EXIT_FAILED
    failed = read_events(out / "e")[-1]
    assert failed["type"] == "failed" and failed["error"] == "out_of_memory"
    assert "--batch-size" in failed["advice"]


def test_offline_download_falls_back_to_scratch_with_warning(
    small_dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def offline(*args: object, **kwargs: object):
        raise CheckpointError("cannot download https://download.pytorch.org/...: offline")

    monkeypatch.setattr(train_setup, "download_resnet50", offline)
    out = tmp_path / "run"
    request = TrainRequest(
        small_dataset, out, tiny_config(max_steps=1), download_backbone=True, events=out / "e"
    )
    assert run_training(request).exit_code == 0
    events = read_events(out / "e")
    assert events[0]["backbone_init"]["backbone"] == "scratch"
    warning = next(e for e in events if e["type"] == "warning")
    assert warning["code"] == "backbone" and "offline" in warning["message"]
