"""Per-stage augmentation carries the authors' 1.3-era meaning in albumentations 2.x terms."""

from __future__ import annotations

import albumentations as A
import cv2
import numpy as np
import pytest

from meddisseg_core.data import build_augmentation


@pytest.mark.parametrize(("stage", "limit", "p_rot", "p_flip"), [(1, 90, 0.5, 0.5), (2, 35, 0.3, 0.3)])
def test_recipe(stage: int, limit: float, p_rot: float, p_flip: float) -> None:
    rotate, hflip, vflip, dropout = build_augmentation(stage).transforms
    assert isinstance(rotate, A.Rotate) and tuple(rotate.limit) == (-limit, limit) and rotate.p == p_rot
    assert rotate.border_mode == cv2.BORDER_REFLECT_101 and rotate.mask_interpolation == cv2.INTER_NEAREST
    assert hflip.p == vflip.p == p_flip
    assert isinstance(dropout, A.CoarseDropout) and dropout.p == 0.3
    assert tuple(dropout.num_holes_range) == (10, 10)
    assert tuple(dropout.hole_height_range) == tuple(dropout.hole_width_range) == (32, 32)


def test_dropout_blanks_image_only() -> None:
    dropout = A.Compose([build_augmentation(2).transforms[3]], seed=0)
    dropout.transforms[0].p = 1.0
    image = np.full((200, 240, 3), 200, np.uint8)
    mask = np.full((200, 240), 255, np.uint8)
    out = dropout(image=image, mask=mask)
    assert np.array_equal(out["mask"], mask)  # the mask keeps its pixels (fill_mask None)
    blanked = (out["image"] == 0).all(axis=2).sum()
    assert 32 * 32 <= blanked <= 10 * 32 * 32  # ten 32x32 holes (they may overlap)
