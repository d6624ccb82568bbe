"""A second copy (a real process) opening a folder for writing is refused and told who holds it.

It can still look read-only, and once the holder closes, the folder opens for writing.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from meddisseg_studio.state import Project, StateLockedError
from meddisseg_studio.state.errors import StateLeasedError
from meddisseg_studio.state.lease import LEASE_NAME, current_user


def test_second_writer_is_refused_and_names_the_holder(
    flat_folder: Path, tmp_path: Path, lease_child
) -> None:
    state = tmp_path / "state"
    holder = lease_child(flat_folder, state)
    assert holder.ask("open") == {"opened": True}
    lease = json.loads((state / LEASE_NAME).read_text())
    assert (lease["pid"], lease["user"], lease["host"]) == (holder.pid, current_user(), socket.gethostname())

    with pytest.raises(StateLeasedError) as caught:
        Project.open(flat_folder, state_dir=state)
    error = caught.value
    assert isinstance(error, StateLockedError)  # the app's "open read-only" offer applies
    assert error.stale_reason is None and error.holder is not None
    assert error.holder.pid == holder.pid
    text = str(error)
    assert current_user() in text and socket.gethostname() in text and f"process {holder.pid}" in text
    assert "since" in text and "read-only" in text

    looking = Project.open(flat_folder, state_dir=state, read_only=True)
    assert looking.read_only and looking.lease is None
    looking.close()
    assert json.loads((state / LEASE_NAME).read_text())["pid"] == holder.pid  # untouched

    assert holder.ask("close") == {"closed": True}
    assert not (state / LEASE_NAME).exists()
    project = Project.open(flat_folder, state_dir=state)
    assert not project.read_only and project.lease is not None
    project.close()
