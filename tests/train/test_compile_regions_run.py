"""A run with ``compile_regions`` trains through the compiled regions and says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from meddisseg_core.train import TrainRequest, run_training

from .conftest import read_events, tiny_config


@pytest.mark.slow
def test_run_with_traced_regions_finishes_and_reports_them(small_dataset: Path, tmp_path: Path) -> None:
    config = tiny_config(compile_regions="aot_eager", max_steps=2, logit_losses=True)
    out = tmp_path / "run"
    outcome = run_training(TrainRequest(small_dataset, out, config, events=out / "events.jsonl"))
    assert outcome.exit_code == 0, outcome.message
    events = read_events(out / "events.jsonl")
    started = next(e for e in events if e["type"] == "started")
    assert started["compile_regions"]["backend"] == "aot_eager"
    assert started["compile_regions"]["modules"] > 0
    assert started["compile_regions"]["error"] is None
    assert not [e for e in events if e["type"] == "warning" and e["code"] == "compile"]
    assert events[-1]["type"] == "finished"
