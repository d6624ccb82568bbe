"""404, a web page, a truncated file or wrong keys: a clear error and nothing left in the cache."""

from __future__ import annotations

import io

import pytest
import torch
from model_helpers import authors_pth_bytes

from meddisseg_core.models import DownloadError
from meddisseg_core.models.download import pull


def _wrong_keys() -> bytes:
    buffer = io.BytesIO()
    torch.save({"encoder.weight": torch.zeros(3, 3), "head.conv_fuse.weight": torch.zeros(1)}, buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("serve", "message"),
    [
        ({}, "HTTP 404"),
        ({"page": b"<!DOCTYPE html><html><body>Sign in</body></html>"}, "web page"),
        ({"file": b"<html><body>Rate limited</body></html>"}, "web page"),
        ({"file": authors_pth_bytes(seed=1)[:150_000]}, "not a usable Med-DisSeg checkpoint"),
        ({"file": _wrong_keys()}, "not a usable Med-DisSeg checkpoint"),
    ],
    ids=["404", "html-page", "html-as-octet-stream", "truncated", "wrong-keys"],
)
def test_bad_download_leaves_nothing(server, registry, cache, serve: dict, message: str) -> None:
    if "page" in serve:
        server.behaviour.pages["/checkpoint2.pth"] = serve["page"]
    if "file" in serve:
        server.behaviour.files["/checkpoint2.pth"] = serve["file"]
    url = server.url("/checkpoint2.pth")
    with pytest.raises(DownloadError, match=message) as info:
        pull(url, registry, folder=cache)
    assert url in str(info.value)
    assert list(cache.iterdir()) == []
    assert registry.records() == [] and registry.first_download_sha(url) is None
