"""Header parsing at its edges, on hand-made byte strings: the size is read before any decoding."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest

from meddisseg_core.errors import ImageReadError, ImageTooLargeError
from meddisseg_core.imageio import MAX_SIDE, check_size, read_header, read_image

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


def test_png_ihdr_of_eight_bytes_is_enough_for_the_size(tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(PNG_SIGNATURE + _chunk(b"IHDR", struct.pack(">II", 4, 3)))
    assert read_header(path) == ("png", 4, 3)


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


def test_jpeg_segment_of_length_two_is_empty_not_invalid(tmp_path: Path) -> None:
    frame = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 40, 30, 1) + b"\x01\x11\x00"
    path = tmp_path / "a.jpg"
    path.write_bytes(b"\xff\xd8" + b"\xff\xe0\x00\x02" + frame + b"\xff\xd9")  # an empty APP0
    assert read_header(path) == ("jpeg", 30, 40)
    path.write_bytes(b"\xff\xd8" + b"\xff\xe0\x00\x01" + frame)
    with pytest.raises(ImageReadError, match="invalid length"):
        read_header(path)


def _tiff_be(entries: list[tuple[int, int, bytes]]) -> bytes:
    """A big-endian TIFF header with one IFD of (tag, type, 4 raw value bytes) entries."""
    ifd = struct.pack(">H", len(entries))
    for tag, kind, raw in entries:
        ifd += struct.pack(">HHI4s", tag, kind, 1, raw)
    return b"MM\x00\x2a" + struct.pack(">I", 8) + ifd + b"\x00\x00\x00\x00"


def test_big_endian_tiff_short_and_long_sides(tmp_path: Path) -> None:
    # Width as SHORT (type 3: the value sits in the first two bytes), height as LONG (type 4).
    path = tmp_path / "a.tif"
    path.write_bytes(_tiff_be([(256, 3, struct.pack(">HH", 300, 0)), (257, 4, struct.pack(">I", 70000))]))
    assert read_header(path) == ("tiff", 300, 70000)


def test_tiff_without_a_height_tag_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "a.tif"
    path.write_bytes(_tiff_be([(256, 3, struct.pack(">HH", 300, 0))]))
    with pytest.raises(ImageReadError, match="width/height"):
        read_header(path)


def test_pixel_limit_is_inclusive(tmp_path: Path) -> None:
    path = tmp_path / "small.png"
    ok, data = cv2.imencode(".png", np.zeros((3, 5, 3), np.uint8))
    assert ok
    path.write_bytes(data.tobytes())
    assert read_image(path, max_pixels=15).shape == (3, 5, 3)  # exactly at the limit: allowed
    with pytest.raises(ImageTooLargeError, match="= 15 pixels, over the limit of 14"):
        read_image(path, max_pixels=14)


def test_side_limit_is_inclusive(tmp_path: Path) -> None:
    check_size(tmp_path / "x.png", MAX_SIDE, 1, max_pixels=10**12)
    check_size(tmp_path / "x.png", 1, MAX_SIDE, max_pixels=10**12)
    for width, height in ((MAX_SIDE + 1, 1), (1, MAX_SIDE + 1)):
        with pytest.raises(ImageTooLargeError, match="a side may be at most"):
            check_size(tmp_path / "x.png", width, height, max_pixels=10**12)
