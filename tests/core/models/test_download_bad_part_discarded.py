"""A ``.part`` left by an interrupted download that holds an HTML page (or anything that cannot start
the expected file) is discarded before resuming: the download starts again from byte 0 instead of
fetching the rest of the real file (182 MB once) only to refuse the result."""

from __future__ import annotations

import json

import pytest
from model_helpers import authors_pth_bytes

from meddisseg_core.models.download import download, plausible_start


def test_html_part_is_not_resumed(server, cache) -> None:
    payload = authors_pth_bytes(seed=5)
    server.behaviour.files["/checkpoint2.pth"] = payload
    url = server.url("/checkpoint2.pth")
    cache.mkdir(parents=True)
    (cache / "checkpoint2.pth.part").write_bytes(b"<!DOCTYPE html><html><body>Sign in</body></html>\n" * 20)
    (cache / "checkpoint2.pth.part.json").write_text(json.dumps({"url": url, "validator": ""}))

    path = download(url, cache)

    assert server.behaviour.ranges[0] is None  # asked for the whole file, no Range: bytes=1000-
    assert path.read_bytes() == payload


@pytest.mark.parametrize(
    ("name", "head", "ok"),
    [
        ("m.pth", b"PK\x03\x04rest", True),
        ("m.pth", b"\x80\x02}q\x00", True),
        ("m.pth", b"PK", True),  # too short to tell: kept
        ("m.pth", b"{\"error\": 1}", False),
        ("m.pth", b"  <html>", False),
        ("m.safetensors", (120).to_bytes(8, "little") + b'{"__metadata__"', True),
        ("m.safetensors", b"Not Found\n\n\n", False),
    ],
)
def test_plausible_starts(name: str, head: bytes, ok: bool) -> None:
    assert plausible_start(name, head) is ok
