"""A folder whose holder was killed (SIGKILL, a real process) is taken over after the question."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

CHILD = Path(__file__).parents[1] / "state" / "lease_child.py"


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_killed_holder_is_taken_over_after_asking(qtbot, window, image_folder: Path, dialogs) -> None:
    from meddisseg_studio.state.lease import LEASE_NAME
    from meddisseg_studio.state.project import STATE_DIR_NAME

    state = image_folder / STATE_DIR_NAME
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(image_folder), str(state)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdin is not None
        pid = json.loads(child.stdout.readline())["pid"]
        child.stdin.write("open\n")
        child.stdin.flush()
        assert json.loads(child.stdout.readline()) == {"opened": True}
    finally:
        child.kill()  # SIGKILL: no chance to let go of the lease
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL

    dialogs.confirmations.append(True)  # "Take over"
    window.open_folder(image_folder)
    asked = dialogs.asked[-1]
    assert asked.startswith("Take over the folder?")
    assert f"process {pid} is no longer running" in asked and "seems to have stopped" in asked
    project = window.workspace.project
    assert project is not None and not project.read_only
    assert json.loads((state / LEASE_NAME).read_text())["pid"] == os.getpid()
    assert dialogs.errors == []
