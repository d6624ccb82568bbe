"""A positive click on a missed lesion adds it; the rest of the mask does not change."""

from __future__ import annotations

import numpy as np
from prompt_scenes import RedPredictor, disc_mask, iou, scene

from meddisseg_core.interactive import Click, Prompts


def test_positive_click_adds_the_missed_disc(segmenter: object, red_predictor: RedPredictor) -> None:
    image = scene(discs=((80, 80, 25),), pale=((240, 160, 20),))
    shape = image.shape[:2]
    found = disc_mask(shape, 80, 80, 25)
    missed = disc_mask(shape, 240, 160, 20)
    probability = red_predictor.predict(image).probability
    assert probability[160, 240] < 0.5  # the proposal missed the pale disc
    red_predictor.calls.clear()

    result = segmenter.segment(  # type: ignore[attr-defined]
        image, Prompts(clicks=(Click(240, 160, True),)), mask=found, probability=probability
    )
    assert iou(result.mask & ~found, missed) > 0.9
    np.testing.assert_array_equal(result.mask[found], True)
    far = ~disc_mask(shape, 240, 160, 40)
    np.testing.assert_array_equal(result.mask[far], found[far])
    assert red_predictor.calls == []  # a click does not run the network when the map is known


def test_positive_click_on_an_empty_mask_takes_the_object_under_it(segmenter: object) -> None:
    image = scene(discs=((80, 80, 25), (240, 160, 20)))
    result = segmenter.segment(image, Prompts(clicks=(Click(80, 80, True),)))  # type: ignore[attr-defined]
    assert iou(result.mask, disc_mask(image.shape[:2], 80, 80, 25)) > 0.9  # not the other disc
