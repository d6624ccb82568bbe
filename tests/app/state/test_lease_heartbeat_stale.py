"""A lease from another computer whose heartbeat is older than the limit is stale and can be taken over.

"Older" is measured by the state folder's own clock (a file created there now), not by comparing
two computers' clocks. A fresh heartbeat from that computer is respected.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from meddisseg_studio.state import Project
from meddisseg_studio.state.errors import StateLeasedError
from meddisseg_studio.state.lease import LEASE_NAME, STALE_AFTER_S, Holder


def _foreign_lease(state: Path, age_s: float) -> None:
    state.mkdir(exist_ok=True)
    holder = Holder(
        user="Dr A. Smith",
        host="reading-room-2",
        pid=4242,
        process_start="123",
        app_version="0.1.0",
        started=time.time() - age_s,
        token="foreign",
    )
    path = state / LEASE_NAME
    path.write_bytes(holder.to_bytes())
    beat = time.time() - age_s
    os.utime(path, (beat, beat))


def test_old_heartbeat_from_another_host_is_taken_over(flat_folder: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    _foreign_lease(state, age_s=STALE_AFTER_S / 4)
    with pytest.raises(StateLeasedError) as fresh:
        Project.open(flat_folder, state_dir=state)
    assert fresh.value.stale_reason is None  # alive on its computer: no takeover offered
    assert "Dr A. Smith on reading-room-2" in str(fresh.value)

    _foreign_lease(state, age_s=10 * 60)
    with pytest.raises(StateLeasedError) as old:
        Project.open(flat_folder, state_dir=state)
    error = old.value
    assert error.stale_reason == "no sign of life for 10 min"
    assert error.holder is not None and error.holder.host == "reading-room-2"

    project = Project.open(flat_folder, state_dir=state, take_over=error.holder)  # after the question
    assert json.loads((state / LEASE_NAME).read_text())["token"] == project.lease.holder.token
    project.close()
