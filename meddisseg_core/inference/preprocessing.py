"""Turning an RGB image into the network's input, and probability maps back to image size.

The authors' pipeline reads BGR uint8 with OpenCV, resizes to 256×256 with INTER_LINEAR on the
uint8 image, and divides by 255.0 in float64 before casting to float32. For 8-bit input this
module reproduces that bit for bit (the order of operations matters: resizing uint8 rounds).
16-bit input is first brought to 8 bit with :func:`meddisseg_core.imageio.to_model_uint8` (the one
pixel rule shared with the app and the trainer), since the networks were trained on 8-bit images.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import cv2
import numpy as np

from meddisseg_core.imageio import to_model_uint8

INTERPOLATIONS = {
    "linear": cv2.INTER_LINEAR,
    "nearest": cv2.INTER_NEAREST,
    "area": cv2.INTER_AREA,
    "cubic": cv2.INTER_CUBIC,
}


class InputConventionLike(Protocol):
    """The fields of ``meddisseg_core.checkpoint.InputConvention`` that preprocessing reads."""

    colour_order: str
    size: tuple[int, int]
    scale: float
    mean: Sequence[float] | None
    std: Sequence[float] | None
    resize_interpolation: str


def _interpolation(name: str) -> int:
    try:
        return INTERPOLATIONS[name]
    except KeyError:
        raise ValueError(f"unknown resize interpolation {name!r}; known: {sorted(INTERPOLATIONS)}") from None


def as_rgb(image: np.ndarray) -> np.ndarray:
    """Validate an image array and return it as H×W×3 (grey replicated, alpha dropped)."""
    if image.ndim == 2:
        image = np.repeat(image[:, :, None], 3, axis=2)
    if image.ndim != 3 or image.shape[2] not in (3, 4):
        raise ValueError(f"expected an RGB image H×W×3, got shape {image.shape}")
    if image.shape[0] == 0 or image.shape[1] == 0:
        raise ValueError(f"empty image of shape {image.shape}")
    if image.dtype not in (np.uint8, np.uint16):
        raise ValueError(f"expected uint8 or uint16 pixels, got {image.dtype}")
    return image[:, :, :3]


def _scaled(values: np.ndarray, scale: float) -> np.ndarray:
    divisor = 1.0 / scale
    if abs(divisor - round(divisor)) < 1e-9:
        # x / 255.0 and x * (1/255) differ in the last bit for some x; the authors divide.
        return values / float(round(divisor))
    return values * scale


def preprocess(image_rgb: np.ndarray, convention: InputConventionLike) -> np.ndarray:
    """3×H×W float32 network input for one RGB image, per ``convention``."""
    image = to_model_uint8(as_rgb(image_rgb))
    order = convention.colour_order.upper()
    if order == "BGR":
        image = image[:, :, ::-1]
    elif order != "RGB":
        raise ValueError(f"unknown colour order {convention.colour_order!r}; use 'RGB' or 'BGR'")
    height, width = convention.size
    if image.shape[:2] != (height, width):
        image = cv2.resize(
            np.ascontiguousarray(image),
            (width, height),
            interpolation=_interpolation(convention.resize_interpolation),
        )
    values = _scaled(image.astype(np.float64), convention.scale)
    if convention.mean is not None:
        values = values - np.asarray(convention.mean, dtype=np.float64).reshape(1, 1, 3)
    if convention.std is not None:
        values = values / np.asarray(convention.std, dtype=np.float64).reshape(1, 1, 3)
    return np.ascontiguousarray(values.transpose(2, 0, 1), dtype=np.float32)


def resize_map(values: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """A float32 H×W map resized to ``shape`` (H, W) with bilinear interpolation.

    Bilinear weights are convex, so a probability map stays within [0, 1].
    """
    height, width = shape
    values = np.asarray(values, dtype=np.float32)
    if values.shape == (height, width):
        return values.copy()
    return cv2.resize(values, (width, height), interpolation=cv2.INTER_LINEAR)
