"""A refiner crop is pasted but for a band along its edges inside the image; at the image border, whole."""

from __future__ import annotations

import numpy as np

from meddisseg_core.interactive.learned import SEAM, paste
from meddisseg_core.interactive.refiner import INPUT_SIZE


def test_inside_the_image_the_crop_edges_keep_the_old_mask() -> None:
    mask = np.zeros((400, 600), bool)
    rect = (100, 50, 356, 306)  # 256 px: the band is SEAM image pixels
    out = paste(mask, np.ones((256, 256), bool), rect)
    band = SEAM * 256 // INPUT_SIZE
    assert out[50 + band : 306 - band, 100 + band : 356 - band].all()
    assert not out[50:306, 100 : 100 + band].any() and not out[50 : 50 + band, 100:356].any()
    assert not out[50:306, 356 - band : 356].any() and not out[306 - band : 306, 100:356].any()
    assert not mask.any()  # the input is not modified


def test_at_the_image_border_there_is_no_band() -> None:
    mask = np.zeros((300, 300), bool)
    out = paste(mask, np.ones((300, 300), bool), (0, 0, 300, 300))
    assert out.all()


def test_a_larger_crop_gets_a_wider_band() -> None:
    mask = np.zeros((1200, 1600), bool)
    out = paste(mask, np.ones((1024, 1024), bool), (200, 100, 1224, 1124))
    band = SEAM * 1024 // INPUT_SIZE  # 32 px at 4 image pixels per input pixel
    assert not out[600, 200 + band - 1] and out[600, 200 + band]
