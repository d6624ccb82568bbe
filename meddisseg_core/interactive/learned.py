"""Prompts through the learned refiner (:mod:`.refiner`): the shipped click and box methods.

Click: the refiner redraws the mask inside the focus crop around the current mask and the
clicks; nothing outside the crop changes. A click on its own side changes nothing; the first
positive click on an empty mask starts from the network's object under it (as ``local`` does).
If the refiner's answer ignores the newest click (its pixel keeps the wrong label), the
hand-made method's answer is used instead, so a click always does what it says.

Two rules on top of the trained network, measured on Kvasir-SEG val from the proposal (NoC@85 /
NoC@90, 120 images, ``benchmarks/bench_interactive.py``) and checked on 102 CVC-ClinicDB frames
from the shipped model's own proposals (``benchmarks/bench_clicks_clinicdb.py``; the refiner never
started from those proposals in training):

- the current mask enters as a belief, 0.1 outside and 0.9 inside (:data:`PRIOR_WEIGHT`), not as
  0 and 1: with a hard prior the refiner carved a false region away one disc per negative click
  (val 2.62 / 4.33 -> 2.38 / 4.08; ClinicDB 2.98 / 4.68 -> 2.89 / 4.62). 0.7 and 0.6 were
  also tried on val (2.32 / 4.09, 2.38 / 4.30);
- a zoomed second pass (FocalClick's focus crop, :func:`zoom_rect`): where the first pass changed
  the mask only near the click, the refiner runs again on a crop around that change, 1.75 times
  its size, and redraws only that crop (both rules, with the seam band below: val 2.37 / 3.94,
  ClinicDB 2.77 / 4.61; the second pass costs a click ~0.05 s: p95 0.126 s on the 2-core EPYC).

Each pass pastes its crop but for a thin band along the crop's edges (:func:`paste`), where the
refiner, blind beyond its crop, could leave a seam.

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

PRIOR_WEIGHT = 0.8  # the click refiner sees the mask as 0.5 + PRIOR_WEIGHT * (mask - 0.5)
ZOOM_EXPAND = 1.75  # the zoomed crop's side: the first pass's change near the click times this
ZOOM_MIN_FRACTION = 0.2  # ... at least this fraction of the first crop's side (and 32 px)
ZOOM_MAX_FRACTION = 0.7  # a zoom that would not shrink the crop below this fraction is skipped
SEAM = 8  # a crop's edge band (input pixels) where the mask is kept as it was (see paste)

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
        """``prior`` may be soft (values in [0, 1])."""
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
        clicks = list(prompts.clicks)
        rect = R.focus_rect(prior, clicks)
        new_mask = paste(mask, self.refine(image, belief(prior), clicks, rect), rect)
        if new_mask[y, x] != click.positive:
            return self.fallback(image, prompts, mask, prob)
        zoom = zoom_rect(mask, new_mask, click, rect)
        if zoom is not None:
            # A hard prior here: the first pass's answer is the starting point (ClinicDB NoC@90
            # 4.56 against 4.69 with the soft belief, val equal; before the crop's rounding fix).
            zoomed = paste(new_mask, self.refine(image, new_mask, clicks, zoom), zoom)
            if zoomed[y, x] == click.positive:  # the zoomed answer must honour the click too
                new_mask = zoomed
        return PromptResult(new_mask, prob)


def belief(mask: np.ndarray) -> np.ndarray:
    """The mask as the click refiner's soft prior: 0.5 - w/2 outside, 0.5 + w/2 inside (w = PRIOR_WEIGHT)."""
    return (0.5 - PRIOR_WEIGHT / 2 + PRIOR_WEIGHT * mask.astype(np.float32)).astype(np.float32)


def paste(mask: np.ndarray, answer: np.ndarray, rect: R.Rect) -> np.ndarray:
    """A copy of ``mask`` with the refiner's ``answer`` for ``rect`` pasted, but for a band along its edges.

    The refiner sees nothing beyond its crop, so along the crop's edge it may disagree with the
    mask just outside it; pasted whole, the zoomed crops left one-pixel seams through the lesion
    (on 40 val images after five clicks, 26 had more than 20 seam pixels, against 6 before the
    zoom; with the band, 2). The band, SEAM input pixels wide, keeps ``mask``'s values; at the
    image's own border there is no band.
    """
    x0, y0, x1, y1 = rect
    height, width = mask.shape
    band = max(1, int(np.ceil(SEAM * max(x1 - x0, y1 - y0) / R.INPUT_SIZE)))
    top, left = (0 if y0 == 0 else band), (0 if x0 == 0 else band)
    bottom, right = (0 if y1 == height else band), (0 if x1 == width else band)
    out = mask.copy()
    out[y0 + top : y1 - bottom, x0 + left : x1 - right] = answer[
        top : answer.shape[0] - bottom, left : answer.shape[1] - right
    ]
    return out


def zoom_rect(before: np.ndarray, after: np.ndarray, click: Click, rect: R.Rect) -> R.Rect | None:
    """The crop of the zoomed second pass, or None when zooming would not shrink ``rect`` enough.

    The crop is a square around the connected part of ``before != after`` under the click (or the
    click alone when its pixel did not change), ZOOM_EXPAND times its larger side, at least
    ZOOM_MIN_FRACTION of ``rect``'s larger side and 32 px, moved inside the image.
    """
    height, width = after.shape
    side_first = max(rect[2] - rect[0], rect[3] - rect[1])
    x0, y0, x1, y1 = click.x, click.y, click.x + 1, click.y + 1
    # The first pass changed nothing outside ``rect``: label the change there, not in the frame.
    rx0, ry0, rx1, ry1 = rect
    changed = (before[ry0:ry1, rx0:rx1] != after[ry0:ry1, rx0:rx1]).astype(np.uint8)
    _count, labels, stats, _ = cv2.connectedComponentsWithStats(changed, connectivity=8)
    inside = rx0 <= click.x < rx1 and ry0 <= click.y < ry1
    label = labels[click.y - ry0, click.x - rx0] if inside else 0
    if label > 0:
        sx, sy, sw, sh, _area = (int(v) for v in stats[label])
        sx, sy = sx + rx0, sy + ry0
        x0, y0, x1, y1 = min(x0, sx), min(y0, sy), max(x1, sx + sw), max(y1, sy + sh)
    side = max(max(x1 - x0, y1 - y0) * ZOOM_EXPAND, ZOOM_MIN_FRACTION * side_first, 32.0)
    if side >= ZOOM_MAX_FRACTION * side_first:
        return None
    side_x, side_y = min(round(side), width), min(round(side), height)
    left = int(np.clip(round((x0 + x1 - side_x) / 2), 0, width - side_x))
    top = int(np.clip(round((y0 + y1 - side_y) / 2), 0, height - side_y))
    return left, top, left + side_x, top + side_y


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
