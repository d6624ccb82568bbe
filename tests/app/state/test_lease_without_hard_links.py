"""On a file system without hard links (FAT, some SMB servers) the lease is created with O_EXCL:
still one holder, and the second open is refused naming it."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from meddisseg_studio.state.errors import StateLeasedError
from meddisseg_studio.state.lease import LEASE_NAME, Holder, Lease


def test_lease_without_hard_links_is_still_exclusive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(src: object, dst: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    state = tmp_path / "state"
    state.mkdir()
    first = Lease.acquire(state)
    assert Holder.read(state / LEASE_NAME).token == first.holder.token
    with pytest.raises(StateLeasedError) as caught:
        Lease.acquire(state)
    assert caught.value.holder is not None and caught.value.holder.token == first.holder.token
    first.release()
    assert not (state / LEASE_NAME).exists()
    assert sorted(p.name for p in state.iterdir()) == []  # no temp file left behind
    Lease.acquire(state).release()
