"""Two-process DDP on CPU (gloo): ranks end with identical weights; only rank 0 writes events."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import read_events


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ddp_command(data: Path, out: Path, stage: int) -> list[str]:
    # 127.0.0.1, never a name: ``--standalone`` rendezvouses at "localhost", which a minimal system
    # without /etc/hosts cannot resolve (the test then waited 60 s and failed).
    return [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--nproc_per_node",
        "2",
        "--nnodes",
        "1",
        "--master_addr",
        "127.0.0.1",
        "--master_port",
        str(_free_port()),
        "-m",
        "tests.train.ddp_worker",
        str(data),
        str(out),
        str(stage),
    ]


def test_the_command_names_no_host() -> None:
    command = ddp_command(Path("d"), Path("o"), 1)
    assert "--standalone" not in command and "localhost" not in " ".join(command)
    assert command[command.index("--master_addr") + 1] == "127.0.0.1"


@pytest.mark.slow
@pytest.mark.parametrize("stage", [1, 2])
def test_two_ranks_agree_on_the_weights(small_dataset: Path, tmp_path: Path, stage: int) -> None:
    out = tmp_path / "run"
    out.mkdir()
    env = {
        **os.environ,
        "OMP_NUM_THREADS": "1",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        # gloo picks its interface from the host name; the loopback needs no name lookup.
        "GLOO_SOCKET_IFNAME": "lo",
    }
    cmd = ddp_command(small_dataset, out, stage)
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
