"""A forked child process that exits normally never lets go of its parent's lease.

It inherits the parent's lease objects (and their exit hooks); deleting the file there would free
the folder while the parent still writes to it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from meddisseg_studio.state import lease as lease_module
from meddisseg_studio.state.lease import LEASE_NAME, Lease


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_forked_child_keeps_the_parents_lease(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    lease = Lease.acquire(state)
    pid = os.fork()
    if pid == 0:  # the child: what its exit hooks would do
        try:
            lease_module._release_all()
            lease.release()
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert (state / LEASE_NAME).exists() and lease.beat()
    lease.release()
    assert not (state / LEASE_NAME).exists()
