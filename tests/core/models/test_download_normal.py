"""A normal download: progress is reported, the model is registered, nothing is left in the cache."""

from __future__ import annotations

import hashlib

from model_helpers import authors_pth_bytes

from meddisseg_core.models.download import pull


def test_download_registers_the_checkpoint(server, registry, cache) -> None:
    payload = authors_pth_bytes(stage=2, seed=1)
    server.behaviour.files["/v1/checkpoint2.pth"] = payload
    seen = []
    result = pull(server.url("/v1/checkpoint2.pth"), registry, folder=cache, progress=seen.append)

    record = result.record
    assert result.warning is None
    assert record.source == "downloaded" and record.url == server.url("/v1/checkpoint2.pth")
    assert record.sha256 == hashlib.sha256(payload).hexdigest()
    assert registry.path_of(record).read_bytes() == payload
    assert record.network.stage == 2
    assert seen[-1].done == len(payload) and seen[-1].total == len(payload)
    assert all(p.bytes_per_s > 0 for p in seen)
    assert list(cache.iterdir()) == []  # no .part, no copy: the registry holds the file
    assert registry.first_download_sha(record.url) == record.sha256
