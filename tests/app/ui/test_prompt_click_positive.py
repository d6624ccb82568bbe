"""Click: a real left click on the image adds the region under it, as one undo step."""

from __future__ import annotations

import numpy as np
from prompt_support import ShapeSegmenter, disc, press, use_segmenter, wait_prompts


def test_left_click_adds_the_region_under_it(qtbot, opened, constant_predictor) -> None:
    window = opened
    segmenter = ShapeSegmenter()
    use_segmenter(window, segmenter, constant_predictor)
    session = window.workspace.session
    assert not session.mask.any()
    window.actions["tool_click"].trigger()

    press(window, 40, 30)
    wait_prompts(qtbot, window)

    ((_shape, prompts, _mask, _prob),) = segmenter.calls
    (click,) = prompts.clicks
    assert (click.x, click.y, click.positive) == (40, 30, True)
    assert np.array_equal(session.mask.astype(bool), disc(session.mask.shape, 40, 30))
    assert len(session.undo_stack) == 1
