"""Click: a right click, or Alt+click, is a negative prompt that removes the region under it."""

from __future__ import annotations

from prompt_support import ShapeSegmenter, disc, press, use_segmenter, wait_prompts
from PySide6.QtCore import Qt


def test_right_click_and_alt_click_remove(qtbot, opened, constant_predictor) -> None:
    window = opened
    segmenter = ShapeSegmenter()
    use_segmenter(window, segmenter, constant_predictor)
    session = window.workspace.session
    window.actions["tool_click"].trigger()
    press(window, 40, 30)  # positive: a disc
    wait_prompts(qtbot, window)
    shape = session.mask.shape
    assert session.mask[30, 40] == 1

    press(window, 40, 30, button=Qt.MouseButton.RightButton)
    wait_prompts(qtbot, window)
    assert not session.mask.any()  # the disc is gone again
    assert segmenter.calls[-1][1].clicks[-1].positive is False

    press(window, 20, 20)
    wait_prompts(qtbot, window)
    press(window, 22, 20, modifier=Qt.KeyboardModifier.AltModifier)
    wait_prompts(qtbot, window)
    clicks = segmenter.calls[-1][1].clicks
    assert [c.positive for c in clicks] == [True, False, True, False]  # cumulative since Esc
    left = disc(shape, 20, 20) & ~disc(shape, 22, 20)
    assert session.mask.astype(bool).sum() == left.sum() and session.mask[20, 15] == 1
