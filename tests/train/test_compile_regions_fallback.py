"""When the regions fail to compile, the run trains in eager mode, warns, and the probe left no trace."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from meddisseg_core.checkpoint import load_model
from meddisseg_core.nn import regions
from meddisseg_core.train import TrainRequest, run_training

from .conftest import read_events, tiny_config


def _broken_compiler(name: str, backend: str):
    def fail(*args: object, **kwargs: object) -> torch.Tensor:
        raise RuntimeError(f"no compiler for {name} on {backend} here")

    return fail


def _train(data: Path, out: Path, regions_setting: str) -> list[dict]:
    config = tiny_config(compile_regions=regions_setting, max_steps=2, data={"augment": False})
    outcome = run_training(TrainRequest(data, out, config, events=out / "events.jsonl"))
    assert outcome.exit_code == 0, outcome.message
    return read_events(out / "events.jsonl")


def test_failed_compile_trains_eagerly_with_a_warning(
    small_dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    eager = _train(small_dataset, tmp_path / "eager", "off")
    monkeypatch.setattr(regions, "compiled", _broken_compiler)
    events = _train(small_dataset, tmp_path / "fallback", "inductor")
    started = next(e for e in events if e["type"] == "started")
    assert started["compile_regions"]["backend"] is None
    assert "no compiler for" in started["compile_regions"]["error"]
    warning = next(e for e in events if e["type"] == "warning" and e["code"] == "compile")
    assert "training in eager mode" in warning["message"]
    assert eager[0]["compile_regions"] == {"backend": None, "modules": 0, "compile_s": 0.0, "error": None}
    # The probe step's BatchNorm updates and gradients were undone: same weights as the eager run.
    a = load_model(tmp_path / "eager" / "model.safetensors").network.state_dict()
    b = load_model(tmp_path / "fallback" / "model.safetensors").network.state_dict()
    assert a.keys() == b.keys()
    for key in a:
        assert torch.equal(a[key], b[key]), key
