"""Non-finite outputs are caught before BCE: the step is skipped, reported, weights stay finite."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from meddisseg_core.train import EXIT_FAILED, TrainRequest, run_training
from meddisseg_core.train import setup as train_setup
from meddisseg_core.train.state import latest_weights_path

from .conftest import read_events, tiny_config


def _poison_calls(monkeypatch: pytest.MonkeyPatch, poisoned: set[int]) -> None:
    """Make the network's training forward return NaN masks on the given call numbers."""
    original = train_setup.initialise_network
    calls = {"n": 0}

    def hook(module: torch.nn.Module, inputs: object, output):
        if not module.training:
            return output
        calls["n"] += 1
        if calls["n"] in poisoned:
            return output._replace(mask=torch.full_like(output.mask, float("nan")))
        return output

    def patched(*args: object, **kwargs: object):
        network, info, warnings = original(*args, **kwargs)
        network.register_forward_hook(hook)
        return network, info, warnings

    monkeypatch.setattr(train_setup, "initialise_network", patched)


def test_nan_step_is_skipped_and_reported(small_dataset: Path, tmp_path: Path, monkeypatch) -> None:
    _poison_calls(monkeypatch, {2})
    out = tmp_path / "run"
    outcome = run_training(
        TrainRequest(small_dataset, out, tiny_config(epochs=1, batch_size=1), events=out / "e")
    )
    assert outcome.exit_code == 0
    events = read_events(out / "e")
    warnings = [e for e in events if e["type"] == "warning" and e["code"] == "nonfinite"]
    assert len(warnings) == 1
    assert next(e for e in events if e["type"] == "epoch_end")["skipped_steps"] == 1
    from safetensors.torch import load_file

    weights = load_file(str(latest_weights_path(out)))
    assert all(torch.isfinite(t).all() for t in weights.values() if t.is_floating_point())


def test_persistent_nan_fails_with_event(small_dataset: Path, tmp_path: Path, monkeypatch) -> None:
    _poison_calls(monkeypatch, set(range(1, 100)))
    out = tmp_path / "run"
    config = tiny_config(epochs=2, batch_size=1, nonfinite_patience=2, max_recoveries=1)
    outcome = run_training(TrainRequest(small_dataset, out, config, events=out / "e"))
    assert outcome.exit_code == EXIT_FAILED
    events = read_events(out / "e")
    assert any(e["type"] == "warning" and e["code"] == "recovered" for e in events)
    assert events[-1]["type"] == "failed" and "non-finite" in events[-1]["message"]


def test_nan_gradient_is_skipped_before_the_optimiser(
    small_dataset: Path, tmp_path: Path, monkeypatch
) -> None:
    original = train_setup.initialise_network

    def patched(*args: object, **kwargs: object):
        network, info, warnings = original(*args, **kwargs)
        calls = {"n": 0}

        def poison(grad: torch.Tensor) -> torch.Tensor:
            calls["n"] += 1
            return grad * float("nan") if calls["n"] == 1 else grad

        next(network.parameters()).register_hook(poison)
        return network, info, warnings

    monkeypatch.setattr(train_setup, "initialise_network", patched)
    out = tmp_path / "run"
    outcome = run_training(
        TrainRequest(small_dataset, out, tiny_config(epochs=1, batch_size=1), events=out / "e")
    )
    assert outcome.exit_code == 0
    events = read_events(out / "e")
    assert [e["step"] for e in events if e["type"] == "warning" and e["code"] == "nonfinite"] == [0]
    from safetensors.torch import load_file

    weights = load_file(str(latest_weights_path(out)))
    assert all(torch.isfinite(t).all() for t in weights.values() if t.is_floating_point())
