"""The icon is drawn by the project: PNGs match the SVG's geometry, and the .ico holds them."""

from __future__ import annotations

import importlib.util
import struct
from pathlib import Path

import cv2
import numpy as np

_SPEC = importlib.util.spec_from_file_location(
    "make_icon", Path(__file__).parents[2] / "packaging" / "make_icon.py"
)
make_icon = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(make_icon)


def test_pixels_follow_the_geometry() -> None:
    rgba = make_icon.render(64)
    assert tuple(rgba[1, 1]) == (0, 0, 0, 0)  # outside the rounded square: transparent
    assert tuple(rgba[55, 10, :3]) == make_icon.TISSUE  # inside the square, away from the region
    centre = rgba[29, 33]
    expected = np.array(make_icon.REGION) * make_icon.REGION_ALPHA + np.array(make_icon.TISSUE) * (
        1 - make_icon.REGION_ALPHA
    )
    assert np.abs(centre[:3].astype(float) - expected).max() <= 1 and centre[3] == 255
    assert tuple(rgba[29, 33 + 15, :3]) == make_icon.OUTLINE  # on the region's outline
    svg = make_icon.svg()
    assert 'rx="15.0" ry="13.0"' in svg and "#00e676" in svg


def test_files_written_and_ico_directory_points_at_pngs(tmp_path: Path) -> None:
    written = make_icon.write_icons(tmp_path)
    assert {p.name for p in written} >= {
        "meddisseg-studio.svg",
        "meddisseg-studio-256.png",
        "meddisseg-studio.ico",
    }
    png = cv2.imread(str(tmp_path / "meddisseg-studio-48.png"), cv2.IMREAD_UNCHANGED)
    assert png.shape == (48, 48, 4)
    data = (tmp_path / "meddisseg-studio.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, 4)
    sides = []
    for index in range(count):
        side, _, _, _, _, bpp, size, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * index : 22 + 16 * index]
        )
        assert bpp == 32 and data[offset : offset + 8] == b"\x89PNG\r\n\x1a\n" and offset + size <= len(data)
        sides.append(side)
    assert sides == [16, 32, 48, 0]  # 0 stands for 256
