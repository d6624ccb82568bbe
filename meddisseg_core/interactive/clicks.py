"""Click methods: how the newest click changes the mask, near the click only.

Each method is a callable ``(image, prompts, mask, probability) -> PromptResult`` (the
:class:`~meddisseg_core.interactive.segmenter.ClickMethod` protocol). :data:`CLICK_METHODS`
names them; ``ours`` is the shipped one, the others are the alternatives the benchmark measures.
"""

from __future__ import annotations

from collections.abc import Callable

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


class LocalCropClicks:
    """``ours``: positive clicks add the network's region under the click, seen zoomed in on a crop;
    negative clicks remove the false region under the click. Nothing far from the click changes."""

    def __init__(self, runner: CropRunner) -> None:
        self.runner = runner

    def __call__(
        self, image: np.ndarray, prompts: Prompts, mask: np.ndarray, probability: np.ndarray | None
    ) -> PromptResult:
        click = prompts.clicks[-1]
        shape = mask.shape
        prob = self.runner.full(image) if probability is None else probability.copy()
        new_mask = mask.copy()
        if click.positive and not mask[click.y, click.x]:
            new_mask |= self._add(image, click, prob)
        elif not click.positive and mask[click.y, click.x]:
            new_mask &= ~component_at(mask, click.x, click.y)
        del shape
        return PromptResult(new_mask, prob)

    def _add(self, image: np.ndarray, click: Click, prob: np.ndarray) -> np.ndarray:
        shape = prob.shape
        side = max(64, int(CROP_FRACTION * max(shape)))
        rect = square_around(click.x, click.y, side, shape)
        x0, y0, x1, y1 = rect
        local = self.runner.probability(image, rect)
        cx, cy = click.x - x0, click.y - y0
        threshold = min(0.5, 0.7 * float(local[cy, cx]))
        region = component_at(local >= max(threshold, 1e-3), cx, cy)
        if not region.any():
            region = np.zeros_like(local, dtype=bool)
            cv2.circle(region.view(np.uint8), (cx, cy), max(3, side // 20), 1, -1)
        out = np.zeros(shape, dtype=bool)
        out[y0:y1, x0:x1] = region
        prob[y0:y1, x0:x1] = np.maximum(prob[y0:y1, x0:x1], np.where(region, local, 0))
        return out


CLICK_METHODS: dict[str, Callable[[CropRunner], Callable[..., PromptResult]]] = {
    "ours": LocalCropClicks,
}


def click_method_named(name: str, runner: CropRunner) -> Callable[..., PromptResult]:
    """The click method ``name`` of :data:`CLICK_METHODS`, built on ``runner``."""
    from meddisseg_core.errors import ConfigError

    try:
        factory = CLICK_METHODS[name]
    except KeyError:
        raise ConfigError(f"unknown click method {name!r}; known: {sorted(CLICK_METHODS)}") from None
    return factory(runner)
