"""A dropped connection is resumed with an HTTP Range request; the result is byte-identical."""

from __future__ import annotations

from model_helpers import authors_pth_bytes

from meddisseg_core.models.download import download


def test_dropped_connection_is_resumed(server, cache) -> None:
    payload = authors_pth_bytes(seed=4)
    assert len(payload) > 3 * 65536
    server.behaviour.files["/checkpoint2.pth"] = payload
    server.behaviour.drop_after = 100_000  # the first response breaks off mid-file

    path = download(server.url("/checkpoint2.pth"), cache)

    assert path.read_bytes() == payload
    assert server.behaviour.ranges[0] is None
    assert server.behaviour.ranges[1] == "bytes=100000-"  # resumed, not restarted
    assert sorted(p.name for p in cache.iterdir()) == ["checkpoint2.pth"]
