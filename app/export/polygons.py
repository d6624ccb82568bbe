"""Masks as ordered polygon rings and back: the labelme export and the polygon imports share it.

Polygon formats have no holes. A mask is therefore written as rings *painted in order*: the
outline of every lesion filled with 1, then the outline of every hole filled with 0, then any
island inside a hole filled with 1 again, and so on. Painting the rings in order with
:func:`paint_rings` gives back the mask (the tests check it pixel for pixel on random masks).
Each ring also carries the number of the top-level lesion it belongs to, so a reader can group
a lesion with its holes. Points are pixel centres ``(x, y)``, the convention of labelme and of
``cv2.fillPoly``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import cv2
import numpy as np

# Nesting depth beyond which a mask is not decomposed further (lesion > hole > island > ...).
MAX_LEVELS = 64


class Ring(NamedTuple):
    points: np.ndarray  # K×2 int32 (x, y), K ≥ 3 (short contours repeat their points)
    fill: int  # 1: lesion, 0: hole
    group: int  # 1-based number of the top-level lesion containing it


def _contours(region: np.ndarray) -> list[np.ndarray]:
    found, _ = cv2.findContours(region.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    rings = []
    for contour in found:
        points = contour.reshape(-1, 2).astype(np.int32)
        if len(points) < 3:  # a one- or two-pixel speck: still a polygon that fills its pixels
            points = np.concatenate([points, points[-1:].repeat(3 - len(points), axis=0)])
        rings.append(points)
    return rings


def mask_to_rings(mask: np.ndarray) -> list[Ring]:
    """Rings that :func:`paint_rings` turns back into ``mask`` (H×W, non-zero = foreground)."""
    if mask.ndim != 2:
        raise ValueError(f"a mask must be H×W, got shape {mask.shape}")
    target = (mask > 0).astype(np.uint8)
    canvas = np.zeros_like(target)
    rings: list[Ring] = []
    groups: np.ndarray | None = None
    for level in range(MAX_LEVELS):
        if np.array_equal(canvas, target):
            break
        fill = 1 if level % 2 == 0 else 0
        region = (target == 1) & (canvas == 0) if fill else (target == 0) & (canvas == 1)
        level_rings = _contours(region)
        for points in level_rings:
            cv2.fillPoly(canvas, [points], fill)
        if groups is None:
            _count, groups = cv2.connectedComponents(canvas, connectivity=8)
        # Rings of one level are disjoint, so their order is free: lesion by lesion reads best.
        numbered = [Ring(p, fill, int(groups[p[0][1], p[0][0]]) or 1) for p in level_rings]
        rings.extend(sorted(numbered, key=lambda r: (r.group, int(r.points[0][1]), int(r.points[0][0]))))
    return rings


def paint_rings(rings: Iterable[tuple[np.ndarray, int]], shape: tuple[int, int]) -> np.ndarray:
    """H×W uint8 0/1 mask from ``(points, fill)`` pairs painted in order (points: K×2 x, y)."""
    canvas = np.zeros(shape, np.uint8)
    for points, fill in rings:
        pts = np.rint(np.asarray(points, np.float64)).astype(np.int32).reshape(-1, 2)
        if len(pts) == 0:
            continue
        cv2.fillPoly(canvas, [pts], int(bool(fill)))
    return canvas
