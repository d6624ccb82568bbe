"""Offline: a plain message with the URL to fetch by hand. Proxies come from the environment."""

from __future__ import annotations

import socket

import pytest
from model_helpers import authors_pth_bytes

from meddisseg_core.models import DownloadError
from meddisseg_core.models.download import download, make_opener


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_server_says_what_to_do(cache) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/v1/checkpoint2.pth"
    with pytest.raises(DownloadError) as info:
        download(url, cache, timeout=5)
    text = str(info.value)
    assert "cannot reach" in text and url in text and "by hand" in text
    assert not any(p.suffix == ".pth" for p in cache.iterdir())


def test_the_proxy_from_the_environment_is_used(server, cache, monkeypatch) -> None:
    payload = authors_pth_bytes(seed=2)
    server.behaviour.files["/v1/checkpoint2.pth"] = payload
    monkeypatch.setenv("HTTP_PROXY", server.url(""))
    monkeypatch.delenv("NO_PROXY")
    # models.invalid does not resolve: only a proxy can deliver this download.
    path = download("http://models.invalid/v1/checkpoint2.pth", cache, timeout=5)
    assert path.read_bytes() == payload
    assert server.behaviour.paths == ["http://models.invalid/v1/checkpoint2.pth"]


def test_https_proxy_variable_is_honoured(monkeypatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    handlers = [h for h in make_opener().handlers if hasattr(h, "proxies")]
    assert handlers and handlers[0].proxies["https"] == "http://proxy.example:3128"
