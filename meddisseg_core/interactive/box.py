"""Box prompt: the network on the box's crop with a context margin; the result replaces the box.

Outside the box nothing changes. Inside, the mask becomes the crop's prediction at 0.5: the
crop is zoomed to the network's input size, so small lesions are seen larger than in the
full-frame pass. When the full-frame map is known too (``probability``), the region that fills
the box more tightly wins (the person drew the box around the lesion), with the crop preferred
on a near tie: a crop now and then loses the lesion to its lost context, and the frame's map
keeps it. When neither sees anything (a flat polyp), the most probable region inside the box is
taken at a lower, relative threshold, because the person said a lesion is there.
"""

from __future__ import annotations

import cv2
import numpy as np

from meddisseg_core.interactive.crops import CropRunner, expand_rect
from meddisseg_core.interactive.prompts import PromptResult, Prompts

MARGIN = 0.3  # context on each side, as a fraction of the box's side
MIN_FILL = 0.02  # a box result smaller than this fraction of the box falls back to a relative threshold
CROP_PREFERENCE = 0.05  # the crop wins unless the frame's region fills the box this much more tightly


def _largest_components(mask: np.ndarray, keep_fraction: float = 0.2) -> np.ndarray:
    """Components at least ``keep_fraction`` of the largest one (drops specks)."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    if count <= 2:
        return mask
    areas = stats[1:, cv2.CC_STAT_AREA]
    keep = np.flatnonzero(areas >= keep_fraction * areas.max()) + 1
    return np.isin(labels, keep)


def box_region(prob_box: np.ndarray) -> np.ndarray:
    """The lesion inside a box from a probability map restricted to the box."""
    region = prob_box >= 0.5
    if region.mean() < MIN_FILL:
        peak = float(prob_box.max())
        region = prob_box >= max(0.5 * peak, 0.05)
    return _largest_components(region)


def tightness(region: np.ndarray) -> float:
    """The region's bounding box as a fraction of the box (1: it spans the box)."""
    rows, cols = np.flatnonzero(region.any(axis=1)), np.flatnonzero(region.any(axis=0))
    if rows.size == 0:
        return 0.0
    return float((rows[-1] - rows[0] + 1) * (cols[-1] - cols[0] + 1)) / region.size


class BoxPrompt:
    """The box method: crop, zoom, predict, map back, replace inside the box."""

    def __init__(self, runner: CropRunner, margin: float = MARGIN) -> None:
        self.runner = runner
        self.margin = margin

    def __call__(
        self, image: np.ndarray, prompts: Prompts, mask: np.ndarray, probability: np.ndarray | None
    ) -> PromptResult:
        box = prompts.box
        assert box is not None
        shape = mask.shape
        crop = expand_rect((box.x0, box.y0, box.x1, box.y1), self.margin, shape)
        prob_crop = self.runner.probability(image, crop)
        inner = (slice(box.y0 - crop[1], box.y1 - crop[1]), slice(box.x0 - crop[0], box.x1 - crop[0]))
        inside = (slice(box.y0, box.y1), slice(box.x0, box.x1))
        prob_box = prob_crop[inner]
        region = box_region(prob_box)
        if probability is not None:
            frame_region = box_region(probability[inside])
            if tightness(frame_region) > tightness(region) + CROP_PREFERENCE:
                region, prob_box = frame_region, probability[inside]
        new_mask = mask.copy()
        new_mask[inside] = region
        prob = np.zeros(shape, np.float32) if probability is None else probability.copy()
        prob[inside] = prob_box
        return PromptResult(new_mask, prob)
