"""Before and after: two models scored on the same held-out images (Dice and IoU per image, mean).

Masks are compared at each image's own resolution, the proposal thresholded as the app does,
so the numbers are what an annotator would see.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np

from meddisseg_core.imageio import read_image, read_mask, to_uint8
from meddisseg_core.metrics import segmentation_metrics

PROTOCOL = "mean per image over the held-out approved images; proposal > {threshold}; original resolution"


class HeldOutImage(NamedTuple):
    key: str
    image: Path
    mask: Path


class ModelScores(NamedTuple):
    dice: float
    iou: float
    per_image: dict[str, tuple[float, float]]  # key -> (dice, iou)


class Comparison(NamedTuple):
    before: ModelScores
    after: ModelScores
    images: tuple[str, ...]
    threshold: float

    @property
    def dice_gain(self) -> float:
        return self.after.dice - self.before.dice

    @property
    def iou_gain(self) -> float:
        return self.after.iou - self.before.iou

    @property
    def after_is_better(self) -> bool:
        """The new model wins only if it is strictly better on Dice (ties keep the current one)."""
        return self.dice_gain > 0

    def as_dict(self) -> dict[str, object]:
        return {
            "images": list(self.images),
            "threshold": self.threshold,
            "protocol": PROTOCOL.format(threshold=self.threshold),
            "before": {"dice": self.before.dice, "iou": self.before.iou},
            "after": {"dice": self.after.dice, "iou": self.after.iou},
            "difference": {"dice": self.dice_gain, "iou": self.iou_gain},
            "after_is_better": self.after_is_better,
        }


def score_model(
    model: Path | None,
    items: Sequence[HeldOutImage],
    *,
    device: str = "auto",
    threshold: float = 0.5,
    on_image: Callable[[int], None] | None = None,
) -> ModelScores:
    """Mean Dice and IoU of ``model`` (None: no model, i.e. empty proposals) on ``items``."""
    from meddisseg_core.inference import Predictor

    predictor = Predictor.from_path(model, device=device) if model is not None else None
    per_image: dict[str, tuple[float, float]] = {}
    for index, item in enumerate(items):
        rgb = to_uint8(read_image(item.image))
        truth = read_mask(item.mask, expected_shape=rgb.shape[:2])
        if predictor is None:
            proposal = np.zeros(truth.shape, bool)
        else:
            proposal = predictor.predict(rgb).probability > threshold
        scores = segmentation_metrics(proposal.astype(np.uint8), truth)
        per_image[item.key] = (scores["mdsc"], scores["miou"])
        if on_image is not None:
            on_image(index + 1)
    if not per_image:
        raise ValueError("no held-out images to score on")
    dice = float(np.mean([d for d, _ in per_image.values()]))
    iou = float(np.mean([i for _, i in per_image.values()]))
    return ModelScores(dice, iou, per_image)


def compare_models(
    before: Path | None,
    after: Path,
    items: Sequence[HeldOutImage],
    *,
    device: str = "auto",
    threshold: float = 0.5,
) -> Comparison:
    return Comparison(
        score_model(before, items, device=device, threshold=threshold),
        score_model(after, items, device=device, threshold=threshold),
        tuple(item.key for item in items),
        threshold,
    )
