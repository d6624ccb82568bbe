"""Click methods: how the newest click changes the mask, near the click only.

Each method is a callable ``(image, prompts, mask, probability) -> PromptResult`` (the
:class:`~meddisseg_core.interactive.segmenter.ClickMethod` protocol). :data:`CLICK_METHODS`
names them; ``ours`` is the shipped one: the learned refiner (:mod:`.learned`) when its file is
installed, else ``local`` (:class:`LocalWatershed`, hand-made); the others
(:mod:`.click_alternatives`) are what the benchmark measured against them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from meddisseg_core.imageio import to_model_uint8
from meddisseg_core.interactive.crops import CropRunner
from meddisseg_core.interactive.prompts import Click, PromptResult, Prompts


def component_at(region: np.ndarray, x: int, y: int) -> np.ndarray:
    """The 8-connected component of ``region`` that holds (x, y) (empty if (x, y) is not in it)."""
    if not region[y, x]:
        return np.zeros_like(region, dtype=bool)
    _, labels = cv2.connectedComponents(region.astype(np.uint8), connectivity=8)
    return labels == labels[y, x]


def object_at(prob: np.ndarray, x: int, y: int, slack: float = 0.85) -> np.ndarray:
    """The object under (x, y) in a probability map, cut at half its peak (at most at 0.5).

    An object the network was unsure of (peak 0.3, say) is cut where its probability falls to
    half the peak, which for a blurred blob is where its edge is, rather than at 0.5 (nothing)
    or at the click's own value (too tight). The cut never excludes the click itself.
    """
    seed = component_at(prob >= min(0.5, slack * float(prob[y, x])), x, y)
    peak = float(prob[seed].max()) if seed.any() else float(prob[y, x])
    return component_at(prob >= min(0.5, 0.5 * peak, slack * float(prob[y, x])), x, y)


def distance_at(region: np.ndarray, x: int, y: int) -> float:
    """Distance from (x, y), inside ``region``, to the nearest pixel outside it (image border included)."""
    padded = np.pad(region.astype(np.uint8), 1)
    return float(cv2.distanceTransform(padded, cv2.DIST_L2, 5)[y + 1, x + 1])


def disk(shape: tuple[int, int], x: int, y: int, radius: float) -> np.ndarray:
    out = np.zeros(shape, np.uint8)
    radius = min(radius, float(sum(shape)))  # larger discs cover the image anyway
    cv2.circle(out, (x, y), max(1, round(radius)), 1, -1)
    return out.astype(bool)


@dataclass
class LocalWatershed:
    """``ours``: a whole object when the click plainly asks for one, else a local watershed.

    A positive click on a lesion the mask missed entirely adds the network's region under it
    (cut at half its peak); a negative click at the core of a blob with no positive click in it
    removes the blob. Otherwise the click is near the boundary: let w be its distance to the
    boundary (the error's half-width, for the usual annotator). Within a disc of radius
    ``reach`` × w around the click, the pixels at most ``band`` × w from the current boundary
    are decided again by a watershed on the image with the probability map as a second
    channel, seeded by the click, the earlier clicks and the mask around the band as it is;
    the boundary there snaps to the strongest edges, and the click's own basin flips.
    Nothing outside the disc changes, and no network pass runs. ``band=None`` decides the
    whole disc but flips only the click's basin (the ``watershed`` alternative).
    The first positive click on an empty mask takes the network's object under it.
    """

    runner: CropRunner
    reach: float = 4.0
    seed_fraction: float = 0.9  # the click's seed disc, as a fraction of its distance to the boundary
    prob_weight: float = 1.0  # how strongly the probability map's edges count beside the image's
    slack: float = 0.85
    objects: bool = True  # whole missed objects added, whole false blobs removed (see _whole_object)
    core: float = 0.5
    max_object: float = 0.25  # a missed object larger than this fraction of the frame is not taken whole
    band: float | None = 2.0  # re-decide the pixels this many depths from the boundary (None: see above)

    def _whole_object(
        self, prompts: Prompts, click: Click, mask: np.ndarray, prob: np.ndarray
    ) -> np.ndarray | None:
        """A whole object to flip, when the click plainly asks for one; None otherwise.

        Positive: the network's region under the click (at ``slack`` × its probability there)
        when it is apart from the mask, holds no negative click and is not huge: a missed
        lesion. Negative: the mask's component under the click when the click sits at its core
        and no positive click is in it: a false blob.
        """
        x, y = click.x, click.y
        if click.positive:
            p = float(prob[y, x])
            if p < 0.05:
                return None
            region = object_at(prob, x, y, self.slack)
            if (region & mask).any() or region.mean() > self.max_object:
                return None
            if any(region[c.y, c.x] for c in prompts.clicks if not c.positive):
                return None
            return region
        comp = component_at(mask, x, y)
        if any(comp[c.y, c.x] for c in prompts.clicks if c.positive):
            return None
        thickest = float(cv2.distanceTransform(np.pad(comp.astype(np.uint8), 1), cv2.DIST_L2, 5).max())
        return comp if distance_at(comp, x, y) >= self.core * thickest else None

    def _settled(
        self, image: np.ndarray, prompts: Prompts, mask: np.ndarray, probability: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray, PromptResult | None]:
        """(probability, copy of the mask, the answer when no boundary has to move, else None).

        The cases every boundary method shares: a click on its own side changes nothing; a
        positive click on an empty mask takes the network's object; a whole missed object or
        false blob is added or removed (when ``objects``).
        """
        click = prompts.clicks[-1]
        prob = self.runner.full(image).copy() if probability is None else probability.copy()
        new_mask = mask.copy()
        x, y = click.x, click.y
        if mask[y, x] == click.positive:
            return prob, new_mask, PromptResult(new_mask, prob)
        if click.positive and not mask.any():
            return prob, new_mask, PromptResult(new_mask | object_at(prob, x, y, self.slack), prob)
        if self.objects:
            whole = self._whole_object(prompts, click, mask, prob)
            if whole is not None:
                new_mask[whole] = click.positive
                return prob, new_mask, PromptResult(new_mask, prob)
        return prob, new_mask, None

    def __call__(
        self, image: np.ndarray, prompts: Prompts, mask: np.ndarray, probability: np.ndarray | None
    ) -> PromptResult:
        prob, new_mask, settled = self._settled(image, prompts, mask, probability)
        if settled is not None:
            return settled
        click = prompts.clicks[-1]
        x, y = click.x, click.y
        depth = distance_at(mask != click.positive, x, y)  # inside the error side of the boundary
        radius = max(self.reach * depth, 6.0)
        shape = mask.shape
        x0, y0 = max(0, int(x - radius - 2)), max(0, int(y - radius - 2))
        x1, y1 = min(shape[1], int(x + radius + 3)), min(shape[0], int(y + radius + 3))
        crop_mask = mask[y0:y1, x0:x1]
        cx, cy = x - x0, y - y0
        markers = np.where(crop_mask, 2, 1).astype(np.int32)
        unknown = disk(crop_mask.shape, cx, cy, radius)
        if self.band is not None:
            # Only a band along the current boundary is decided again (snapped to edges).
            m8 = crop_mask.astype(np.uint8)
            to_edge = np.maximum(
                cv2.distanceTransform(m8, cv2.DIST_L2, 5), cv2.distanceTransform(1 - m8, cv2.DIST_L2, 5)
            )
            unknown &= to_edge <= self.band * max(depth, 1.0) + 1.0
        markers[unknown] = 0
        for old in prompts.clicks[:-1]:
            if x0 <= old.x < x1 and y0 <= old.y < y1:
                cv2.circle(markers, (old.x - x0, old.y - y0), 2, 2 if old.positive else 1, -1)
        seed = max(1.0, self.seed_fraction * depth)
        label = 3  # the click's own basin
        cv2.circle(markers, (cx, cy), max(1, round(seed)), label, -1)
        rgb = to_model_uint8(image[y0:y1, x0:x1])  # the models' one pixel rule (16-bit: /257, rounded)
        grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        p8 = np.clip(prob[y0:y1, x0:x1] * 255 * self.prob_weight, 0, 255).astype(np.uint8)
        composite = np.ascontiguousarray(np.dstack([grey, p8, rgb[:, :, 0]]))
        cv2.watershed(composite, markers)
        basin = markers == label
        # Watershed lines (-1) between the click's basin and the rest follow the basin.
        lines = markers == -1
        basin |= lines & (cv2.dilate(basin.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0)
        local = new_mask[y0:y1, x0:x1]
        if self.band is not None:
            local[unknown & (markers == 2)] = True
            local[unknown & (markers == 1)] = False
        local[basin] = click.positive
        return PromptResult(new_mask, prob)


def _ours(runner: CropRunner, refiner: Any = None) -> Callable[..., PromptResult]:
    """The shipped click method: the learned refiner when one is loaded, else ``local``."""
    if refiner is None:
        return LocalWatershed(runner)
    from meddisseg_core.interactive.learned import LearnedClick

    return LearnedClick(runner, refiner, LocalWatershed(runner))


def _methods() -> dict[str, Callable[..., Callable[..., PromptResult]]]:
    from meddisseg_core.interactive.click_alternatives import BoundaryOffset, LocalThreshold

    return {
        "ours": _ours,
        "local": LocalWatershed,
        "watershed": lambda runner: LocalWatershed(runner, reach=3.0, band=None, objects=False),
        "offset": BoundaryOffset,
        "threshold": lambda runner: LocalThreshold(runner, reach=2.0),
    }


CLICK_METHODS: dict[str, Callable[..., Callable[..., PromptResult]]] = {}


def click_method_named(name: str, runner: CropRunner, refiner: Any = None) -> Callable[..., PromptResult]:
    """The click method ``name`` of :data:`CLICK_METHODS`, built on ``runner`` (``ours`` uses ``refiner``)."""
    from meddisseg_core.errors import ConfigError

    if not CLICK_METHODS:
        CLICK_METHODS.update(_methods())
    try:
        factory = CLICK_METHODS[name]
    except KeyError:
        raise ConfigError(f"unknown click method {name!r}; known: {sorted(CLICK_METHODS)}") from None
    return factory(runner, refiner) if name == "ours" else factory(runner)
