"""Pure numpy/OpenCV mask operations used by the edit tools (no Qt).

Masks are H×W ``uint8`` arrays holding 0/1. Coordinates follow the image convention of the canvas:
``x`` is the column and ``y`` the row, in (possibly fractional) image pixels; pixel ``(row, col)``
covers ``[col, col+1) × [row, row+1)``. Boxes are ``(y0, x0, y1, x1)`` with exclusive ends.

The in-place drawing functions work on the bounding-box sub-array only, so their cost follows the
size of what they draw and not the size of the image: this is what keeps a brush stroke on a
4096×4096 mask interactive.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from meddisseg_core.errors import MaskError

Box = tuple[int, int, int, int]
Point = tuple[float, float]


def check_mask(mask: np.ndarray) -> None:
    """Raise ``MaskError`` unless ``mask`` is a 2-D uint8 array."""
    if mask.ndim != 2 or mask.dtype != np.uint8:
        raise MaskError(f"a mask must be a 2-D uint8 array, got shape {mask.shape} dtype {mask.dtype}")


def clip_box(box: Box, shape: tuple[int, ...]) -> Box | None:
    """Intersect ``box`` with an array of ``shape``; None when nothing is left."""
    y0, x0, y1, x1 = box
    y0, x0 = max(y0, 0), max(x0, 0)
    y1, x1 = min(y1, shape[0]), min(x1, shape[1])
    if y0 >= y1 or x0 >= x1:
        return None
    return y0, x0, y1, x1


def union_box(a: Box | None, b: Box | None) -> Box | None:
    """The smallest box holding both (either may be None)."""
    if a is None:
        return b
    if b is None:
        return a
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def pixel_of(x: float, y: float) -> tuple[int, int]:
    """The (col, row) index of the pixel that contains image point (x, y)."""
    return int(np.floor(x)), int(np.floor(y))


def segment_box(p0: Point, p1: Point, size: int, shape: tuple[int, ...]) -> Box | None:
    """The clipped box that a brush of diameter ``size`` touches moving from ``p0`` to ``p1``."""
    (c0, r0), (c1, r1) = pixel_of(*p0), pixel_of(*p1)
    # One pixel of slack on each side: OpenCV's round caps may reach half a pixel past the radius.
    reach = size // 2 + 2
    box = (min(r0, r1) - reach, min(c0, c1) - reach, max(r0, r1) + reach + 1, max(c0, c1) + reach + 1)
    return clip_box(box, shape)


def stamp_segment(mask: np.ndarray, p0: Point, p1: Point, size: int, value: int) -> Box | None:
    """Draw a round-capped line of diameter ``size`` from ``p0`` to ``p1`` into ``mask`` in place.

    ``p0 == p1`` stamps a disc. Returns the box that may have changed, or None if it lies
    entirely outside the mask.
    """
    size = max(1, int(size))
    box = segment_box(p0, p1, size, mask.shape)
    if box is None:
        return None
    y0, x0, y1, x1 = box
    sub = mask[y0:y1, x0:x1]  # a view: rows are contiguous, OpenCV draws into it directly
    (c0, r0), (c1, r1) = pixel_of(*p0), pixel_of(*p1)
    # OpenCV rounds a thick line's half-width up, (t + 1) // 2; thickness size - 1 makes the
    # disc radius size // 2, so an odd brush size is exactly the painted diameter.
    thickness = max(1, size - 1)
    cv2.line(
        sub, (c0 - x0, r0 - y0), (c1 - x0, r1 - y0), int(value), thickness=thickness, lineType=cv2.LINE_8
    )
    return box


def _as_int_points(points: Sequence[Point]) -> np.ndarray:
    return np.floor(np.asarray(points, dtype=np.float64)).astype(np.int32).reshape(-1, 2)


def polygon_box(points: Sequence[Point], shape: tuple[int, ...]) -> Box | None:
    """The clipped bounding box of a polygon given as (x, y) image points."""
    if len(points) == 0:
        return None
    pts = _as_int_points(points)
    box = (int(pts[:, 1].min()), int(pts[:, 0].min()), int(pts[:, 1].max()) + 1, int(pts[:, 0].max()) + 1)
    return clip_box(box, shape)


def fill_polygon(mask: np.ndarray, points: Sequence[Point], value: int) -> Box | None:
    """Fill the polygon (closed implicitly) with ``value`` in place; returns the touched box.

    Fewer than three points is not an area and changes nothing.
    """
    if len(points) < 3:
        return None
    box = polygon_box(points, mask.shape)
    if box is None:
        return None
    y0, x0, y1, x1 = box
    pts = _as_int_points(points) - np.array([x0, y0], dtype=np.int32)
    cv2.fillPoly(mask[y0:y1, x0:x1], [pts], int(value), lineType=cv2.LINE_8)
    return box


def polygon_region(points: Sequence[Point], shape: tuple[int, ...]) -> tuple[Box, np.ndarray] | None:
    """The pixels inside a polygon as ``(box, region)`` (boolean array of the box's size).

    None for fewer than three points or a polygon entirely outside ``shape``.
    """
    box = polygon_box(points, shape) if len(points) >= 3 else None
    if box is None:
        return None
    y0, x0, y1, x1 = box
    scratch = np.zeros((y1 - y0, x1 - x0), np.uint8)
    pts = _as_int_points(points) - np.array([x0, y0], dtype=np.int32)
    cv2.fillPoly(scratch, [pts], 1, lineType=cv2.LINE_8)
    return box, scratch.astype(bool)


def flood_region(
    mask: np.ndarray, x: float, y: float, connectivity: int = 4
) -> tuple[Box, np.ndarray] | None:
    """The 4- (or 8-) connected region of pixels equal to the one at (x, y).

    Returns ``(box, region)`` with ``region`` a boolean array the size of ``box``, or None when
    (x, y) lies outside the mask.
    """
    col, row = pixel_of(x, y)
    height, width = mask.shape
    if not (0 <= row < height and 0 <= col < width):
        return None
    if connectivity not in (4, 8):
        raise ValueError(f"connectivity must be 4 or 8, got {connectivity}")
    marks = np.zeros((height + 2, width + 2), np.uint8)
    flags = connectivity | cv2.FLOODFILL_MASK_ONLY | (1 << 8)
    # With MASK_ONLY the image is only read; zero tolerances select exactly the same value.
    _, _, _, rect = cv2.floodFill(mask, marks, (col, row), 0, 0, 0, flags)
    rx, ry, rw, rh = rect
    region = marks[ry + 1 : ry + 1 + rh, rx + 1 : rx + 1 + rw].astype(bool)
    return (ry, rx, ry + rh, rx + rw), region


def touches_border(box: Box, shape: tuple[int, ...]) -> bool:
    """True when ``box`` (a region's tight bounding box) reaches the edge of an array of ``shape``.

    For a tight box this is exactly "the region holds a pixel on the image border".
    """
    y0, x0, y1, x1 = box
    return y0 <= 0 or x0 <= 0 or y1 >= shape[0] or x1 >= shape[1]


def fill_holes(mask: np.ndarray) -> np.ndarray:
    """A copy of ``mask`` with every background region not touching the border set to 1.

    Background is taken 4-connected, the dual of 8-connected foreground, so a diagonal gap in
    an outline does not let a hole leak out.
    """
    check_mask(mask)
    background = (mask == 0).astype(np.uint8)
    count, labels = cv2.connectedComponents(background, connectivity=4)
    if count <= 1:
        return mask.copy()
    border = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    is_hole = np.ones(count, dtype=bool)
    is_hole[0] = False  # label 0 is the foreground
    is_hole[border] = False
    result = mask.copy()
    result[is_hole[labels]] = 1
    return result


def remove_islands(mask: np.ndarray, min_size: int, connectivity: int = 8) -> np.ndarray:
    """A copy of ``mask`` without the foreground components of fewer than ``min_size`` pixels."""
    check_mask(mask)
    if min_size < 0:
        raise ValueError(f"min_size must be >= 0, got {min_size}")
    foreground = (mask > 0).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(foreground, connectivity=connectivity)
    small = stats[:, cv2.CC_STAT_AREA] < min_size
    small[0] = False  # label 0 is the background
    result = mask.copy()
    if count > 1 and small.any():
        result[small[labels]] = 0
    return result


def clear(mask: np.ndarray) -> np.ndarray:
    """An all-background mask of the same shape."""
    check_mask(mask)
    return np.zeros_like(mask)
