"""The lease is let go on close, and at the end of a process that never closed its project; a
read-only open takes none."""

from __future__ import annotations

from pathlib import Path

from meddisseg_studio.state import Project
from meddisseg_studio.state.lease import LEASE_NAME


def test_lease_goes_on_close_and_at_exit(flat_folder: Path, tmp_path: Path, lease_child) -> None:
    state = tmp_path / "state"
    looking = Project.open(flat_folder, state_dir=state, read_only=True)
    assert looking.lease is None and not (state / LEASE_NAME).exists()
    looking.close()

    project = Project.open(flat_folder, state_dir=state)
    assert (state / LEASE_NAME).exists()
    project.close()
    assert not (state / LEASE_NAME).exists()

    child = lease_child(flat_folder, state)
    assert child.ask("open") == {"opened": True}
    assert (state / LEASE_NAME).exists()
    child.send("exit")  # ends without closing the project
    assert child.process.wait(timeout=60) == 0
    assert not (state / LEASE_NAME).exists()
