"""The refiner's focus crop holds the clicks and the mask near them, not a far blob; square and clipped."""

from __future__ import annotations

import numpy as np

from meddisseg_core.interactive import Click
from meddisseg_core.interactive.refiner import CONTEXT, MIN_SIDE_FRACTION, focus_rect


def test_crop_holds_the_clicked_lesion_with_context_and_not_a_far_blob() -> None:
    mask = np.zeros((480, 640), bool)
    mask[200:260, 300:380] = True  # the lesion being corrected (80 wide)
    mask[10:30, 10:30] = True  # a false blob far away
    x0, y0, x1, y1 = focus_rect(mask, [Click(385, 230, True)])
    assert x0 <= 300 and x1 >= 386 and y0 <= 200 and y1 >= 260
    assert x0 > 30 and y0 > 30  # the far blob is left to its own clicks
    side = 86 * (1 + 2 * CONTEXT)
    assert abs((x1 - x0) - side) <= 2 and abs((y1 - y0) - side) <= 2  # square, grown by the context


def test_a_click_on_an_empty_mask_gets_the_minimum_square_inside_the_image() -> None:
    mask = np.zeros((300, 400), bool)
    x0, y0, x1, y1 = focus_rect(mask, [Click(2, 298, True)])  # in a corner
    side = MIN_SIDE_FRACTION * 300
    assert (x0, y1) == (0, 300)  # shifted, not cut, at the image's edge
    assert abs((x1 - x0) - side) <= 1 and abs((y1 - y0) - side) <= 1
