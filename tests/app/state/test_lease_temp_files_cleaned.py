"""Temp files a crashed open left beside the database (lease, clock, probe) are removed once old;
a fresh one (another copy creating its own right now) is left alone."""

from __future__ import annotations

import os
import time
from pathlib import Path

from meddisseg_studio.state import Project


def test_old_lease_temp_files_go_fresh_ones_stay(flat_folder: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    old = [state / ".writer.lease.0123abcd.tmp", state / ".clock-00aa11bb22cc.tmp", state / ".probe-x1.tmp"]
    for path in old:
        path.write_bytes(b"{")
        os.utime(path, (time.time() - 7200, time.time() - 7200))
    fresh = state / ".writer.lease.fedc9876.tmp"
    fresh.write_bytes(b"{")
    project = Project.open(flat_folder, state_dir=state)
    project.close()
    assert [path.exists() for path in old] == [False, False, False]
    assert fresh.exists()
