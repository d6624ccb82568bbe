"""Click methods: how the newest click changes the mask, near the click only.

Each method is a callable ``(image, prompts, mask, probability) -> PromptResult`` (the
:class:`~meddisseg_core.interactive.segmenter.ClickMethod` protocol). :data:`CLICK_METHODS`
names them; ``ours`` is the shipped one, the others are the alternatives the benchmark measures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from meddisseg_core.interactive.crops import CropRunner, square_around
from meddisseg_core.interactive.prompts import Click, PromptResult, Prompts

CROP_FRACTION = 0.4  # side of the crop re-run around a positive click, as a fraction of the image's long side


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
    or at the click's own value (too tight).
    """
    seed = component_at(prob >= min(0.5, slack * float(prob[y, x])), x, y)
    peak = float(prob[seed].max()) if seed.any() else float(prob[y, x])
    return component_at(prob >= min(0.5, 0.5 * peak), x, y)


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
class LocalThreshold:
    """``ours``: the click moves the probability threshold near the click only.

    A positive click outside the mask adds the pixels connected to it whose probability is at
    least the click's (a lower threshold there), within ``reach`` × the click's distance to the
    mask. A negative click inside the mask removes the whole component when the click sits at
    its core (a false blob), else the pixels connected to it whose probability is at most the
    click's (a higher threshold there), within the same kind of reach. Where the network saw
    nothing under a positive click, the network is re-run on a crop around it, zoomed in.
    """

    runner: CropRunner
    reach: float = 3.0
    slack: float = 0.85  # threshold = slack × p(click), so the click's own neighbourhood is included
    core: float = 0.5  # a negative click at >= core × the component's thickest point removes it whole
    rescue_below: float = 0.02  # p(click) under this: re-run the network on a crop (missed lesion)

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
        if p < self.rescue_below:
            self._rescue(image, click, prob)
            p = float(prob[y, x])
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

    def _rescue(self, image: np.ndarray, click: Click, prob: np.ndarray) -> None:
        """Re-run the network on a crop around the click and keep its map there (cached)."""
        shape = prob.shape
        rect = square_around(click.x, click.y, max(64, int(CROP_FRACTION * max(shape))), shape)
        x0, y0, x1, y1 = rect
        local = self.runner.probability(image, rect)
        prob[y0:y1, x0:x1] = np.maximum(prob[y0:y1, x0:x1], local)


@dataclass
class LocalWatershed:
    """``watershed``: the click decides a disc around it by a watershed between seeds.

    Seeds: the click (its label), the earlier clicks, and the current mask outside the disc
    (foreground and background as they are). The disc's radius is ``reach`` × the click's
    distance to the mask's boundary, so a click deep in an error region decides a larger area.
    The watershed floods the image (with the probability map as an extra channel, so its
    edges count too) and the click's basin flips. The first positive click on an empty mask
    takes the network's region under it instead (there is no boundary to measure yet).
    """

    runner: CropRunner
    reach: float = 3.0
    seed_fraction: float = 0.4  # the click's seed disc, as a fraction of its distance to the boundary
    prob_weight: float = 1.0  # how strongly the probability map's edges count beside the image's
    slack: float = 0.85
    objects: bool = True  # whole missed objects added, whole false blobs removed (see _whole_object)
    core: float = 0.5
    max_object: float = 0.25  # a missed object larger than this fraction of the frame is not taken whole

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

    def __call__(
        self, image: np.ndarray, prompts: Prompts, mask: np.ndarray, probability: np.ndarray | None
    ) -> PromptResult:
        click = prompts.clicks[-1]
        prob = self.runner.full(image).copy() if probability is None else probability.copy()
        new_mask = mask.copy()
        x, y = click.x, click.y
        if mask[y, x] == click.positive:
            return PromptResult(new_mask, prob)
        if click.positive and not mask.any():
            return PromptResult(new_mask | object_at(prob, x, y, self.slack), prob)
        if self.objects:
            whole = self._whole_object(prompts, click, mask, prob)
            if whole is not None:
                new_mask[whole] = click.positive
                return PromptResult(new_mask, prob)
        depth = distance_at(mask != click.positive, x, y)  # inside the error side of the boundary
        radius = max(self.reach * depth, 6.0)
        shape = mask.shape
        x0, y0 = max(0, int(x - radius - 2)), max(0, int(y - radius - 2))
        x1, y1 = min(shape[1], int(x + radius + 3)), min(shape[0], int(y + radius + 3))
        crop_mask = mask[y0:y1, x0:x1]
        cx, cy = x - x0, y - y0
        markers = np.where(crop_mask, 2, 1).astype(np.int32)
        markers[disk(crop_mask.shape, cx, cy, radius)] = 0
        for old in prompts.clicks[:-1]:
            if x0 <= old.x < x1 and y0 <= old.y < y1:
                cv2.circle(markers, (old.x - x0, old.y - y0), 2, 2 if old.positive else 1, -1)
        seed = max(1.0, self.seed_fraction * depth)
        label = 3  # the click's own basin
        cv2.circle(markers, (cx, cy), max(1, round(seed)), label, -1)
        rgb = np.ascontiguousarray(image[y0:y1, x0:x1, :3])
        if rgb.dtype != np.uint8:
            rgb = (rgb // 257).astype(np.uint8)
        grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        p8 = np.clip(prob[y0:y1, x0:x1] * 255 * self.prob_weight, 0, 255).astype(np.uint8)
        composite = np.ascontiguousarray(np.dstack([grey, p8, rgb[:, :, 0]]))
        cv2.watershed(composite, markers)
        basin = markers == label
        # Watershed lines (-1) between the click's basin and the rest follow the basin.
        lines = markers == -1
        basin |= lines & (cv2.dilate(basin.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0)
        new_mask[y0:y1, x0:x1][basin] = click.positive
        return PromptResult(new_mask, prob)


@dataclass
class ObjectThreshold:
    """``object-threshold``: a click moves the threshold of the whole object it corrects.

    A positive click at probability p outside the mask grows the object it touches to the
    region connected to the click where the probability is at least ``slack`` × p; a negative
    click at p inside it shrinks the object to where the probability is above p / ``slack``,
    keeping the part with the earlier positive clicks (or the largest part). A negative click at
    the core of a blob without positive clicks removes the blob. When the new threshold does not
    give a sensible region (it floods past ``max_growth`` × the object, or the probability is
    saturated under the click), the local watershed decides instead.
    """

    runner: CropRunner
    slack: float = 0.85
    core: float = 0.5
    max_growth: float = 2.5
    max_shrink: float = 0.6

    def __post_init__(self) -> None:
        self.fallback = LocalWatershed(self.runner)

    def __call__(
        self, image: np.ndarray, prompts: Prompts, mask: np.ndarray, probability: np.ndarray | None
    ) -> PromptResult:
        click = prompts.clicks[-1]
        prob = self.runner.full(image).copy() if probability is None else probability.copy()
        x, y = click.x, click.y
        if mask[y, x] == click.positive:
            return PromptResult(mask.copy(), prob)
        p = float(prob[y, x])
        negatives = [c for c in prompts.clicks if not c.positive]
        positives = [c for c in prompts.clicks if c.positive]
        if click.positive:
            grown = component_at(prob >= self.slack * p, x, y) if p > 0.01 else None
            if grown is not None:
                touched = component_at(mask | grown, x, y) & mask
                limit = self.max_growth * max(np.count_nonzero(touched), np.pi * 20**2)
                if np.count_nonzero(grown & ~mask) <= limit and not any(grown[c.y, c.x] for c in negatives):
                    return PromptResult(mask | grown, prob)
        else:
            comp = component_at(mask, x, y)
            inside = [c for c in positives if comp[c.y, c.x]]
            depth = distance_at(comp, x, y)
            thickest = float(cv2.distanceTransform(np.pad(comp.astype(np.uint8), 1), cv2.DIST_L2, 5).max())
            if not inside and depth >= self.core * thickest:
                return PromptResult(mask & ~comp, prob)
            threshold = p / self.slack
            if threshold < 0.995:
                kept = comp & (prob > threshold)
                kept = _keep_marked(kept, inside)
                removed = comp & ~kept
                if removed[y, x] and np.count_nonzero(removed) <= self.max_shrink * np.count_nonzero(comp):
                    return PromptResult(mask & ~removed, prob)
        return self.fallback(image, prompts, mask, prob)


def _keep_marked(region: np.ndarray, marks: list[Click]) -> np.ndarray:
    """The components of ``region`` holding a mark, or its largest component when none does."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(region.astype(np.uint8), connectivity=8)
    if count <= 1:
        return region
    keep = {int(labels[c.y, c.x]) for c in marks} - {0}
    if not keep:
        keep = {1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))}
    return np.isin(labels, sorted(keep))


class LocalCropClicks:
    """``crop``: every positive click re-runs the network on a crop around it (slow: one network
    pass per click); negative clicks remove the whole component under them."""

    def __init__(self, runner: CropRunner) -> None:
        self.runner = runner

    def __call__(
        self, image: np.ndarray, prompts: Prompts, mask: np.ndarray, probability: np.ndarray | None
    ) -> PromptResult:
        click = prompts.clicks[-1]
        prob = self.runner.full(image).copy() if probability is None else probability.copy()
        new_mask = mask.copy()
        if click.positive and not mask[click.y, click.x]:
            shape = mask.shape
            rect = square_around(click.x, click.y, max(64, int(CROP_FRACTION * max(shape))), shape)
            x0, y0, x1, y1 = rect
            local = self.runner.probability(image, rect)
            cx, cy = click.x - x0, click.y - y0
            region = component_at(local >= min(0.5, 0.85 * float(local[cy, cx])), cx, cy)
            new_mask[y0:y1, x0:x1] |= region
        elif not click.positive and mask[click.y, click.x]:
            new_mask &= ~component_at(mask, click.x, click.y)
        return PromptResult(new_mask, prob)


CLICK_METHODS: dict[str, Callable[[CropRunner], Callable[..., PromptResult]]] = {
    "ours": LocalWatershed,
    "threshold": LocalThreshold,
    "crop": LocalCropClicks,
    "threshold-noreach": lambda runner: LocalThreshold(runner, reach=1e9),
    "threshold-reach2": lambda runner: LocalThreshold(runner, reach=2.0),
    "threshold-reach5": lambda runner: LocalThreshold(runner, reach=5.0),
    "watershed": lambda runner: LocalWatershed(runner, objects=False),
    "object-threshold": ObjectThreshold,
    "watershed-r2": lambda runner: LocalWatershed(runner, reach=2.0, objects=False),
    "watershed-r5": lambda runner: LocalWatershed(runner, reach=5.0, objects=False),
    "watershed-noprob": lambda runner: LocalWatershed(runner, prob_weight=0.0, objects=False),
}


def click_method_named(name: str, runner: CropRunner) -> Callable[..., PromptResult]:
    """The click method ``name`` of :data:`CLICK_METHODS`, built on ``runner``."""
    from meddisseg_core.errors import ConfigError

    try:
        factory = CLICK_METHODS[name]
    except KeyError:
        raise ConfigError(f"unknown click method {name!r}; known: {sorted(CLICK_METHODS)}") from None
    return factory(runner)
