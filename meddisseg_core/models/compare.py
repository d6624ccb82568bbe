"""Before and after: two models scored on the same held-out images (Dice and IoU per image, mean).

Masks are compared at each image's own resolution, the proposal thresholded as the app does,
so the numbers are what an annotator would see.

The held-out images fall in two groups, scored apart:

* **corrected**: the person changed the proposal (edited, prompted, or drew the mask). These
  masks are the person's own judgement, so the verdict (is the new model better?) rests on them.
* **accepted**: approved unedited. The mask is a model's own proposal, so the model that proposed
  it scores 1.0 by construction; this group is only a no-regression check (does the new model
  still agree with what the person accepted?).

Below :data:`~meddisseg_core.models.heldout.MIN_CORRECTED` corrected images there is no verdict,
and the result says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np

from meddisseg_core.imageio import read_image, read_mask, to_uint8
from meddisseg_core.metrics import segmentation_metrics

PROTOCOL = "mean per image over the held-out approved images; proposal > {threshold}; original resolution"
# The no-regression check warns when the new model's agreement with the accepted masks (mean
# Dice) falls by more than this. A fine-tuned model never reproduces the old model's proposals
# exactly, so a small drop is expected. It is a warning beside the verdict, not the verdict: an
# accepted mask is the old model's own output, which the old model matches by construction.
REGRESSION_TOLERANCE = 0.05
REGRESSION_NOTE = (
    " Note: on the {count} held-out image(s) you accepted unedited, the new model agrees less with "
    "what you accepted (Dice {before:.3f} → {after:.3f}); look at its proposals there before switching."
)
VERDICTS = {
    "better": "The new model is better on the held-out images you corrected.",
    "not_better": "The new model is not better on the held-out images you corrected: keeping the current "
    "one is suggested.",
    "too_few": "Too few corrected held-out images for a verdict ({count} of the {needed} needed): correct "
    "and approve more images, then fine-tune again. The numbers below are no evidence either way.",
}


class HeldOutImage(NamedTuple):
    key: str
    image: Path
    mask: Path


class ModelScores(NamedTuple):
    dice: float
    iou: float
    per_image: dict[str, tuple[float, float]]  # key -> (dice, iou)


def _mean(scores: ModelScores, keys: Sequence[str], index: int) -> float | None:
    values = [scores.per_image[k][index] for k in keys if k in scores.per_image]
    return float(np.mean(values)) if values else None


class Comparison(NamedTuple):
    before: ModelScores
    after: ModelScores
    images: tuple[str, ...]
    threshold: float
    corrected: tuple[str, ...] = ()  # the held-out images a person corrected

    @property
    def accepted(self) -> tuple[str, ...]:
        return tuple(k for k in self.images if k not in set(self.corrected))

    def group(self, keys: Sequence[str]) -> dict[str, object]:
        """Mean Dice/IoU of both models on ``keys`` (None where the group is empty)."""
        before = {"dice": _mean(self.before, keys, 0), "iou": _mean(self.before, keys, 1)}
        after = {"dice": _mean(self.after, keys, 0), "iou": _mean(self.after, keys, 1)}
        diff = {
            k: (after[k] - before[k]) if after[k] is not None and before[k] is not None else None
            for k in ("dice", "iou")
        }
        return {"images": list(keys), "before": before, "after": after, "difference": diff}

    @property
    def verdict(self) -> str:
        """``too_few`` | ``better`` | ``not_better`` (see :data:`VERDICTS`): on the corrected images."""
        from meddisseg_core.models.heldout import MIN_CORRECTED

        if len(self.corrected) < MIN_CORRECTED:
            return "too_few"
        gain = self.group(self.corrected)["difference"]["dice"]  # type: ignore[index]
        return "better" if gain > 0 else "not_better"  # ties keep the current model

    @property
    def regresses(self) -> bool:
        """The no-regression check failed: the new model agrees clearly less with the accepted masks."""
        drop = self.group(self.accepted)["difference"]["dice"]
        return drop is not None and drop < -REGRESSION_TOLERANCE  # type: ignore[operator]

    def verdict_text(self) -> str:
        from meddisseg_core.models.heldout import MIN_CORRECTED

        text = VERDICTS[self.verdict].format(count=len(self.corrected), needed=MIN_CORRECTED)
        if self.regresses:
            accepted = self.group(self.accepted)
            text += REGRESSION_NOTE.format(
                count=len(self.accepted),
                before=accepted["before"]["dice"],  # type: ignore[index]
                after=accepted["after"]["dice"],  # type: ignore[index]
            )
        return text

    @property
    def dice_gain(self) -> float:
        return self.after.dice - self.before.dice

    @property
    def iou_gain(self) -> float:
        return self.after.iou - self.before.iou

    @property
    def after_is_better(self) -> bool:
        """The new model wins only on a verdict: strictly better on the corrected images' Dice, with
        enough of them (ties keep the current one)."""
        return self.verdict == "better"

    def as_dict(self) -> dict[str, object]:
        return {
            "images": list(self.images),
            "threshold": self.threshold,
            "protocol": PROTOCOL.format(threshold=self.threshold),
            "before": {"dice": self.before.dice, "iou": self.before.iou},
            "after": {"dice": self.after.dice, "iou": self.after.iou},
            "difference": {"dice": self.dice_gain, "iou": self.iou_gain},
            "after_is_better": self.after_is_better,
            "corrected": self.group(self.corrected),
            "accepted": self.group(self.accepted),
            "verdict": self.verdict,
            "regresses": self.regresses,
            "verdict_text": self.verdict_text(),
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
    corrected: Sequence[str] = (),
) -> Comparison:
    keys = tuple(item.key for item in items)
    return Comparison(
        score_model(before, items, device=device, threshold=threshold),
        score_model(after, items, device=device, threshold=threshold),
        keys,
        threshold,
        tuple(k for k in keys if k in set(corrected)),
    )
