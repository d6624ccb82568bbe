"""Lesions of a mask: its 8-connected components of at least a minimum area. No Qt.

Counting lives with the state (``state/lesions.py``: the project counts every mask it saves);
the regions, for the exports, are here.

Smaller components are specks (a stray brush dab, a JPEG-noise pixel in an imported mask):
they do not count as lesions. Exports never drop their pixels, though: each speck goes with
the lesion whose centre is nearest, and a mask made of specks only is kept as one region, so
the union of the regions always equals the mask.
"""

from __future__ import annotations

import cv2
import numpy as np

from meddisseg_studio.state.lesions import components as _components
from meddisseg_studio.state.lesions import count_lesions

__all__ = ["count_lesions", "lesion_regions"]


def lesion_regions(mask: np.ndarray, min_area: int) -> list[np.ndarray]:
    """One H×W uint8 0/1 mask per lesion (largest first), specks attached to the nearest.

    An empty mask gives no region; a mask of specks only gives one region holding them all.
    """
    count, labels, stats, centres = _components(mask)
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
