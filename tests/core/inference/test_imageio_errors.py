"""read_image refuses huge headers before decoding, and names the reason for broken files."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest

from meddisseg_core.errors import ImageReadError, ImageTooLargeError
from meddisseg_core.imageio import read_image


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_claiming(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)  # a few bytes: the file is tiny whatever it claims
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


@pytest.fixture
def no_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(cv2, "imdecode", refuse)


@pytest.mark.usefixtures("no_decoding")
def test_huge_png_header_is_refused_without_decoding(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_claiming(40000, 40000))
    assert path.stat().st_size < 200
    with pytest.raises(ImageTooLargeError, match="40000×40000"):
        read_image(path)


@pytest.mark.usefixtures("no_decoding")
def test_pixel_budget_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "wide.png"
    path.write_bytes(_png_claiming(3000, 2000))
    with pytest.raises(ImageTooLargeError, match="over the limit of 1,000,000"):
        read_image(path, max_pixels=1_000_000)


@pytest.mark.usefixtures("no_decoding")
def test_side_over_qt_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "strip.png"
    path.write_bytes(_png_claiming(40000, 2))
    with pytest.raises(ImageTooLargeError, match="32767"):
        read_image(path)


def test_truncated_file_raises_read_error(tmp_path: Path) -> None:
    data = cv2.imencode(".png", np.random.default_rng(0).integers(0, 255, (64, 64, 3), np.uint8))[1]
    path = tmp_path / "cut.png"
    path.write_bytes(data.tobytes()[: len(data) // 2])
    with pytest.raises(ImageReadError, match="corrupt or truncated") as info:
        read_image(path)
    assert not isinstance(info.value, ImageTooLargeError)


def test_non_image_raises_read_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.jpg"
    path.write_text("not an image at all")
    with pytest.raises(ImageReadError, match="not a supported image"):
        read_image(path)


def test_header_cut_short_raises_read_error(tmp_path: Path) -> None:
    path = tmp_path / "stub.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(ImageReadError, match="corrupt PNG header"):
        read_image(path)


def test_missing_file_raises_read_error(tmp_path: Path) -> None:
    with pytest.raises(ImageReadError, match="cannot open"):
        read_image(tmp_path / "nowhere.png")
