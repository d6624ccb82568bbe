"""Prompts through the learned refiner (:mod:`.refiner`): the shipped click and box methods.

Click: the refiner redraws the mask inside the focus crop around the current mask and the
clicks; nothing outside the crop changes. A click on its own side changes nothing; the first
positive click on an empty mask starts from the network's object under it (as ``local`` does).
If the refiner's answer ignores the newest click (its pixel keeps the wrong label), the
hand-made method's answer is used instead, so a click always does what it says.

Box: the network runs on the box's crop (as :class:`~.box.BoxPrompt` does); its map inside the
box, blended with an inscribed ellipse (:func:`.refiner.box_prior`), goes to the refiner with
the box; the refiner's mask replaces the box's inside.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import torch

from meddisseg_core.imageio import to_model_uint8
from meddisseg_core.interactive import refiner as R
from meddisseg_core.interactive.box import MARGIN, largest_components
from meddisseg_core.interactive.crops import CropRunner, expand_rect
from meddisseg_core.interactive.prompts import Click, PromptResult, Prompts

_CACHE: dict[Path, R.RefinerNet] = {}
_LOCK = threading.Lock()


def cached_refiner(path: Path) -> R.RefinerNet:
    """The refiner in ``path``, loaded once per process (it is read-only at inference)."""
    path = Path(path).resolve()
    with _LOCK:
        net = _CACHE.get(path)
        if net is None:
            net = _CACHE[path] = R.load_refiner(path)
        return net


class Refine:
    """Runs the refiner on one crop and returns the crop's mask at the crop's own size.

    The answer is the mean of the crop and its mirror image (flipped left-right, answered,
    flipped back): on Kvasir-SEG val from the proposal this took NoC@85/90 from 2.83/4.70 to
    2.64/4.29 for the first trained refiner, for a second ~10 ms pass.
    """

    def __init__(self, net: R.RefinerNet) -> None:
        self.net = net

    def __call__(
        self,
        image: np.ndarray,
        prior: np.ndarray,
        clicks: list[Click],
        rect: R.Rect,
        box: R.Rect | None = None,
    ) -> np.ndarray:
        x0, y0, x1, y1 = rect
        rgb = image if image.dtype == np.uint8 else to_model_uint8(image)  # the models' one pixel rule
        inputs = torch.from_numpy(R.encode(rgb, prior, clicks, rect, box))[None]
        with torch.inference_mode():
            mirrored = torch.flip(self.net(torch.flip(inputs, (-1,))), (-1,))
            prob = ((torch.sigmoid(self.net(inputs)) + torch.sigmoid(mirrored)) / 2)[0, 0].numpy()
        return cv2.resize(prob, (x1 - x0, y1 - y0), interpolation=cv2.INTER_LINEAR) >= 0.5


class LearnedClick:
    """``ours`` when the refiner ships: the refiner redraws the focus crop after each click."""

    def __init__(self, runner: CropRunner, net: R.RefinerNet, fallback: Callable[..., PromptResult]) -> None:
        self.runner = runner
        self.refine = Refine(net)
        self.fallback = fallback  # the hand-made method: its shared cases, and a guard

    def __call__(
        self, image: np.ndarray, prompts: Prompts, mask: np.ndarray, probability: np.ndarray | None
    ) -> PromptResult:
        from meddisseg_core.interactive.clicks import object_at

        click = prompts.clicks[-1]
        x, y = click.x, click.y
        prob = self.runner.full(image).copy() if probability is None else probability.copy()
        if mask[y, x] == click.positive:
            return PromptResult(mask.copy(), prob)
        prior = mask
        if click.positive and not mask.any() and prob[y, x] >= 0.05:
            prior = object_at(prob, x, y)
        rect = R.focus_rect(prior, prompts.clicks)
        x0, y0, x1, y1 = rect
        new_mask = mask.copy()
        new_mask[y0:y1, x0:x1] = self.refine(image, prior, list(prompts.clicks), rect)
        if new_mask[y, x] != click.positive:
            return self.fallback(image, prompts, mask, prob)
        return PromptResult(new_mask, prob)


class LearnedBox:
    """The box method when the refiner ships: network crop map + ellipse prior, redrawn by the refiner."""

    def __init__(self, runner: CropRunner, net: R.RefinerNet, margin: float = MARGIN) -> None:
        self.runner = runner
        self.refine = Refine(net)
        self.margin = margin

    def __call__(
        self, image: np.ndarray, prompts: Prompts, mask: np.ndarray, probability: np.ndarray | None
    ) -> PromptResult:
        box = prompts.box
        assert box is not None
        shape = mask.shape
        rect_box = (box.x0, box.y0, box.x1, box.y1)
        crop = expand_rect(rect_box, self.margin, shape)
        prob_crop = self.runner.probability(image, crop)
        inner = (slice(box.y0 - crop[1], box.y1 - crop[1]), slice(box.x0 - crop[0], box.x1 - crop[0]))
        inside = (slice(box.y0, box.y1), slice(box.x0, box.x1))
        prior = np.zeros(shape, np.float32)
        prior[inside] = R.box_prior(prob_crop[inner])
        rect = R.square_rect(box.x0, box.y0, box.x1, box.y1, shape)
        x0, y0, x1, y1 = rect
        drawn = np.zeros(shape, dtype=bool)
        drawn[y0:y1, x0:x1] = self.refine(image, prior, [], rect, rect_box)
        region = largest_components(drawn[inside])
        if not region.any():  # the refiner saw nothing: the blended prior still says where
            region = largest_components(prior[inside] >= 0.5)
        new_mask = mask.copy()
        new_mask[inside] = region
        prob = np.zeros(shape, np.float32) if probability is None else probability.copy()
        prob[inside] = prob_crop[inner]
        return PromptResult(new_mask, prob)
