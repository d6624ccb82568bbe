"""Synthetic scenes with known answers, and a fake predictor that "sees" red pixels (used by the tests)."""

from __future__ import annotations

from types import SimpleNamespace

import cv2
import numpy as np

BACKGROUND = (90, 90, 90)
LESION = (200, 40, 40)
PALE_LESION = (131, 60, 60)  # the fake predictor gives it p ≈ 0.3: a lesion the proposal misses


class RedPredictor:
    """Probability = how red a pixel is (smoothed), at the image's own size, like a Predictor."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, int]] = []

    def predict(self, image: np.ndarray) -> SimpleNamespace:
        self.calls.append(image.shape[:2])
        redness = image[:, :, 0].astype(np.float32) - image[:, :, 1].astype(np.float32)
        prob = 1.0 / (1.0 + np.exp(-(redness - 80.0) / 10.0))
        return SimpleNamespace(probability=cv2.GaussianBlur(prob.astype(np.float32), (5, 5), 0))


def scene(
    height: int = 240,
    width: int = 320,
    discs: tuple[tuple[int, int, int], ...] = (),
    pale: tuple[tuple[int, int, int], ...] = (),
) -> np.ndarray:
    """An RGB uint8 grey image with red discs and pale red discs (x, y, radius)."""
    image = np.empty((height, width, 3), np.uint8)
    image[:] = BACKGROUND
    for colour, circles in ((LESION, discs), (PALE_LESION, pale)):
        for x, y, r in circles:
            cv2.circle(image, (x, y), r, colour, -1)
    return image


def disc_mask(shape: tuple[int, int], x: int, y: int, r: int) -> np.ndarray:
    mask = np.zeros(shape, np.uint8)
    cv2.circle(mask, (x, y), r, 1, -1)
    return mask.astype(bool)


def iou(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a & b)) / max(1, np.count_nonzero(a | b))
