"""The URL has no published hash: the first good download's sha256 is kept, a different later one warns."""

from __future__ import annotations

from model_helpers import authors_pth_bytes

from meddisseg_core.models.download import pull


def test_a_changed_file_at_the_same_url_warns(server, registry, cache) -> None:
    url = server.url("/checkpoint2.pth")
    server.behaviour.files["/checkpoint2.pth"] = authors_pth_bytes(seed=1)
    first = pull(url, registry, folder=cache)
    assert pull(url, registry, folder=cache) == (first.record, None)  # same file: same record, quiet

    server.behaviour.files["/checkpoint2.pth"] = authors_pth_bytes(seed=2)
    second = pull(url, registry, folder=cache)
    assert second.warning is not None and "different file" in second.warning
    assert second.record.id != first.record.id
    assert registry.first_download_sha(url) == first.record.sha256  # the first one stays the reference
