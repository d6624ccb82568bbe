"""The holder's heartbeat keeps its lease fresh; a holder whose lease was taken over notices and
stops, and never deletes the new holder's lease."""

from __future__ import annotations

import os
import time
from pathlib import Path

from meddisseg_studio.state.lease import LEASE_NAME, Holder, Lease, stale_reason


def test_heartbeat_refreshes_and_a_lost_lease_is_left_alone(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    lease = Lease.acquire(state, heartbeat_s=0.02)
    path = state / LEASE_NAME
    old = time.time() - 3600
    os.utime(path, (old, old))
    assert stale_reason(Holder.read(path), state, stale_after_s=60) is not None
    lease.beaten.clear()
    assert lease.beaten.wait(timeout=30)
    assert stale_reason(Holder.read(path), state, stale_after_s=60) is None  # fresh again

    # Another copy took the folder over (the lease was judged stale, e.g. across a network split).
    other = Holder("someone", "other-host", 7, "1", "0.1.0", time.time(), "theirs")
    path.write_bytes(other.to_bytes())
    assert not lease.beat()
    assert lease.lost is not None and "someone on other-host" in lease.lost
    lease.release()
    assert Holder.read(path).token == "theirs"  # not ours to delete
