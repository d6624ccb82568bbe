"""A box of no area, or one wholly off the image, is refused with a message and changes nothing."""

from __future__ import annotations

from prompt_support import ShapeSegmenter, drag, press, status, use_segmenter


def test_zero_area_and_off_image_boxes_are_refused(qtbot, opened, constant_predictor) -> None:
    window = opened
    segmenter = ShapeSegmenter()
    use_segmenter(window, segmenter, constant_predictor)
    session = window.workspace.session
    window.actions["tool_box"].trigger()
    window.canvas.zoom(0.5)  # room around the image

    press(window, 30, 30)  # a click, not a drag
    assert "has no area" in status(window) and "nothing changed" in status(window)

    drag(window, (-30, 10), (-5, 40))  # left of the image
    assert "outside the image" in status(window)

    assert segmenter.calls == [] and not window.prompts.busy
    assert not session.mask.any() and len(session.undo_stack) == 0
    assert not window.canvas.prompt_markers.shown
