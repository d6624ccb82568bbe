"""A folder of 10,000 images is interactive within 2 s: rows are cheap, thumbnails lazy."""

from __future__ import annotations

import os
import time
from pathlib import Path

import cv2
import numpy as np
import pytest


@pytest.mark.slow
def test_ten_thousand_images_open_fast_and_decode_only_visible_rows(qtbot, window, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    ok, encoded = cv2.imencode(".png", np.full((8, 8, 3), 127, np.uint8))
    assert ok
    first = folder / "img_00000.png"
    first.write_bytes(encoded.tobytes())
    for i in range(1, 10_000):
        # Hard links: the listing sees 10,000 files at a fraction of the cost of writing them.
        os.link(first, folder / f"img_{i:05d}.png")

    start = time.perf_counter()
    window.open_folder(folder)
    qtbot.wait(1)  # one turn of the event loop: the list has painted
    elapsed = time.perf_counter() - start

    assert window.image_list.model.rowCount() == 10_000
    assert elapsed < 2.0, f"opening took {elapsed:.2f} s"
    # Only rows on screen asked for thumbnails, not all 10,000.
    requests = window.image_list.thumbnails.requests
    assert 0 < requests < 100, requests
