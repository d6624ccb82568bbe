"""Box prompt: the network on the box's crop with a context margin; the result replaces the box.

Outside the box nothing changes. The crop is zoomed to the network's input size, so small
lesions are seen larger than in the full-frame pass. Inside the box, the mask becomes the crop's
map blended half and half with a blurred ellipse inscribed in the box
(:func:`~meddisseg_core.interactive.refiner.box_prior`), cut at 0.5: the person's box says where
the lesion is and how large, the network where its edge runs (IoU in the box on Kvasir-SEG val:
crop map alone 0.758, ellipse alone 0.771, the blend 0.824). When that is nearly empty, the most
probable region is taken at a lower, relative threshold, because the person said a lesion is
there. This is the hand-made method; :class:`~.learned.LearnedBox` refines it when the learned
refiner ships.
"""

from __future__ import annotations

import cv2
import numpy as np

from meddisseg_core.interactive.crops import CropRunner, expand_rect
from meddisseg_core.interactive.prompts import PromptResult, Prompts
from meddisseg_core.interactive.refiner import box_prior

MARGIN = 0.3  # context on each side, as a fraction of the box's side
MIN_FILL = 0.02  # a box result smaller than this fraction of the box falls back to a relative threshold


def largest_components(mask: np.ndarray, keep_fraction: float = 0.2) -> np.ndarray:
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
    return largest_components(region)


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
        region = box_region(box_prior(prob_box))
        new_mask = mask.copy()
        new_mask[inside] = region
        prob = np.zeros(shape, np.float32) if probability is None else probability.copy()
        prob[inside] = prob_box
        return PromptResult(new_mask, prob)
