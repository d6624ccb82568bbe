"""Two-process DDP on CPU (gloo): ranks end with identical weights; only rank 0 writes events."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import read_events


@pytest.mark.slow
@pytest.mark.parametrize("stage", [1, 2])
def test_two_ranks_agree_on_the_weights(small_dataset: Path, tmp_path: Path, stage: int) -> None:
    out = tmp_path / "run"
    out.mkdir()
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    cmd = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--nproc_per_node",
        "2",
        "--standalone",
        "-m",
        "tests.train.ddp_worker",
        str(small_dataset),
        str(out),
        str(stage),
    ]
    result = subprocess.run(
        cmd, env=env, capture_output=True, text=True, timeout=300, cwd=Path(__file__).resolve().parents[2]
    )
    assert result.returncode == 0, result.stderr[-3000:]
    rank0 = (out / "rank0.sha256").read_text()
    rank1 = (out / "rank1.sha256").read_text()
    assert rank0 == rank1
    assert rank0.split()[1] == "2"  # both took the two steps
    events = read_events(out / "events.jsonl")
    assert sum(e["type"] == "started" for e in events) == 1  # rank 1 wrote nothing
    assert events[0]["world_size"] == 2 and events[-1]["type"] == "finished"
