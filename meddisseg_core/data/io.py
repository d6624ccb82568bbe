"""Reading training images and masks the authors' way (OpenCV, BGR) with errors that name files.

Images stay BGR uint8 (the convention the released networks were trained on). Masks are
binarised to 0/255 uint8 here so that later bilinear resizing gives the authors' soft targets:
JPEG masks (lossy, noisy around 0 and 255) and other 8-bit masks are foreground at >= 128,
16-bit masks at >= 32768, and a 0/1 label image (maximum 1) is foreground at 1.
"""

from __future__ import annotations

import struct
from pathlib import Path

import cv2
import numpy as np

from meddisseg_core.errors import DatasetError

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff")
_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _png_size(stream, path: Path) -> tuple[int, int]:
    head = stream.read(24)
    if len(head) < 24 or head[12:16] != b"IHDR":
        raise DatasetError(f"{path}: truncated PNG header")
    width, height = struct.unpack(">II", head[16:24])
    return int(height), int(width)


def _jpeg_size(stream, path: Path) -> tuple[int, int]:
    stream.read(2)
    while True:
        byte = stream.read(1)
        while byte and byte != b"\xff":
            byte = stream.read(1)
        while byte == b"\xff":  # fill bytes before the marker code
            byte = stream.read(1)
        if not byte:
            raise DatasetError(f"{path}: JPEG without a frame header")
        marker = byte[0]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            continue  # markers without a length field
        length_bytes = stream.read(2)
        if len(length_bytes) < 2:
            raise DatasetError(f"{path}: truncated JPEG")
        (length,) = struct.unpack(">H", length_bytes)
        if marker in _JPEG_SOF:
            frame = stream.read(5)
            if len(frame) < 5:
                raise DatasetError(f"{path}: truncated JPEG frame header")
            height, width = struct.unpack(">HH", frame[1:5])
            return int(height), int(width)
        stream.seek(length - 2, 1)


def image_size(path: Path) -> tuple[int, int]:
    """(height, width) of an image, from the header for PNG/JPEG (no decoding), else by decoding."""
    path = Path(path)
    try:
        with path.open("rb") as stream:
            signature = stream.read(8)
            if signature.startswith(b"\x89PNG\r\n\x1a\n"):
                return _png_size(stream, path)
            if signature.startswith(b"\xff\xd8"):
                stream.seek(0)
                return _jpeg_size(stream, path)
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read ({exc.strerror})") from exc
    decoded = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if decoded is None:
        raise DatasetError(f"{path}: not a readable image")
    return int(decoded.shape[0]), int(decoded.shape[1])


def read_image_bgr(path: Path) -> np.ndarray:
    """H x W x 3 BGR uint8 (16-bit images are scaled down; grey is replicated; alpha dropped)."""
    image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if image is None:
        raise DatasetError(f"{path}: cannot decode image")
    if image.dtype == np.uint16:
        image = (image >> 8).astype(np.uint8)
    elif image.dtype != np.uint8:
        raise DatasetError(f"{path}: unsupported pixel type {image.dtype}")
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    elif image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    elif image.shape[2] != 3:
        raise DatasetError(f"{path}: unsupported channel count {image.shape[2]}")
    return np.ascontiguousarray(image)


def read_mask_binary(path: Path) -> np.ndarray:
    """H x W uint8 mask with values 0 and 255 (see the module docstring for the thresholds)."""
    mask = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if mask is None:
        raise DatasetError(f"{path}: cannot decode mask")
    if mask.ndim == 3:
        # Colour-saved masks: any channel works for a grey mask; take the maximum to be safe.
        mask = mask[..., :3].max(axis=2)
    if mask.dtype == np.uint16:
        threshold = 32768
    elif mask.dtype == np.uint8:
        threshold = 128
    else:
        raise DatasetError(f"{path}: unsupported mask pixel type {mask.dtype}")
    if int(mask.max(initial=0)) == 1:
        threshold = 1  # a 0/1 label image
    return np.where(mask >= threshold, np.uint8(255), np.uint8(0))
