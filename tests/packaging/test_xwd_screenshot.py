"""verify.sh's screenshot check reads Xvfb's XWD pictures and tells a painted window from a bare screen."""

from __future__ import annotations

import importlib.util
import struct
from pathlib import Path

import numpy as np

_SPEC = importlib.util.spec_from_file_location(
    "screen", Path(__file__).parents[2] / "packaging" / "screen.py"
)
screen = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(screen)


def _xwd(rgb: np.ndarray, byte_order: int = 0) -> bytes:
    """An XWD file as xwd writes Xvfb's 24-bit TrueColor screen: 32 bits per pixel, masks for R, G, B."""
    height, width, _ = rgb.shape
    name = b"xwdump\x00"
    header_size = 100 + len(name)
    fields = [header_size, 7, 2, 24, width, height, 0, byte_order, 32, byte_order, 32, 32, width * 4, 4]
    fields += [0xFF0000, 0x00FF00, 0x0000FF, 8, 256, 0, width, height, 0, 0, 0]
    value = (rgb[..., 0].astype(np.uint32) << 16) | (rgb[..., 1].astype(np.uint32) << 8) | rgb[..., 2]
    pixels = value.astype("<u4" if byte_order == 0 else ">u4").tobytes()
    return struct.pack(">25I", *fields) + name + pixels


def test_parse_round_trips_both_byte_orders() -> None:
    rng = np.random.default_rng(3)
    rgb = rng.integers(0, 256, (5, 7, 3), dtype=np.uint8)
    assert np.array_equal(screen.parse_xwd(_xwd(rgb, 0)), rgb)
    assert np.array_equal(screen.parse_xwd(_xwd(rgb, 1)), rgb)


def test_bare_screen_is_not_painted_and_a_window_is() -> None:
    bare = np.zeros((120, 160, 3), np.uint8)
    assert not screen.describe(bare).painted
    window = bare.copy()
    rng = np.random.default_rng(4)
    window[:80, :110] = rng.integers(0, 256, (80, 110, 3), dtype=np.uint8)  # a window at the top left
    picture = screen.describe(window)
    assert picture.painted and 0.4 < picture.covered < 0.5
