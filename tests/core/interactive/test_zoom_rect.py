"""The zoomed second pass's crop: around the first pass's change under the click, or none."""

from __future__ import annotations

import numpy as np

from meddisseg_core.interactive import Click
from meddisseg_core.interactive.learned import ZOOM_EXPAND, zoom_rect

SHAPE = (600, 800)
FIRST = (100, 0, 700, 600)  # the first pass's crop: 600 px square


def _disc() -> np.ndarray:
    yy, xx = np.mgrid[: SHAPE[0], : SHAPE[1]]
    return (yy - 300) ** 2 + (xx - 400) ** 2 <= 150**2


def test_a_small_change_gets_a_crop_around_it() -> None:
    before = _disc()
    after = before.copy()
    after[280:320, 545:625] = True  # a 80 x 40 bump on the disc's right edge
    rect = zoom_rect(before, after, Click(600, 300, True), FIRST)
    assert rect is not None
    x0, y0, x1, y1 = rect
    changed_x = np.nonzero((before != after).any(axis=0))[0]
    width = changed_x[-1] + 1 - changed_x[0]  # the bump outside the disc: ~78 px
    assert x1 - x0 == y1 - y0 == round(width * ZOOM_EXPAND)  # > 0.2 x 600 = 120, the minimum
    assert x0 <= changed_x[0] and x1 > changed_x[-1] and y0 <= 280 and y1 >= 320  # the change is inside


def test_a_click_whose_pixel_did_not_change_gets_the_minimum_crop_around_it() -> None:
    before = _disc()
    rect = zoom_rect(before, before.copy(), Click(400, 300, False), FIRST)
    assert rect == (340, 240, 460, 360)  # 0.2 x 600 = 120 px, centred on the click


def test_a_large_change_is_not_zoomed() -> None:
    before = np.zeros(SHAPE, bool)
    after = _disc()  # the change is 300 px wide: 1.75 x 300 > 0.7 x 600
    assert zoom_rect(before, after, Click(400, 300, True), FIRST) is None


def test_the_crop_stays_inside_the_image() -> None:
    before = np.zeros(SHAPE, bool)
    after = before.copy()
    after[0:30, 0:30] = True  # a change in the corner
    x0, y0, x1, y1 = zoom_rect(before, after, Click(5, 5, True), FIRST)
    assert (x0, y0) == (0, 0) and x1 - x0 == y1 - y0 == 120
