"""The lease is per open, not per process: a second writable open in the same program is refused too.

It names this program; a read-only second open works, and the folder is free again once the
first open is closed (or dropped: a project nobody can reach any more lets go).
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from meddisseg_studio.state import Project
from meddisseg_studio.state.errors import StateLeasedError
from meddisseg_studio.state.lease import LEASE_NAME


def test_second_open_in_this_program_is_refused(flat_folder: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    first = Project.open(flat_folder, state_dir=state)
    with pytest.raises(StateLeasedError) as caught:
        Project.open(flat_folder, state_dir=state)
    assert caught.value.stale_reason is None  # alive: no takeover offered
    assert "already open for writing in this program" in str(caught.value)
    second = Project.open(flat_folder, state_dir=state, read_only=True)
    assert second.read_only
    second.close()
    first.close()
    again = Project.open(flat_folder, state_dir=state)
    del again
    gc.collect()
    assert not (state / LEASE_NAME).exists()
    Project.open(flat_folder, state_dir=state).close()
