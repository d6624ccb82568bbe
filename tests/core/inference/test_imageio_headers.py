"""Header parsing at its edges, on hand-made byte strings: the size is read before any decoding."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest

from meddisseg_core.errors import ImageReadError, ImageTooLargeError
from meddisseg_core.imageio import read_header, read_image

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes, length: int | None = None) -> bytes:
    size = len(data) if length is None else length
    return struct.pack(">I", size) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _ihdr(width: int, height: int) -> bytes:
    return struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)


def test_png_whose_first_chunk_is_not_ihdr_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(PNG_SIGNATURE + _chunk(b"IDAT", _ihdr(4, 3)))  # a valid length, the wrong kind
    with pytest.raises(ImageReadError, match="IHDR"):
        read_header(path)


def test_png_ihdr_too_short_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(PNG_SIGNATURE + _chunk(b"IHDR", _ihdr(4, 3), length=7) + b"\0" * 16)
    with pytest.raises(ImageReadError, match="IHDR"):
        read_header(path)


@pytest.mark.parametrize(("width", "height"), [(0, 3), (4, 0)])
def test_a_header_claiming_an_empty_image_is_refused_by_name(tmp_path: Path, width: int, height: int) -> None:
    path = tmp_path / "empty.png"
    path.write_bytes(PNG_SIGNATURE + _chunk(b"IHDR", _ihdr(width, height)) + b"\0" * 16)
    with pytest.raises(ImageReadError, match="empty image"):
        read_image(path)


def test_jpeg_restart_markers_d0_to_d7_have_no_length(tmp_path: Path) -> None:
    # SOI, then the standalone markers RST0 and RST7 (no length field), then a baseline frame
    # header: 8-bit, height 300, width 200.
    frame = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 300, 200, 1) + b"\x01\x11\x00"
    path = tmp_path / "a.jpg"
    path.write_bytes(b"\xff\xd8" + b"\xff\xd0" + b"\xff\xd7" + frame + b"\xff\xd9")
    assert read_header(path) == ("jpeg", 200, 300)


def test_pixel_limit_is_inclusive(tmp_path: Path) -> None:
    path = tmp_path / "small.png"
    ok, data = cv2.imencode(".png", np.zeros((3, 5, 3), np.uint8))
    assert ok
    path.write_bytes(data.tobytes())
    assert read_image(path, max_pixels=15).shape == (3, 5, 3)  # exactly at the limit: allowed
    with pytest.raises(ImageTooLargeError):
        read_image(path, max_pixels=14)
