"""A box dragged past the image edge is clipped to the image, and the status line says so."""

from __future__ import annotations

from prompt_support import ShapeSegmenter, drag, status, use_segmenter, wait_prompts


def test_box_running_off_the_edge_is_clipped_and_announced(qtbot, opened, constant_predictor) -> None:
    window = opened
    segmenter = ShapeSegmenter()
    use_segmenter(window, segmenter, constant_predictor)
    window.actions["tool_box"].trigger()
    window.canvas.zoom(0.5)
    height, _width = window.workspace.session.mask.shape

    drag(window, (-10, -8), (30, height + 6))
    wait_prompts(qtbot, window)

    box = segmenter.calls[-1][1].box
    assert (box.x0, box.y0, box.x1, box.y1) == (0, 0, 31, height)
    assert "clipped to the image edge" in status(window)
