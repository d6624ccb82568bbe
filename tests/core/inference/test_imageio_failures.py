"""Reading images when the system fails underneath: the error says what happened, in words."""

from __future__ import annotations

import errno
from pathlib import Path

import cv2
import numpy as np
import pytest

from meddisseg_core.errors import ImageReadError
from meddisseg_core.imageio import read_header, read_image, read_mask_grey


@pytest.fixture
def png(tmp_path: Path) -> Path:
    path = tmp_path / "a.png"
    ok, data = cv2.imencode(".png", np.zeros((4, 6, 3), np.uint8))
    assert ok
    path.write_bytes(data.tobytes())
    return path


def test_missing_file_names_the_reason_not_the_errno(tmp_path: Path) -> None:
    with pytest.raises(ImageReadError) as info:
        read_header(tmp_path / "missing.png")
    assert str(info.value).endswith("cannot open (No such file or directory)")


def test_read_failure_after_the_header_is_an_image_error(png: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fromfile(*args: object, **kwargs: object) -> np.ndarray:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(np, "fromfile", fromfile)
    with pytest.raises(ImageReadError) as info:
        read_image(png)
    assert str(info.value).endswith("cannot read (Input/output error)")


def test_opencv_error_while_decoding_is_an_image_error(png: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def imdecode(*args: object) -> np.ndarray:
        raise cv2.error("simulated decoder failure")

    monkeypatch.setattr(cv2, "imdecode", imdecode)
    with pytest.raises(ImageReadError, match="OpenCV cannot decode it"):
        read_image(png)


def test_sixteen_bit_grey_mask_is_divided_by_257_and_rounded(tmp_path: Path) -> None:
    path = tmp_path / "m16.png"
    values = np.array([[0, 255, 767, 65280, 65535]], np.uint16)
    assert cv2.imwrite(str(path), values)
    # 255/257 rounds to 1, 767/257 to 3, 65280/257 to 254 (not 0, 2, 255: no 8-bit shift).
    assert read_mask_grey(path).tolist() == [[0, 1, 3, 254, 255]]
