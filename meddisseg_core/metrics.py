"""The paper's six segmentation metrics, computed the authors' way.

Per image: both maps are binarised at > 0.5, then (with ε = 1e-15 and integer counts)
IoU, Dice, recall, precision and F2 are smoothed ratios and accuracy is the unsmoothed fraction
of equal pixels. Scores are averaged over images (mean of per-image scores), as in the authors'
test script. See ARCHITECTURE.md section 9 in the reference material.

Two evaluation resolutions are offered:

* :func:`metrics_at_model_size`: the authors' protocol. The prediction stays at the network's
  input size (256×256); the grey GT is resized to it with bilinear interpolation and is
  foreground where the resized value is ≥ 128 (i.e. value/255 > 0.5).
* :func:`metrics_at_original`: the prediction resized back to the image's own size against the
  GT as read. This is what a user of the masks actually gets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import cv2
import numpy as np

EPS = 1e-15
METRIC_KEYS = ("miou", "mdsc", "recall", "precision", "accuracy", "f2")


def segmentation_metrics(prediction: np.ndarray, gt: np.ndarray) -> dict[str, float]:
    """The six metrics of one image, as fractions in [0, 1].

    ``prediction`` is a probability map or a binary mask; ``gt`` a binary mask (0/1, bool) or a
    soft target in [0, 1]. Both are foreground where > 0.5. A 0/255 mask also works for either.
    """
    if prediction.shape != gt.shape:
        raise ValueError(f"prediction shape {prediction.shape} differs from GT shape {gt.shape}")
    if prediction.size == 0:
        raise ValueError("cannot score an empty image")
    y = np.asarray(gt).ravel() > 0.5
    p = np.asarray(prediction).ravel() > 0.5
    inter = int(np.count_nonzero(y & p))
    n_gt = int(np.count_nonzero(y))
    n_pred = int(np.count_nonzero(p))
    union = n_gt + n_pred - inter
    recall = (inter + EPS) / (n_gt + EPS)
    precision = (inter + EPS) / (n_pred + EPS)
    # Equal pixels = all pixels minus those in exactly one of the two masks.
    accuracy = (y.size - (n_gt + n_pred - 2 * inter)) / y.size
    return {
        "miou": (inter + EPS) / (union + EPS),
        "mdsc": (2 * inter + EPS) / (n_gt + n_pred + EPS),
        "recall": recall,
        "precision": precision,
        "accuracy": accuracy,
        "f2": 5 * precision * recall / (4 * precision + recall + EPS),
    }


def resize_gt_like_authors(gt_grey: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Binary (0/1 uint8) GT at ``size`` (H, W): bilinear resize of the grey mask, then ≥ 128."""
    if gt_grey.dtype != np.uint8:
        raise TypeError(f"the grey GT must be uint8 0..255, got {gt_grey.dtype}")
    height, width = size
    resized = cv2.resize(gt_grey, (width, height), interpolation=cv2.INTER_LINEAR)
    # The authors test resized/255 > 0.5; on uint8 values that is exactly >= 128.
    return (resized >= 128).astype(np.uint8)


def metrics_at_model_size(probability: np.ndarray, gt_grey: np.ndarray) -> dict[str, float]:
    """The authors' protocol: the network-size probability against the bilinearly resized GT."""
    gt = resize_gt_like_authors(gt_grey, probability.shape[:2])
    return segmentation_metrics(probability, gt)


def metrics_at_original(probability: np.ndarray, gt_binary: np.ndarray) -> dict[str, float]:
    """The prediction at the image's own size against the GT as read (0/1)."""
    return segmentation_metrics(probability, gt_binary)


def mean_metrics(per_image: Iterable[Mapping[str, float]]) -> dict[str, float]:
    """Mean of per-image scores for each of the six keys; an empty input raises ValueError."""
    rows = list(per_image)
    if not rows:
        raise ValueError("no per-image metrics to average")
    return {key: float(np.mean([row[key] for row in rows])) for key in METRIC_KEYS}


def as_percent(metrics: Mapping[str, float], digits: int = 4) -> dict[str, float]:
    """The same metrics in percent, rounded, for reports."""
    return {key: round(100.0 * float(metrics[key]), digits) for key in METRIC_KEYS}
