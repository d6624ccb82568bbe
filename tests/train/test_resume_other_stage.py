"""``--resume`` on a run folder of another stage: exit 2 and one line naming both stages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from meddisseg_core.cli.main import main
from meddisseg_core.train import TrainRequest, run_training

from .conftest import read_events, tiny_config


@pytest.mark.slow
def test_resume_with_another_stage_exits_2_in_one_line(
    small_dataset: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    assert run_training(TrainRequest(small_dataset, out, tiny_config(stage=2, max_steps=1))).exit_code == 0
    config = tmp_path / "tiny.json"
    config.write_text(json.dumps({"network": "tiny", "progress": False, "data": {"image_size": 32}}))
    capsys.readouterr()
    code = main(
        [
            "train",
            "--data",
            str(small_dataset),
            "--stage",
            "1",
            "--out",
            str(out),
            "--config",
            str(config),
            "--resume",
            "--events",
            str(tmp_path / "events.jsonl"),
        ]
    )
    assert code == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if "error" in line]
    assert len(errors) == 1
    assert "stage-2 run" in errors[0] and "stage 1" in errors[0] and len(errors[0]) < 300
    failed = read_events(tmp_path / "events.jsonl")[-1]
    assert failed["type"] == "failed" and failed["error"] == "ConfigError"
