"""Decoding and encoding of images and masks, through meddisseg_core.imageio.

Every decode in the state layer goes through this module, so listing a project can be
checked to decode nothing, and the core reader's size guard applies everywhere.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from meddisseg_core import imageio as core_io
from meddisseg_studio.state.errors import StateCorruptError

DEFAULT_MAX_PIXELS = core_io.DEFAULT_MAX_PIXELS
IMAGE_SUFFIXES = core_io.SUPPORTED_EXTENSIONS
_PNG_END = b"IEND\xaeB`\x82"


def read_image(path: Path, max_pixels: int = DEFAULT_MAX_PIXELS) -> np.ndarray:
    """RGB H×W×3 uint8 or uint16; raises ImageReadError / ImageTooLargeError (header checked first)."""
    return core_io.read_image(path, max_pixels=max_pixels)


def to_display_rgb(image: np.ndarray) -> np.ndarray:
    """RGB uint8 for display: 16-bit images are stretched from their own min..max.

    Display only. A model is never fed this: its input is ``imageio.to_model_uint8`` (see
    ``Project.load_model_input``), so the app proposes what ``meddisseg predict`` does.
    """
    if image.dtype == np.uint8:
        return image
    lo = float(image.min())
    hi = float(image.max())
    if hi <= lo:
        return np.zeros(image.shape, np.uint8)
    scaled = (image.astype(np.float32) - lo) * (255.0 / (hi - lo))
    return np.clip(scaled + 0.5, 0, 255).astype(np.uint8)


def read_label(path: Path) -> np.ndarray:
    """A starting label from the authors' masks/ folder as H×W uint8 0/1; MaskError if unreadable."""
    return core_io.read_mask(path)


def encode_mask_png(mask: np.ndarray) -> bytes:
    """0/1 (or boolean) H×W mask to a 0/255 8-bit PNG; a low compression level keeps it fast."""
    grey = np.where(mask > 0, np.uint8(255), np.uint8(0))
    ok, buffer = cv2.imencode(".png", grey, [cv2.IMWRITE_PNG_COMPRESSION, 1])
    if not ok:  # pragma: no cover - OpenCV only fails here on absurd sizes
        raise ValueError(f"PNG encoding failed for a mask of shape {mask.shape}")
    return buffer.tobytes()


def decode_mask_png(path: Path) -> np.ndarray:
    """A stored mask as H×W uint8 0/1; a damaged file raises StateCorruptError naming it."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise StateCorruptError(path, f"cannot read stored mask ({exc.strerror or exc})") from exc
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise StateCorruptError(path, "stored mask is not a PNG file")
    if not data.endswith(_PNG_END):
        raise StateCorruptError(path, "stored mask PNG is truncated (no IEND chunk)")
    grey = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    if grey is None or grey.ndim != 2 or grey.dtype != np.uint8:
        raise StateCorruptError(path, "stored mask PNG cannot be decoded as an 8-bit grey image")
    return (grey > 127).astype(np.uint8)
