"""Stopping a job ends its whole process tree, grandchildren included."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from meddisseg_core.train.client import TrainingProcess

# A stand-in "trainer" that starts a grandchild (as DataLoader workers would) and never finishes.
_FAKE_TRAINER = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
open(sys.argv[1], "w").write(str(child.pid))
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie waiting for its reaper is dead


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_kill_tree_ends_grandchildren(tmp_path: Path) -> None:
    script = tmp_path / "fake_trainer.py"
    script.write_text(_FAKE_TRAINER)
    pid_file = tmp_path / "grandchild.pid"
    job = TrainingProcess([], tmp_path / "run")
    job.command = [sys.executable, str(script), str(pid_file)]  # same launch path, fake program
    job.start()
    while not (pid_file.is_file() and pid_file.read_text()):
        assert job.returncode is None
        with contextlib.suppress(subprocess.TimeoutExpired):
            job.wait(timeout=0.05)
    grandchild = int(pid_file.read_text())
    assert _alive(grandchild)
    code = job.kill_tree(grace_s=5)
    assert code != 0
    # The group got SIGTERM: the grandchild is gone too, not orphaned.
    for _ in range(1000):
        if not _alive(grandchild):
            break
        os.sched_yield()
    assert not _alive(grandchild)
