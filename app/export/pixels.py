"""Image files as lossless PNG with exactly the pixels OpenCV reads from the original."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import cv2
import numpy as np

from meddisseg_core.errors import ImageReadError
from meddisseg_core.imageio import DEFAULT_MAX_PIXELS, check_size, read_header

# Grey stays one channel, 16-bit stays 16-bit, and EXIF orientation is applied, as in
# ``cv2.imread`` (which the authors' loader uses) and ``meddisseg_core.imageio.read_image``
# (which the studio's masks are aligned with). Alpha is dropped, as both of those readers do.
_DECODE_FLAGS = cv2.IMREAD_ANYCOLOR | cv2.IMREAD_ANYDEPTH


class PngImage(NamedTuple):
    data: bytes
    height: int
    width: int


def image_as_png(path: Path, max_pixels: int = DEFAULT_MAX_PIXELS) -> PngImage:
    """PNG bytes of the image at ``path``: the file itself when it is a PNG, else re-encoded.

    ``cv2.imread`` of the result (any flags) gives the same array as ``cv2.imread`` of the
    original. Raises ImageReadError for an unreadable or oversized file.
    """
    kind, width, height = read_header(path)
    check_size(path, width, height, max_pixels)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImageReadError(path, f"cannot read ({exc.strerror or exc})") from exc
    if kind == "png":
        return PngImage(data, height, width)
    try:
        pixels = cv2.imdecode(np.frombuffer(data, np.uint8), _DECODE_FLAGS)
    except cv2.error as exc:
        raise ImageReadError(path, f"OpenCV cannot decode it ({str(exc).strip()})") from exc
    if pixels is None or pixels.size == 0:
        raise ImageReadError(path, f"corrupt or truncated {kind.upper()} data")
    if pixels.dtype not in (np.uint8, np.uint16):
        raise ImageReadError(path, f"unsupported sample type {pixels.dtype} (only 8- and 16-bit)")
    ok, buffer = cv2.imencode(".png", pixels)
    if not ok:  # pragma: no cover - OpenCV encodes any 8/16-bit 1/3-channel array
        raise ImageReadError(path, "could not be re-encoded as PNG")
    return PngImage(buffer.tobytes(), int(pixels.shape[0]), int(pixels.shape[1]))
