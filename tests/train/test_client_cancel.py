"""A training job run as a separate process: events stream in, a cancel request ends it cleanly."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from pathlib import Path

import pytest

from meddisseg_core.train.client import TrainingProcess
from meddisseg_core.train.state import latest_weights_path


@pytest.mark.slow
def test_subprocess_job_streams_events_and_cancels(small_dataset: Path, tmp_path: Path) -> None:
    config = tmp_path / "tiny.json"
    config.write_text(json.dumps({"network": "tiny", "progress": False, "data": {"image_size": 32}}))
    job = TrainingProcess(
        [
            "--data",
            str(small_dataset),
            "--stage",
            "1",
            "--config",
            str(config),
            "--epochs",
            "500",
            "--batch-size",
            "1",
        ],
        tmp_path / "run",
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    job.start()
    # Follow the stream until training is under way (an epoch ended), then ask it to stop.
    while not any(e["type"] == "epoch_end" for e in job.events):
        assert job.returncode is None, (tmp_path / "run" / "train.log").read_text()[-2000:]
        with contextlib.suppress(subprocess.TimeoutExpired):
            job.wait(timeout=0.2)  # block on the process, not a sleep: returns early if it dies
        job.poll()
    job.cancel()
    assert job.wait(timeout=120) == 4  # EXIT_CANCELLED
    assert job.events[0]["type"] == "started" and all(e["v"] == 1 for e in job.events)
    assert job.terminal_event is not None and job.terminal_event["type"] == "cancelled"
    assert Path(job.terminal_event["latest"]) == latest_weights_path(tmp_path / "run")
    assert latest_weights_path(tmp_path / "run").is_file()
