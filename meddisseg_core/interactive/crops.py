"""Running the network on a crop of an image, zoomed to the network's input size, with a cache.

A crop is a rectangle ``(x0, y0, x1, y1)`` (exclusive ends) in image pixels. The Predictor
resizes it to the network's input size and the probability back to the crop's size, so a
small lesion is seen at a much higher zoom than in the full-frame pass. Results are cached per
image content and rectangle, since an annotator's clicks often fall into the same crop.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Any

import numpy as np

from meddisseg_core.imageio import to_model_uint8

Rect = tuple[int, int, int, int]


def fingerprint(image: np.ndarray) -> str:
    """A cheap content key of an image (a strided sample and the shape)."""
    sample = np.ascontiguousarray(image[:: max(1, image.shape[0] // 64), :: max(1, image.shape[1] // 64)])
    digest = hashlib.blake2b(sample.tobytes(), digest_size=12)
    digest.update(repr((image.shape, str(image.dtype))).encode())
    return digest.hexdigest()


def expand_rect(rect: Rect, margin: float, shape: tuple[int, int], min_side: int = 32) -> Rect:
    """``rect`` grown by ``margin`` × its side on every side (at least to ``min_side``), clipped."""
    height, width = shape
    x0, y0, x1, y1 = rect
    grow_x = max(margin * (x1 - x0), (min_side - (x1 - x0)) / 2, 0.0)
    grow_y = max(margin * (y1 - y0), (min_side - (y1 - y0)) / 2, 0.0)
    return (
        max(0, int(np.floor(x0 - grow_x))),
        max(0, int(np.floor(y0 - grow_y))),
        min(width, int(np.ceil(x1 + grow_x))),
        min(height, int(np.ceil(y1 + grow_y))),
    )


def square_around(x: int, y: int, side: int, shape: tuple[int, int]) -> Rect:
    """A ``side``×``side`` square centred on (x, y), shifted (not shrunk) to stay inside the image."""
    height, width = shape
    side_x, side_y = min(side, width), min(side, height)
    x0 = int(np.clip(x - side_x // 2, 0, width - side_x))
    y0 = int(np.clip(y - side_y // 2, 0, height - side_y))
    return (x0, y0, x0 + side_x, y0 + side_y)


class CropRunner:
    """Probability maps of crops of an image, at the crop's own size, cached (LRU)."""

    def __init__(self, predictor: Any, *, cache_size: int = 32) -> None:
        self.predictor = predictor
        self.cache_size = int(cache_size)
        self._cache: OrderedDict[tuple[str, Rect], np.ndarray] = OrderedDict()
        self.network_runs = 0  # how many crops actually went through the network (for tests, benchmark)

    def probability(self, image: np.ndarray, rect: Rect) -> np.ndarray:
        """Float32 probability of ``image[y0:y1, x0:x1]`` at that crop's size."""
        key = (fingerprint(image), tuple(int(v) for v in rect))
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        x0, y0, x1, y1 = rect
        crop = to_model_uint8(image[y0:y1, x0:x1])
        prob = np.asarray(self.predictor.predict(crop).probability, dtype=np.float32)
        self.network_runs += 1
        self._cache[key] = prob
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return prob

    def full(self, image: np.ndarray) -> np.ndarray:
        """The full-frame probability (the proposal's pass), cached like a crop."""
        return self.probability(image, (0, 0, image.shape[1], image.shape[0]))
