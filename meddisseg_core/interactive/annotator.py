"""The simulated annotator of the interactive-segmentation literature (RITM and its successors).

One implementation for the benchmarks (``bench_interactive.py``, ``bench_prompt_ui.py``), the
refiner's training script (``scripts/train_click_refiner.py``) and the tests, so that what the
refiner is trained on and what it is measured with cannot drift apart.
"""

from __future__ import annotations

import cv2
import numpy as np

from meddisseg_core.interactive.prompts import Box, Click


def next_click(
    mask: np.ndarray, gt: np.ndarray, rng: np.random.Generator | None = None, *, min_area: int = 0
) -> Click | None:
    """The click at the interior point farthest from the boundary of the largest error region.

    Positive on a missed region, negative on a false one; a tie in size goes to the missed one.
    None when the mask is right, or when the largest error is under ``min_area`` pixels.
    With ``rng`` (training), the annotator is noisy: now and then (p 0.1) the second-largest
    error of a kind is taken, and (p 0.3) a random point at least 0.4 of the way in.
    """
    best: tuple[int, bool, np.ndarray] | None = None
    for positive, error in ((True, gt & ~mask), (False, mask & ~gt)):
        if not error.any():
            continue
        _count, labels, stats, _ = cv2.connectedComponentsWithStats(error.astype(np.uint8), connectivity=8)
        areas = stats[1:, cv2.CC_STAT_AREA]
        if rng is None:
            pick = int(np.argmax(areas))
        else:
            order = np.argsort(areas)[::-1]
            pick = int(order[1] if len(order) > 1 and rng.random() < 0.1 else order[0])
        area = int(areas[pick])
        if best is not None and area <= best[0]:
            continue
        best = (area, positive, labels == pick + 1)
    if best is None or best[0] < min_area:
        return None
    _, positive, region = best
    dist = cv2.distanceTransform(np.pad(region, 1).astype(np.uint8), cv2.DIST_L2, 5)[1:-1, 1:-1]  # border too
    if rng is None or rng.random() < 0.7:
        y, x = np.unravel_index(int(np.argmax(dist)), dist.shape)
    else:
        ys, xs = np.nonzero(dist >= 0.4 * dist.max())
        k = int(rng.integers(len(ys)))
        y, x = ys[k], xs[k]
    return Click(int(x), int(y), positive)


def lesion_boxes(gt: np.ndarray, rng: np.random.Generator, *, min_area: int = 0) -> list[Box]:
    """Each lesion's box (components of at least ``min_area`` px) grown 2.5 % per side and each side
    jittered by ±5 % of the box's size, clipped to the image."""
    height, width = gt.shape
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(gt.astype(np.uint8), connectivity=8)
    boxes = []
    for label in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[label])
        if area < min_area:
            continue
        grow_x, grow_y = 0.025 * w, 0.025 * h
        jitter = rng.uniform(-0.05, 0.05, 4) * np.array([w, h, w, h])
        x0 = round(float(np.clip(x - grow_x + jitter[0], 0, width - 1)))
        y0 = round(float(np.clip(y - grow_y + jitter[1], 0, height - 1)))
        x1 = round(float(np.clip(x + w + grow_x + jitter[2], x0 + 1, width)))
        y1 = round(float(np.clip(y + h + grow_y + jitter[3], y0 + 1, height)))
        boxes.append(Box(x0, y0, x1, y1))
    return boxes
