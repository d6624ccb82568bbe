"""A lease file that cannot be read (a holder still writing it where links fail, or damage) counts
as held while fresh, and is judged stale by its age alone."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from meddisseg_studio.state import Project
from meddisseg_studio.state.errors import StateLeasedError
from meddisseg_studio.state.lease import LEASE_NAME, Holder


def test_unreadable_lease_is_judged_by_its_age(flat_folder: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    path = state / LEASE_NAME
    path.write_bytes(b"")  # created with O_EXCL, content not written yet
    with pytest.raises(StateLeasedError) as fresh:
        Project.open(flat_folder, state_dir=state)
    assert fresh.value.stale_reason is None and "cannot be read" in str(fresh.value)

    os.utime(path, (time.time() - 3600, time.time() - 3600))
    with pytest.raises(StateLeasedError) as old:
        Project.open(flat_folder, state_dir=state)
    assert old.value.stale_reason == "no sign of life for 60 min"
    project = Project.open(flat_folder, state_dir=state, take_over=old.value.holder)
    assert not Holder.read(path).unreadable
    project.close()
