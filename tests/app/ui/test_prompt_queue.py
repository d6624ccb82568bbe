"""Clicks given while the model still runs wait their turn: each starts from the previous result."""

from __future__ import annotations

from prompt_support import GatedSegmenter, press, use_segmenter, wait_prompts


def test_clicks_while_busy_are_applied_in_order(qtbot, opened, constant_predictor) -> None:
    window = opened
    segmenter = GatedSegmenter()
    use_segmenter(window, segmenter, constant_predictor)
    session, markers = window.workspace.session, window.canvas.prompt_markers
    window.actions["tool_click"].trigger()

    press(window, 20, 20)
    qtbot.waitUntil(segmenter.entered.is_set, timeout=10_000)
    press(window, 60, 40)  # while the first is still being segmented
    assert len(markers.signs) == 2  # both shown at once
    segmenter.release()
    segmenter.release()
    wait_prompts(qtbot, window)

    assert len(segmenter.calls) == 2
    _shape, prompts, mask_given, _prob = segmenter.calls[1]
    assert [(c.x, c.y) for c in prompts.clicks] == [(20, 20), (60, 40)]
    assert mask_given[20, 20]  # the second ran on the first one's result
    assert session.mask[20, 20] == 1 and session.mask[40, 60] == 1
    assert len(session.undo_stack) == 2  # one undo step per prompt
