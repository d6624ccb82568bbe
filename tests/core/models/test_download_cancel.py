"""Cancelling keeps the partial file; the next attempt resumes it with a Range request."""

from __future__ import annotations

import pytest
from model_helpers import authors_pth_bytes

from meddisseg_core.errors import CancelledError
from meddisseg_core.models.download import download, pull


def test_cancel_then_resume(server, registry, cache) -> None:
    payload = authors_pth_bytes(seed=6)
    server.behaviour.files["/checkpoint2.pth"] = payload
    url = server.url("/checkpoint2.pth")
    progress = []

    with pytest.raises(CancelledError):
        download(url, cache, progress=progress.append, should_cancel=lambda: len(progress) >= 2)

    part = cache / "checkpoint2.pth.part"
    kept = part.stat().st_size
    assert 0 < kept < len(payload)
    assert not (cache / "checkpoint2.pth").exists() and registry.records() == []

    result = pull(url, registry, folder=cache)
    assert registry.path_of(result.record).read_bytes() == payload
    assert server.behaviour.ranges[-1] == f"bytes={kept}-"
    assert list(cache.iterdir()) == []
