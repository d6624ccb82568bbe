"""Undo reverts a prompt's result (the previous mask) and takes its marker back; redo restores both."""

from __future__ import annotations

from prompt_support import ShapeSegmenter, press, use_segmenter, wait_prompts


def test_undo_restores_the_previous_mask_and_marker(qtbot, opened, constant_predictor) -> None:
    window = opened
    segmenter = ShapeSegmenter()
    use_segmenter(window, segmenter, constant_predictor)
    session, markers = window.workspace.session, window.canvas.prompt_markers
    window.actions["tool_click"].trigger()
    press(window, 20, 20)
    wait_prompts(qtbot, window)
    first = session.mask.copy()
    press(window, 60, 40)
    wait_prompts(qtbot, window)
    second = session.mask.copy()
    assert (first != second).any() and len(markers.signs) == 2

    window.actions["undo"].trigger()
    assert (session.mask == first).all()
    assert len(markers.signs) == 1
    assert window.canvas.overlay.pixels[40, 60] == 0  # the canvas shows the reverted mask

    window.actions["redo"].trigger()
    assert (session.mask == second).all() and len(markers.signs) == 2

    window.actions["undo"].trigger()
    press(window, 70, 10)  # after an undo, the next click builds on the clicks still shown
    wait_prompts(qtbot, window)
    assert [(c.x, c.y) for c in segmenter.calls[-1][1].clicks] == [(20, 20), (70, 10)]
