"""The click methods the benchmark measured against ``ours`` (kept so the table can be rerun).

- ``offset`` (:class:`BoundaryOffset`): the boundary near the click moves by the error's width,
  fading along it (geometry only; the image is not looked at).
- ``threshold`` (:class:`LocalThreshold`): the click moves the probability threshold near it.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from meddisseg_core.interactive.clicks import LocalWatershed, component_at, disk, distance_at
from meddisseg_core.interactive.crops import CropRunner
from meddisseg_core.interactive.prompts import Click, PromptResult, Prompts


@dataclass
class BoundaryOffset(LocalWatershed):
    """``offset``: the click moves the nearby boundary by the error's width, fading along it.

    A click at depth w inside an error region says the boundary there is about 2w off. The
    boundary moves by 2w × a Gaussian of the distance to the click (sigma = ``reach`` × w), so a
    long band of the same error is fixed along its length, and nothing far away changes.
    Whole missed objects and false blobs are handled as in the watershed method.
    """

    reach: float = 4.0
    width: float = 2.0

    def __call__(
        self, image: np.ndarray, prompts: Prompts, mask: np.ndarray, probability: np.ndarray | None
    ) -> PromptResult:
        prob, new_mask, settled = self._settled(image, prompts, mask, probability)
        if settled is not None:
            return settled
        click = prompts.clicks[-1]
        x, y = click.x, click.y
        side = mask != click.positive  # the side of the boundary the click is on
        depth = distance_at(side, x, y)
        sigma = max(self.reach * depth, 4.0)
        radius = 3.0 * sigma
        shape = mask.shape
        x0, y0 = max(0, int(x - radius)), max(0, int(y - radius))
        x1, y1 = min(shape[1], int(x + radius + 1)), min(shape[0], int(y + radius + 1))
        local_side = side[y0:y1, x0:x1].astype(np.uint8)
        # Distance of each pixel on the click's side to the boundary, inside the window.
        to_boundary = cv2.distanceTransform(local_side, cv2.DIST_L2, 5)
        yy, xx = np.mgrid[y0:y1, x0:x1]
        fade = np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2.0 * sigma**2))
        moved = (local_side > 0) & (to_boundary <= self.width * depth * fade + 0.5)
        moved = component_at(moved | ~local_side.astype(bool), x - x0, y - y0) & moved
        moved[y - y0, x - x0] = True
        for old in prompts.clicks[:-1]:  # never flip an earlier click's pixel
            if x0 <= old.x < x1 and y0 <= old.y < y1 and old.positive != click.positive:
                moved[old.y - y0, old.x - x0] = False
        new_mask[y0:y1, x0:x1][moved] = click.positive
        return PromptResult(new_mask, prob)


@dataclass
class LocalThreshold:
    """``threshold``: the click moves the probability threshold near the click only.

    A positive click outside the mask adds the pixels connected to it whose probability is at
    least the click's (a lower threshold there), within ``reach`` × the click's distance to the
    mask. A negative click inside the mask removes the whole component when the click sits at
    its core (a false blob), else the pixels connected to it whose probability is at most the
    click's (a higher threshold there), within the same kind of reach. Where the network saw
    nothing under a positive click, a small disc is added (no network pass per click).
    """

    runner: CropRunner
    reach: float = 3.0
    slack: float = 0.85  # threshold = slack × p(click), so the click's own neighbourhood is included
    core: float = 0.5  # a negative click at >= core × the component's thickest point removes it whole

    def __call__(
        self, image: np.ndarray, prompts: Prompts, mask: np.ndarray, probability: np.ndarray | None
    ) -> PromptResult:
        click = prompts.clicks[-1]
        prob = self.runner.full(image).copy() if probability is None else probability.copy()
        new_mask = mask.copy()
        if click.positive and not mask[click.y, click.x]:
            new_mask |= self._add(image, click, mask, prob)
        elif not click.positive and mask[click.y, click.x]:
            new_mask &= ~self._remove(prompts, click, mask, prob)
        return PromptResult(new_mask, prob)

    def _add(self, image: np.ndarray, click: Click, mask: np.ndarray, prob: np.ndarray) -> np.ndarray:
        x, y = click.x, click.y
        p = float(prob[y, x])
        if p < 0.01:
            return disk(mask.shape, x, y, max(2.0, distance_at(~mask, x, y) / 2))
        region = component_at(prob >= self.slack * p, x, y)
        if mask.any():
            reach = self.reach * max(distance_at(~mask, x, y), 2.0)
            region &= disk(mask.shape, x, y, reach)
            region = component_at(region, x, y)
        return region

    def _remove(self, prompts: Prompts, click: Click, mask: np.ndarray, prob: np.ndarray) -> np.ndarray:
        x, y = click.x, click.y
        comp = component_at(mask, x, y)
        positives = [c for c in prompts.clicks if c.positive and comp[c.y, c.x]]
        depth = distance_at(comp, x, y)
        thickest = float(cv2.distanceTransform(np.pad(comp.astype(np.uint8), 1), cv2.DIST_L2, 5).max())
        if not positives and depth >= self.core * thickest:
            return comp
        p = float(prob[y, x])
        region = component_at(comp & (prob <= min(1.0, p / self.slack)), x, y)
        region &= disk(mask.shape, x, y, self.reach * max(depth, 2.0))
        region = component_at(region, x, y)
        for c in positives:  # never drop a pixel the person marked as lesion
            region[c.y, c.x] = False
        return region
