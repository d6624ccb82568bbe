"""A lease naming a pid that now belongs to another process (another start time) is stale.

The pid is that of a live process, so "is it running?" alone would keep the lease forever.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from meddisseg_studio.state.lease import LEASE_NAME, Holder, process_start, stale_reason


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="process start times come from /proc")
def test_reused_pid_does_not_keep_a_lease_alive(tmp_path: Path) -> None:
    other = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        start = process_start(other.pid)
        assert start  # running, with a known start time
        mine = Holder.for_this_process()
        state = tmp_path / "state"
        state.mkdir()
        for claimed, stale in ((start, False), (str(int(start) - 1), True)):
            lease = Holder(
                user="someone",
                host=socket.gethostname(),
                pid=other.pid,
                process_start=claimed,
                app_version="0.1.0",
                started=time.time(),
                token="t",
                machine_id=mine.machine_id,
                boot_id=mine.boot_id,
            )
            (state / LEASE_NAME).write_bytes(lease.to_bytes())
            reason = stale_reason(Holder.read(state / LEASE_NAME), state)
            if stale:
                assert reason == f"process {other.pid} is now another program (its number was reused)"
            else:
                assert reason is None
    finally:
        assert other.stdin is not None
        other.stdin.close()
        other.wait(timeout=60)
    assert os.getpid() != other.pid
