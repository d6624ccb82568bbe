"""A link() whose reply was lost (NFS: the retry answers "exists" though the first try made it)
still counts as ours: the temp file's link count says so, as open(2) recommends."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from meddisseg_studio.state.lease import LEASE_NAME, Holder, Lease


def test_link_that_worked_but_said_exists_is_ours(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_link = os.link

    def lost_reply(src: str, dst: str) -> None:
        real_link(src, dst)  # the server made the link, then the reply was lost
        raise FileExistsError(17, "File exists", dst)

    monkeypatch.setattr(os, "link", lost_reply)
    state = tmp_path / "state"
    state.mkdir()
    lease = Lease.acquire(state)
    assert Holder.read(state / LEASE_NAME).token == lease.holder.token
    lease.release()
    assert not (state / LEASE_NAME).exists()
