"""A click outside the image says so and changes nothing (no model run, no marker, no undo step)."""

from __future__ import annotations

from prompt_support import ShapeSegmenter, press, status, use_segmenter


def test_click_outside_the_image_is_refused_with_a_message(qtbot, opened, constant_predictor) -> None:
    window = opened
    segmenter = ShapeSegmenter()
    use_segmenter(window, segmenter, constant_predictor)
    session = window.workspace.session
    window.actions["tool_click"].trigger()
    window.canvas.zoom(0.5)  # room around the image
    _height, width = session.mask.shape
    mask = session.mask.copy()

    press(window, width + 5, 10)

    assert "outside the image" in status(window) and "nothing changed" in status(window)
    assert f"({width + 5}, 10)" in status(window)  # the offending point
    assert not window.prompts.busy and segmenter.calls == []
    assert (session.mask == mask).all() and len(session.undo_stack) == 0
    assert window.canvas.prompt_markers.signs == []
