"""The click refiner sees the mask as a belief (0.1 / 0.9), and a small change gets a zoomed pass."""

from __future__ import annotations

import numpy as np
from prompt_scenes import RedPredictor, disc_mask, scene
from refiner_stubs import EchoNet

from meddisseg_core.interactive import Click, Prompts
from meddisseg_core.interactive.clicks import LocalWatershed
from meddisseg_core.interactive.crops import CropRunner
from meddisseg_core.interactive.learned import LearnedClick, paste, zoom_rect


def _recording_method() -> tuple[LearnedClick, np.ndarray, list]:
    runner = CropRunner(RedPredictor())
    image = scene(discs=((200, 150, 80),))
    method = LearnedClick(runner, EchoNet(), LocalWatershed(runner))
    calls: list = []
    real = method.refine

    def spy(image, prior, clicks, rect, box=None):
        answer = real(image, prior, clicks, rect, box)
        calls.append((np.asarray(prior).copy(), rect, answer))
        return answer

    method.refine = spy  # type: ignore[method-assign]
    return method, image, calls


def test_the_first_pass_sees_the_mask_as_a_belief_and_a_small_change_is_redrawn_zoomed() -> None:
    method, image, calls = _recording_method()
    mask = disc_mask(image.shape[:2], 200, 150, 80)
    click = Click(200, 150, False)  # a negative click in the middle of the disc
    result = method(image, Prompts(clicks=(click,)), mask, None)

    assert len(calls) == 2  # the focus crop, then the zoomed crop
    first_prior, first_rect, first_answer = calls[0]
    np.testing.assert_allclose(np.unique(first_prior), [0.1, 0.9], rtol=1e-6)
    x0, _y0, x1, _y1 = first_rect
    after_first = paste(mask, first_answer, first_rect)
    zoom = zoom_rect(mask, after_first, click, first_rect)
    assert zoom is not None and calls[1][1] == zoom
    assert zoom[2] - zoom[0] < x1 - x0  # smaller than the first crop: more pixels per lesion pixel
    np.testing.assert_array_equal(calls[1][0], after_first)  # the zoomed pass starts from the first answer
    assert not result.mask[150, 200] and result.mask[150, 140]  # a hole at the click, the rest kept
