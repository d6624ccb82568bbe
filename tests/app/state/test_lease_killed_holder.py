"""A holder killed with SIGKILL (same computer, its pid gone) is seen as stopped and can be taken over."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from meddisseg_studio.state import Project
from meddisseg_studio.state.errors import StateLeasedError
from meddisseg_studio.state.lease import LEASE_NAME, PREVIOUS_NAME


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_killed_holder_is_stale_and_taken_over(flat_folder: Path, tmp_path: Path, lease_child) -> None:
    state = tmp_path / "state"
    holder = lease_child(flat_folder, state)
    assert holder.ask("open") == {"opened": True}
    os.kill(holder.pid, signal.SIGKILL)
    holder.process.wait(timeout=60)
    assert (state / LEASE_NAME).exists()  # nobody let go of it

    with pytest.raises(StateLeasedError) as caught:
        Project.open(flat_folder, state_dir=state)
    error = caught.value
    assert error.stale_reason == f"process {holder.pid} is no longer running"
    assert error.holder is not None and error.holder.pid == holder.pid
    assert "seems to have stopped" in str(error)

    project = Project.open(flat_folder, state_dir=state, take_over=error.holder)  # "Take over"
    assert not project.read_only
    assert json.loads((state / LEASE_NAME).read_text())["pid"] == os.getpid()
    assert json.loads((state / PREVIOUS_NAME).read_text())["pid"] == holder.pid  # kept for the record
    project.set_status("a.png", "approved")
    project.close()
