"""Reading training images and masks the authors' way (BGR) with errors that name files.

A thin adapter over :mod:`meddisseg_core.imageio`, so training and inference decode files the same
way (same header checks, same 16-bit scaling). Images stay BGR uint8, the convention the released
networks were trained on. Masks are binarised to 0/255 uint8 here (grey >= 128, which drops JPEG
noise; a lossless 0/1 label map counts as 0/255) so that later bilinear resizing gives the authors'
soft targets.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from meddisseg_core.errors import DatasetError, ImageReadError, MaskError
from meddisseg_core.imageio import (
    SUPPORTED_EXTENSIONS,
    read_header,
    read_image,
    read_mask_grey,
    to_model_uint8,
)

IMAGE_SUFFIXES = tuple(sorted(SUPPORTED_EXTENSIONS))


def mask_path_for(masks_dir: Path, image_name: str) -> Path:
    """The mask of ``image_name``: the same file name (authors' layout), else ``<stem>.png``.

    Kvasir-SEG names masks exactly like their images (``x.jpg``); our exporter writes lossless
    ``<stem>.png`` masks. Both are accepted; the same name wins when both exist.
    """
    same = masks_dir / image_name
    if same.is_file():
        return same
    png = masks_dir / (Path(image_name).stem + ".png")
    return png if png.is_file() else same


def image_size(path: Path) -> tuple[int, int]:
    """(height, width) of an image from its header alone (no decoding)."""
    try:
        _kind, width, height = read_header(path)
    except ImageReadError as exc:
        raise DatasetError(str(exc)) from exc
    return height, width


def read_image_bgr(path: Path) -> np.ndarray:
    """H x W x 3 BGR uint8 (16-bit images scaled by 1/257; grey replicated; alpha dropped)."""
    try:
        rgb = read_image(path)
    except ImageReadError as exc:
        raise DatasetError(str(exc)) from exc
    return np.ascontiguousarray(cv2.cvtColor(to_model_uint8(rgb), cv2.COLOR_RGB2BGR))


def read_mask_binary(path: Path) -> np.ndarray:
    """H x W uint8 mask with values 0 and 255."""
    try:
        grey = read_mask_grey(path)
    except MaskError as exc:
        raise DatasetError(str(exc)) from exc
    return np.where(grey >= 128, np.uint8(255), np.uint8(0))
