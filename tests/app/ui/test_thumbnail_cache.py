"""Thumbnails decode off the GUI thread, once per key, and the cache keeps only the newest few."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from meddisseg_core.errors import ImageReadError
from meddisseg_studio.widgets.thumbnails import ThumbnailCache


def test_lru_eviction_and_errors(qtbot) -> None:
    gui_thread = threading.get_ident()
    reader_threads: list[int] = []

    def reader(path: Path) -> np.ndarray:
        reader_threads.append(threading.get_ident())
        if path.name == "bad.png":
            raise ImageReadError(path, "truncated file")
        return np.full((40, 30, 3), 200, np.uint8)

    cache = ThumbnailCache(capacity=2, reader=reader)
    failures: list[tuple[str, str]] = []
    cache.failed.connect(lambda key, reason: failures.append((key, reason)))
    for key in ("a", "b", "c"):
        with qtbot.waitSignal(cache.loaded, timeout=5000):
            cache.request(key, Path(f"{key}.png"))
    cache.request("c", Path("c.png"))  # cached: no second decode
    assert cache.requests == 3
    assert cache.get("a") is None  # evicted, least recently used
    thumb = cache.get("c")
    assert thumb is not None and max(thumb.width(), thumb.height()) == 64
    assert gui_thread not in reader_threads

    with qtbot.waitSignal(cache.failed, timeout=5000):
        cache.request("bad", Path("bad.png"))
    assert failures and "truncated file" in failures[0][1]
    cache.wait()
