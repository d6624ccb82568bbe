"""An image whose file name is not valid UTF-8 (a Linux file system allows any bytes) is reviewed
and saved like any other: approval, mask and lesion count survive reopening the folder, and the
other images' rows are untouched. SQLite text cannot hold such a name; the store keeps it as a BLOB."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from meddisseg_studio.state.model import ReviewStatus
from meddisseg_studio.state.project import Project

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a bytes file system")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "images"
    folder.mkdir()
    image = np.random.default_rng(0).integers(0, 255, (30, 40, 3), dtype=np.uint8)
    ok, buffer = cv2.imencode(".png", image)
    assert ok
    try:
        (Path(os.fsdecode(os.fsencode(folder) + b"/polyp\xff.png"))).write_bytes(buffer.tobytes())
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    (folder / "plain.png").write_bytes(buffer.tobytes())
    return folder


def test_review_survives_reopening(folder: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    project = Project.open(folder, state)
    odd = next(e.key for e in project.entries if e.key != "plain.png")
    assert odd == "polyp\udcff.png"  # Python's spelling of the byte 0xff
    mask = np.zeros((30, 40), np.uint8)
    mask[5:15, 5:20] = 1
    mask[20:28, 25:38] = 1
    project.save_mask(odd, mask)
    project.approve(odd)
    project.reject("plain.png", "image quality")
    project.close()

    again = Project.open(folder, state)
    by_key = {e.key: e for e in again.entries}
    assert by_key[odd].status == ReviewStatus.APPROVED
    assert by_key[odd].lesions == 2  # counted when the mask was saved, stored under the odd key
    assert np.array_equal(again.load_mask(odd) > 0, mask > 0)
    assert by_key["plain.png"].status == ReviewStatus.REJECTED
    assert by_key["plain.png"].reject_reason == "image quality"
    again.close()
