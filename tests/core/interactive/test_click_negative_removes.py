"""A negative click on a false blob removes only that blob; on a leak it trims only near the click."""

from __future__ import annotations

import numpy as np
from prompt_scenes import RedPredictor, disc_mask, scene

from meddisseg_core.interactive import Click, Prompts


def test_negative_click_removes_only_the_false_blob(segmenter: object, red_predictor: RedPredictor) -> None:
    image = scene(discs=((80, 80, 25),))
    shape = image.shape[:2]
    lesion = disc_mask(shape, 80, 80, 25)
    false_blob = disc_mask(shape, 230, 170, 18)
    probability = red_predictor.predict(image).probability
    result = segmenter.segment(  # type: ignore[attr-defined]
        image, Prompts(clicks=(Click(230, 170, False),)), mask=lesion | false_blob, probability=probability
    )
    np.testing.assert_array_equal(result.mask, lesion)


def test_negative_click_on_a_leak_keeps_the_lesion(segmenter: object, red_predictor: RedPredictor) -> None:
    image = scene(discs=((100, 120, 40),))
    shape = image.shape[:2]
    lesion = disc_mask(shape, 100, 120, 40)
    leak = np.zeros(shape, bool)
    leak[110:130, 130:200] = True  # a grey bar sticking out of the disc
    mask = lesion | leak
    probability = red_predictor.predict(image).probability
    result = segmenter.segment(  # type: ignore[attr-defined]
        image, Prompts(clicks=(Click(175, 120, False),)), mask=mask, probability=probability
    )
    assert not result.mask[120, 175]
    assert np.count_nonzero(result.mask & lesion) >= 0.98 * np.count_nonzero(lesion)
    assert np.count_nonzero(result.mask & leak & ~lesion) < 0.5 * np.count_nonzero(leak & ~lesion)
