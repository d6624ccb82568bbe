"""Lesions of a mask: its 8-connected foreground components of at least a minimum area. No Qt.

Smaller components are specks (a stray brush dab, a JPEG-noise pixel in an imported mask): they
do not count. The project counts the lesions of every mask it saves (the image list and the CSV
show the count). :func:`lesion_regions` are the lesions as the exports write them (one COCO
annotation each) and as the Findings panel numbers them (``state/findings.py``).

Exports never drop a speck's pixels: each speck goes with the lesion whose centre is nearest,
and a mask made of specks only is kept as one region, so the union of the regions always
equals the mask.
"""

from __future__ import annotations

import cv2
import numpy as np

# Connected components smaller than this many pixels are specks, not lesions. Same as the
# default "remove islands" size.
DEFAULT_MIN_LESION_AREA = 64


def components(mask: np.ndarray) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """``cv2.connectedComponentsWithStats`` of the foreground (8-connected): count, labels, stats,
    centres; label 0 is the background."""
    if mask.ndim != 2:
        raise ValueError(f"a mask must be H×W, got shape {mask.shape}")
    foreground = (mask > 0).astype(np.uint8)
    return cv2.connectedComponentsWithStats(foreground, connectivity=8)


def count_lesions(mask: np.ndarray, min_area: int) -> int:
    """The number of 8-connected foreground components with at least ``min_area`` pixels."""
    count, _labels, stats, _centres = components(mask)
    return int(np.count_nonzero(stats[1:count, cv2.CC_STAT_AREA] >= min_area))


def lesion_regions(mask: np.ndarray, min_area: int) -> list[np.ndarray]:
    """One H×W uint8 0/1 mask per lesion (largest first), specks attached to the nearest.

    An empty mask gives no region; a mask of specks only gives one region holding them all.
    """
    count, labels, stats, centres = components(mask)
    if count <= 1:
        return []
    areas = stats[:, cv2.CC_STAT_AREA]
    big = [i for i in range(1, count) if areas[i] >= min_area]
    if not big:
        return [(labels > 0).astype(np.uint8)]
    big.sort(key=lambda i: (-int(areas[i]), i))
    owner = np.zeros(count, np.int64)  # component label -> index in ``big`` (+1)
    for rank, label in enumerate(big, start=1):
        owner[label] = rank
    for label in range(1, count):
        if owner[label] == 0:
            distances = np.linalg.norm(centres[big] - centres[label], axis=1)
            owner[label] = int(np.argmin(distances)) + 1
    regions = owner[labels]
    return [(regions == rank).astype(np.uint8) for rank in range(1, len(big) + 1)]
