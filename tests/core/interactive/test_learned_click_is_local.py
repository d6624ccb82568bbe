"""The learned click method changes only its focus crop, obeys the click, and falls back when deaf."""

from __future__ import annotations

import numpy as np
from prompt_scenes import RedPredictor, disc_mask, scene
from refiner_stubs import DeafNet, EchoNet, EverythingNet

from meddisseg_core.interactive import Click, Prompts
from meddisseg_core.interactive.clicks import LocalWatershed
from meddisseg_core.interactive.crops import CropRunner
from meddisseg_core.interactive.learned import LearnedClick, paste
from meddisseg_core.interactive.refiner import focus_rect


def _method(net: object) -> tuple[LearnedClick, np.ndarray, np.ndarray]:
    runner = CropRunner(RedPredictor())
    image = scene(discs=((100, 100, 30),), pale=((300, 200, 20),))
    return LearnedClick(runner, net, LocalWatershed(runner)), image, runner.full(image)


def test_a_click_changes_nothing_outside_its_focus_crop() -> None:
    method, image, prob = _method(EverythingNet())
    mask = disc_mask(image.shape[:2], 100, 100, 30)
    prompts = Prompts(clicks=(Click(135, 100, True),))
    result = method(image, prompts, mask, prob)
    x0, y0, x1, y1 = focus_rect(mask, prompts.clicks)
    outside = np.ones(mask.shape, bool)
    outside[y0:y1, x0:x1] = False
    np.testing.assert_array_equal(result.mask[outside], mask[outside])
    expected = paste(mask, np.ones((y1 - y0, x1 - x0), bool), (x0, y0, x1, y1))
    np.testing.assert_array_equal(result.mask, expected)  # inside, the network's answer (but the seam band)
    assert result.mask[y0 + 10 : y1 - 10, x0 + 10 : x1 - 10].all()


def test_a_click_on_its_own_side_changes_nothing() -> None:
    method, image, prob = _method(EverythingNet())
    mask = disc_mask(image.shape[:2], 100, 100, 30)
    result = method(image, Prompts(clicks=(Click(100, 100, True),)), mask, prob)
    np.testing.assert_array_equal(result.mask, mask)


def test_the_newest_click_is_obeyed() -> None:
    method, image, prob = _method(EchoNet())
    mask = disc_mask(image.shape[:2], 100, 100, 30)
    result = method(image, Prompts(clicks=(Click(100, 100, False),)), mask, prob)
    assert not result.mask[100, 100] and result.mask[100, 75]  # a hole at the click, the rest kept


def test_a_network_that_ignores_the_click_gives_way_to_the_hand_made_method() -> None:
    method, image, prob = _method(DeafNet())
    mask = disc_mask(image.shape[:2], 100, 100, 30)
    prompts = Prompts(clicks=(Click(300, 200, True),))  # on the missed pale disc
    result = method(image, prompts, mask, prob)
    assert result.mask[200, 300]
    expected = method.fallback(image, prompts, mask, prob)
    np.testing.assert_array_equal(result.mask, expected.mask)
