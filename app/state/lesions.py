"""Lesions of a mask: its 8-connected foreground components of at least a minimum area. No Qt.

Smaller components are specks (a stray brush dab, a JPEG-noise pixel in an imported mask): they
do not count. The project counts the lesions of every mask it saves (the image list and the CSV
show the count); the exports build on the same components (``export/lesions.py``).
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
