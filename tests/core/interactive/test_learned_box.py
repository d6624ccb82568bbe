"""The learned box method: the network's crop map and an ellipse, redrawn, replace the box's inside only."""

from __future__ import annotations

import numpy as np
from prompt_scenes import RedPredictor, disc_mask, iou, scene
from refiner_stubs import EchoNet

from meddisseg_core.interactive import Box, Prompts
from meddisseg_core.interactive.crops import CropRunner
from meddisseg_core.interactive.learned import LearnedBox


def test_box_gives_the_lesion_inside_and_keeps_the_outside() -> None:
    predictor = RedPredictor()
    method = LearnedBox(CropRunner(predictor), EchoNet())
    image = scene(discs=((100, 120, 30),))
    earlier = np.zeros(image.shape[:2], bool)
    earlier[10:20, 250:300] = True
    result = method(image, Prompts(box=Box(68, 88, 133, 153)), earlier, None)
    truth = disc_mask(image.shape[:2], 100, 120, 30)
    assert iou(result.mask[88:153, 68:133], truth[88:153, 68:133]) > 0.9
    outside = np.ones(image.shape[:2], bool)
    outside[88:153, 68:133] = False
    np.testing.assert_array_equal(result.mask[outside], earlier[outside])
    assert len(predictor.calls) == 1 and predictor.calls[0][0] < 240  # one pass, on a crop
