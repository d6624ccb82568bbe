"""The refiner's input: scaled RGB, the mask, a disc per click in its own channel, the box."""

from __future__ import annotations

import numpy as np

from meddisseg_core.interactive import Click
from meddisseg_core.interactive.refiner import CHANNELS, CLICK_RADIUS, INPUT_SIZE, MEAN, STD, encode


def test_channels_hold_what_they_say() -> None:
    image = np.zeros((200, 200, 3), np.uint8)
    image[..., 0] = 255
    mask = np.zeros((200, 200), bool)
    mask[:, :100] = True
    clicks = [Click(50, 20, False), Click(150, 150, True)]  # the positive one is outside the crop
    x = encode(image, mask, clicks, (0, 0, 100, 100), box=(10, 10, 60, 60))
    assert x.shape == (len(CHANNELS), INPUT_SIZE, INPUT_SIZE) and x.dtype == np.float32
    np.testing.assert_allclose(x[0], (1 - MEAN[0]) / STD[0], rtol=1e-5)
    assert x[CHANNELS.index("mask")].min() == 1.0  # the crop is all mask
    assert x[CHANNELS.index("positive")].sum() == 0
    ys, xs = np.nonzero(x[CHANNELS.index("negative")])
    scale = INPUT_SIZE / 100
    assert abs(xs.mean() - 50.5 * scale) < 1 and abs(ys.mean() - 20.5 * scale) < 1
    assert ys.max() - ys.min() == 2 * CLICK_RADIUS  # a disc of the documented radius
    box = x[CHANNELS.index("box")]
    assert box[int(0.35 * INPUT_SIZE), int(0.35 * INPUT_SIZE)] == 1
    assert box[int(0.8 * INPUT_SIZE), 5] == 0
