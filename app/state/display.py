"""Display-only window/level (brightness/contrast): how an image is SHOWN, never what the model sees.

The canvas and the thumbnails pass the decoded image through :func:`to_display`; proposals read
the file again through the model-input rule (``meddisseg_core.imageio``), so nothing set here can
reach a prediction. No Qt.

Levels are fractions of the image's own value range, so one setting means the same on 8-bit
and 16-bit images: ``low`` is shown black, ``high`` white, and values in between linearly. The
range is 0..255 for 8-bit images; 16-bit images are taken from their own minimum to maximum
(medical 16-bit files often use 10 or 12 bits, which would look black against 0..65535).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

#: The narrowest window (a fraction of the range): about one 8-bit grey step.
MIN_WIDTH = 1.0 / 256.0
#: How far a window may reach past either end of the range (brightness and low contrast do).
REACH = 2.0


@dataclass(frozen=True)
class DisplayLevels:
    """``low``/``high``: the fractions of the image's range shown as black and as white."""

    low: float = 0.0
    high: float = 1.0

    def __post_init__(self) -> None:
        if not (math.isfinite(self.low) and math.isfinite(self.high)):
            raise ValueError(f"display levels must be finite, got low={self.low} high={self.high}")
        if self.high - self.low < MIN_WIDTH:
            raise ValueError(f"display window too narrow: low={self.low} high={self.high}")
        if self.low < -REACH or self.high > 1.0 + REACH:
            raise ValueError(f"display levels out of reach: low={self.low} high={self.high}")

    @property
    def is_identity(self) -> bool:
        return self.low == 0.0 and self.high == 1.0

    # -- window/level and brightness/contrast views of the same two numbers -----------------
    @property
    def width(self) -> float:
        """The window (radiology's W), as a fraction of the range."""
        return self.high - self.low

    @property
    def level(self) -> float:
        """The window's centre (radiology's L), as a fraction of the range."""
        return (self.low + self.high) / 2.0

    @classmethod
    def from_window(cls, level: float, width: float) -> DisplayLevels:
        width = float(np.clip(width, MIN_WIDTH, 1.0 + 2 * REACH))
        level = float(np.clip(level, -REACH + width / 2, 1.0 + REACH - width / 2))
        return cls(level - width / 2, level + width / 2)

    @property
    def brightness(self) -> float:
        """-1 (dark) .. +1 (bright); 0 leaves the image as it is. Brighter = a lower level."""
        return float(np.clip((0.5 - self.level) * 2.0, -1.0, 1.0))

    @property
    def contrast(self) -> float:
        """-1 (flat) .. +1 (steep); 0 leaves the image as it is. Steeper = a narrower window."""
        return float(np.clip(-math.log(self.width, 4.0), -1.0, 1.0))

    @classmethod
    def from_brightness_contrast(cls, brightness: float, contrast: float) -> DisplayLevels:
        """Slider values in -1..1 (0, 0 is the unchanged image); contrast ±1 is a window of ×¼ / ×4."""
        brightness = float(np.clip(brightness, -1.0, 1.0))
        contrast = float(np.clip(contrast, -1.0, 1.0))
        if brightness == 0.0 and contrast == 0.0:
            return cls()
        return cls.from_window(0.5 - brightness / 2.0, 4.0 ** (-contrast))

    @classmethod
    def auto(cls, image: np.ndarray, lower: float = 1.0, upper: float = 99.0) -> DisplayLevels:
        """Stretch the image's ``lower``..``upper`` percentiles of brightness to black..white.

        Useful for dark or washed-out frames. An image without spread gives the unchanged levels.
        """
        lo, hi = source_range(image)
        if hi <= lo:
            return cls()
        grey = image if image.ndim == 2 else image[..., :3].mean(axis=2)
        step = max(1, int(math.sqrt(grey.size / 250_000)))  # ~250k samples are plenty
        sample = np.asarray(grey[::step, ::step], dtype=np.float64)
        p_lo, p_hi = np.percentile(sample, [lower, upper])
        low, high = (p_lo - lo) / (hi - lo), (p_hi - lo) / (hi - lo)
        if high - low < MIN_WIDTH:
            return cls()
        return cls(float(low), float(high))


def source_range(image: np.ndarray) -> tuple[float, float]:
    """The value range levels are fractions of: 0..255 for 8-bit, the image's own min..max otherwise."""
    if image.dtype == np.uint8:
        return 0.0, 255.0
    if image.size == 0:
        return 0.0, 1.0
    return float(image.min()), float(image.max())


def _lut(codes: int, black: float, white: float) -> np.ndarray:
    values = np.arange(codes, dtype=np.float64)
    if white <= black:  # a flat 16-bit image: everything black, like the decoder's own stretch
        return np.zeros(codes, np.uint8)
    return np.clip((values - black) * (255.0 / (white - black)) + 0.5, 0, 255).astype(np.uint8)


def to_display(image: np.ndarray, levels: DisplayLevels | None = None) -> np.ndarray:
    """An 8-bit copy of ``image`` (8- or 16-bit, grey or RGB) for the screen, through ``levels``.

    An 8-bit image with the unchanged levels is returned as is (no copy). The input is never
    modified.
    """
    levels = levels or DisplayLevels()
    if image.dtype == np.uint8 and levels.is_identity:
        return image
    lo, hi = source_range(image)
    black = lo + levels.low * (hi - lo)
    white = lo + levels.high * (hi - lo)
    if image.dtype == np.uint8:
        return cv2.LUT(np.ascontiguousarray(image), _lut(256, black, white))
    if image.dtype == np.uint16:
        return np.take(_lut(65536, black, white), image)
    if white <= black:
        return np.zeros(image.shape, np.uint8)
    scaled = (image.astype(np.float32) - black) * (255.0 / (white - black)) + 0.5
    return np.clip(scaled, 0, 255).astype(np.uint8)
