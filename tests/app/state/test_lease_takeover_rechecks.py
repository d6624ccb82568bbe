"""Taking over replaces only the lease the user was asked about, and only if it is still silent.

Between the question and the answer the holder may beat again (it was alive after all), or
another copy may take the folder first: both refuse the takeover and name the holder now.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from meddisseg_studio.state import Project
from meddisseg_studio.state.errors import StateLeasedError
from meddisseg_studio.state.lease import LEASE_NAME, Holder


def _stale_foreign_lease(state: Path, token: str) -> None:
    state.mkdir(exist_ok=True)
    holder = Holder("someone", "other-host", 7, "1", "0.1.0", time.time() - 3600, token)
    path = state / LEASE_NAME
    path.write_bytes(holder.to_bytes())
    os.utime(path, (time.time() - 3600, time.time() - 3600))


def _asked_about(folder: Path, state: Path) -> Holder:
    with pytest.raises(StateLeasedError) as caught:
        Project.open(folder, state_dir=state)
    assert caught.value.stale_reason is not None and caught.value.holder is not None
    return caught.value.holder


def test_takeover_refused_when_the_holder_beats_or_changed(flat_folder: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    _stale_foreign_lease(state, "first")
    asked = _asked_about(flat_folder, state)
    os.utime(state / LEASE_NAME)  # its heartbeat, while the question was on screen
    with pytest.raises(StateLeasedError) as caught:
        Project.open(flat_folder, state_dir=state, take_over=asked)
    assert caught.value.stale_reason is None and "other-host" in str(caught.value)

    _stale_foreign_lease(state, "second")  # another copy's lease, stale too, but not the one asked about
    with pytest.raises(StateLeasedError):
        Project.open(flat_folder, state_dir=state, take_over=asked)
    assert Holder.read(state / LEASE_NAME).token == "second"  # left alone
