"""Esc clears the prompts and their markers: the next click starts afresh, without the old box."""

from __future__ import annotations

from prompt_support import ShapeSegmenter, drag, press, use_segmenter, wait_prompts
from PySide6.QtCore import Qt


def test_esc_clears_markers_and_prompts_but_not_the_mask(qtbot, opened, constant_predictor) -> None:
    window = opened
    segmenter = ShapeSegmenter()
    use_segmenter(window, segmenter, constant_predictor)
    canvas, session = window.canvas, window.workspace.session
    window.actions["tool_box"].trigger()
    drag(window, (20, 15), (60, 50))
    wait_prompts(qtbot, window)
    window.actions["tool_click"].trigger()  # the box stays: clicks refine it
    press(window, 70, 20)
    wait_prompts(qtbot, window)
    assert segmenter.calls[-1][1].box is not None and len(segmenter.calls[-1][1].clicks) == 1
    assert canvas.prompt_markers.box.visible and len(canvas.prompt_markers.signs) == 1
    mask = session.mask.copy()

    window.activateWindow()
    canvas.setFocus()
    qtbot.keyClick(canvas.viewport(), Qt.Key.Key_Escape)

    assert not canvas.prompt_markers.box.visible and canvas.prompt_markers.signs == []
    assert (session.mask == mask).all()  # Esc forgets the prompts, not their results
    press(window, 10, 60)
    wait_prompts(qtbot, window)
    prompts = segmenter.calls[-1][1]
    assert prompts.box is None and [(c.x, c.y) for c in prompts.clicks] == [(10, 60)]

    # Esc from anywhere in the window (the Model menu's Esc, no job running) clears them too.
    assert len(canvas.prompt_markers.signs) == 1
    window.actions["cancel_job"].trigger()
    assert canvas.prompt_markers.signs == [] and window.prompts.shown() is None
