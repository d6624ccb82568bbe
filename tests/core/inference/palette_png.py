"""Write indexed-colour (palette) PNGs by hand: OpenCV only writes grey or colour, and Pillow is not
a dependency. Bit depths 1, 2, 4 and 8; with ``all_filters`` the rows cycle through PNG's five
filter types (None, Sub, Up, Average, Paeth), as encoders with adaptive filtering produce."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _filtered(kind: int, row: list[int], prev: list[int]) -> bytes:
    out = []
    for i, value in enumerate(row):
        a = row[i - 1] if i else 0
        b, c = prev[i], prev[i - 1] if i else 0
        if kind == 1:
            predictor = a
        elif kind == 2:
            predictor = b
        elif kind == 3:
            predictor = (a + b) >> 1
        elif kind == 4:
            pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
            predictor = a if pa <= pb and pa <= pc else b if pb <= pc else c
        else:
            predictor = 0
        out.append((value - predictor) & 0xFF)
    return bytes([kind, *out])


def write_palette_png(
    path: Path,
    indices: np.ndarray,
    palette: list[tuple[int, int, int]],
    bits: int = 8,
    all_filters: bool = False,
) -> Path:
    height, width = indices.shape
    packed: list[list[int]] = []
    for row in indices.astype(np.uint8):
        if bits < 8:
            per_byte = 8 // bits
            padded = np.zeros(-(-width // per_byte) * per_byte, np.uint8)
            padded[:width] = row
            groups = padded.reshape(-1, per_byte)
            shifts = np.array([8 - bits * (i + 1) for i in range(per_byte)], np.uint8)
            row = np.bitwise_or.reduce(groups << shifts, axis=1).astype(np.uint8)
        packed.append(row.tolist())
    rows, prev = [], [0] * len(packed[0])
    for y, row in enumerate(packed):
        rows.append(_filtered(y % 5 if all_filters else 0, row, prev))
        prev = row
    header = struct.pack(">IIBBBBB", width, height, bits, 3, 0, 0, 0)
    plte = b"".join(bytes(colour) for colour in palette)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"PLTE", plte)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + _chunk(b"IEND", b"")
    )
    path.write_bytes(data)
    return path
