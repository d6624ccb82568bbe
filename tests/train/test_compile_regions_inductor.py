"""The regions go through inductor itself (the GPU's compiler, here with its C++ code generator):
lowering, symbolic sizes and the probe at both training sizes work, and the run finishes fused."""

from __future__ import annotations

import shutil
import sysconfig
from pathlib import Path

import pytest

from meddisseg_core.train import TrainRequest, run_training

from .conftest import read_events, tiny_config

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        (shutil.which("c++") is None and shutil.which("g++") is None)
        or not (Path(sysconfig.get_paths()["include"]) / "Python.h").is_file(),
        reason="inductor's CPU code generator needs a C++ compiler and Python.h",
    ),
]


def test_inductor_regions_compile_once_and_train(small_dataset: Path, tmp_path: Path) -> None:
    config = tiny_config(
        compile_regions="inductor",
        max_steps=3,
        epochs=3,
        logit_losses=True,
        time_budget={"seconds": 600.0, "low_res_size": 16, "low_res_fraction": 0.5},
    )
    out = tmp_path / "run"
    outcome = run_training(TrainRequest(small_dataset, out, config, events=out / "events.jsonl"))
    assert outcome.exit_code == 0, outcome.message
    events = read_events(out / "events.jsonl")
    regions = next(e for e in events if e["type"] == "started")["compile_regions"]
    assert regions["backend"] == "inductor" and regions["error"] is None, regions
    assert not [e for e in events if e["type"] == "warning" and e["code"] == "compile"]
    end = events[-1]
    assert end["type"] == "finished" and (end["reason"], end["steps"]) == ("max_steps", 3), end
