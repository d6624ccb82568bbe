import numpy as np

from meddisseg_studio.tools import ops


def test_fill_holes_fills_enclosed_background_only() -> None:
    mask = np.zeros((64, 64), np.uint8)
    mask[10:30, 10:30] = 1
    mask[15:20, 15:20] = 0  # a hole
    mask[0:10, 40:50] = 1
    mask[0:5, 43:47] = 0  # a notch open to the image border: not a hole
    result = ops.fill_holes(mask)
    assert result[15:20, 15:20].all()
    assert not result[0:5, 43:47].any()
    assert result.sum() == mask.sum() + 25
    assert mask[15:20, 15:20].sum() == 0  # the input is untouched


def test_fill_holes_on_empty_and_full_masks() -> None:
    assert ops.fill_holes(np.zeros((8, 8), np.uint8)).sum() == 0
    assert ops.fill_holes(np.ones((8, 8), np.uint8)).sum() == 64
