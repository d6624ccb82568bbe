"""Draw the application icon (the same picture as the window icon, ``widgets/icons.py:app_icon``).

Writes into OUT_DIR: ``meddisseg-studio.svg`` (the desktop entry's scalable icon),
``meddisseg-studio-<N>.png`` for N in 16, 32, 48, 128, 256, 512 (hicolor sizes) and
``meddisseg-studio.ico`` (Windows: the programs and the installer). Nothing is downloaded: the
PNGs are rendered here from the same geometry as the SVG, with numpy (supersampled).

Usage: ``python packaging/make_icon.py OUT_DIR``
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import cv2
import numpy as np

# Geometry on a 64x64 canvas: a pink tissue square with a red region outlined in green.
BOX = (4.0, 4.0, 60.0, 60.0)  # x0, y0, x1, y1
RADIUS = 10.0
STROKE = 3.0
ELLIPSE = (33.0, 29.0, 15.0, 13.0)  # cx, cy, rx, ry
TISSUE, BORDER = (0xF4, 0xB6, 0xC2), (0x8D, 0x3B, 0x4A)
REGION, REGION_ALPHA, OUTLINE = (200, 30, 50), 200 / 255, (0x00, 0xE6, 0x76)
SIZES = (16, 32, 48, 128, 256, 512)


def svg() -> str:
    x0, y0, x1, y1 = BOX
    cx, cy, rx, ry = ELLIPSE
    hex_of = "#{:02x}{:02x}{:02x}".format
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">\n'
        f'  <rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" rx="{RADIUS}" '
        f'fill="{hex_of(*TISSUE)}" stroke="{hex_of(*BORDER)}" stroke-width="{STROKE}"/>\n'
        f'  <ellipse cx="{cx}" cy="{cy}" rx="{rx}" ry="{ry}" fill="{hex_of(*REGION)}" '
        f'fill-opacity="{REGION_ALPHA:.3f}" stroke="{hex_of(*OUTLINE)}" stroke-width="{STROKE}"/>\n'
        "</svg>\n"
    )


def _rounded_box_distance(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Signed distance to the rounded square's outline (negative inside)."""
    x0, y0, x1, y1 = BOX
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    hx, hy = (x1 - x0) / 2 - RADIUS, (y1 - y0) / 2 - RADIUS
    qx, qy = np.abs(x - cx) - hx, np.abs(y - cy) - hy
    outside = np.hypot(np.maximum(qx, 0), np.maximum(qy, 0))
    return outside + np.minimum(np.maximum(qx, qy), 0) - RADIUS


def _ellipse_distance(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Approximate signed distance to the ellipse (exact enough for a 3-unit stroke)."""
    cx, cy, rx, ry = ELLIPSE
    radius = np.hypot((x - cx) / rx, (y - cy) / ry)
    return (radius - 1.0) * min(rx, ry)


def render(size: int, supersample: int | None = None) -> np.ndarray:
    """RGBA uint8 ``size`` x ``size`` picture of the icon (supersampled up to 1024x1024 work pixels)."""
    supersample = supersample or max(1, min(4, 1024 // size))
    n = size * supersample
    coords = (np.arange(n, dtype=np.float64) + 0.5) * (64.0 / n)
    x, y = np.meshgrid(coords, coords)
    colour = np.zeros((n, n, 3))
    alpha = np.zeros((n, n))

    def paint(cover: np.ndarray, rgb: tuple[int, int, int], opacity: float = 1.0) -> None:
        a = cover.astype(np.float64) * opacity
        colour[:] = colour * (1 - a[..., None]) + np.array(rgb, np.float64) * a[..., None]
        alpha[:] = alpha * (1 - a) + a

    box = _rounded_box_distance(x, y)
    oval = _ellipse_distance(x, y)
    paint(box <= 0, TISSUE)
    paint(np.abs(box) <= STROKE / 2, BORDER)
    paint(oval <= 0, REGION, REGION_ALPHA)
    paint(np.abs(oval) <= STROKE / 2, OUTLINE)
    # Average the supersamples with premultiplied colour, so edges do not darken.
    premultiplied = np.concatenate([colour * alpha[..., None], alpha[..., None]], axis=2)
    small = premultiplied.reshape(size, supersample, size, supersample, 4).mean(axis=(1, 3))
    out_alpha = small[..., 3:]
    rgb = np.divide(small[..., :3], out_alpha, out=np.zeros_like(small[..., :3]), where=out_alpha > 0)
    return np.clip(np.concatenate([rgb, out_alpha * 255], axis=2) + 0.5, 0, 255).astype(np.uint8)


def png_bytes(rgba: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".png", cv2.cvtColor(rgba, cv2.COLOR_RGBA2BGRA))
    if not ok:
        raise RuntimeError("OpenCV could not encode the icon as PNG")
    return data.tobytes()


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding PNG images (supported since Windows Vista)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, data in sorted(pngs.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in the directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset + len(blobs))
        blobs += data
    return header + entries + blobs


def write_icons(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [out_dir / "meddisseg-studio.svg"]
    written[0].write_text(svg(), encoding="utf-8")
    pngs = {size: png_bytes(render(size)) for size in SIZES}
    for size, data in pngs.items():
        path = out_dir / f"meddisseg-studio-{size}.png"
        path.write_bytes(data)
        written.append(path)
    ico = out_dir / "meddisseg-studio.ico"
    ico.write_bytes(ico_bytes({s: pngs[s] for s in (16, 32, 48, 256)}))
    written.append(ico)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for path in write_icons(Path(sys.argv[1])):
        print(path)
