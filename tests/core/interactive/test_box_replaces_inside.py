"""A box around a lesion gives that lesion inside the box, from a zoomed crop; outside stays as it was."""

from __future__ import annotations

import numpy as np
from prompt_scenes import RedPredictor, disc_mask, iou, scene

from meddisseg_core.interactive import Box, Prompts


def test_box_segments_the_disc_and_leaves_the_outside(segmenter: object, red_predictor: RedPredictor) -> None:
    image = scene(discs=((100, 120, 30),))
    outside = np.zeros(image.shape[:2], bool)
    outside[10:20, 250:300] = True  # someone's earlier edit, far from the box
    box = Box(66, 86, 135, 155)
    result = segmenter.segment(image, Prompts(box=box), mask=outside)  # type: ignore[attr-defined]

    truth = disc_mask(image.shape[:2], 100, 120, 30)
    assert iou(result.mask[86:155, 66:135], truth[86:155, 66:135]) > 0.95
    outside_box = np.ones(image.shape[:2], bool)
    outside_box[86:155, 66:135] = False
    np.testing.assert_array_equal(result.mask[outside_box], outside[outside_box])
    # The network saw a crop around the box (with context), not the whole frame.
    (crop_shape,) = red_predictor.calls
    assert 69 < crop_shape[0] < 240 and 69 < crop_shape[1] < 320
    assert result.probability is not None and result.probability.dtype == np.float32


def test_box_replaces_a_wrong_mask_inside(segmenter: object) -> None:
    image = scene(discs=((100, 120, 30),))
    wrong = np.zeros(image.shape[:2], bool)
    wrong[90:150, 70:95] = True  # a wrong stripe inside the future box
    result = segmenter.segment(image, Prompts(box=Box(66, 86, 135, 155)), mask=wrong)  # type: ignore[attr-defined]
    truth = disc_mask(image.shape[:2], 100, 120, 30)
    assert iou(result.mask, truth) > 0.95
