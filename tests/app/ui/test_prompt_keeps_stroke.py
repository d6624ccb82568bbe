"""A brush stroke drawn while a prompt is segmented survives the prompt's result."""

from __future__ import annotations

from prompt_support import NO_MODIFIER, GatedSegmenter, at, press, use_segmenter, wait_prompts
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


def test_stroke_during_the_model_run_is_kept(qtbot, opened, constant_predictor) -> None:
    window = opened
    segmenter = GatedSegmenter()
    use_segmenter(window, segmenter, constant_predictor)
    session = window.workspace.session
    window.actions["tool_click"].trigger()
    press(window, 20, 20)
    qtbot.waitUntil(segmenter.entered.is_set, timeout=10_000)

    window.actions["tool_brush"].trigger()  # the canvas still takes input meanwhile
    window.canvas.brush_size = 5
    QTest.mouseClick(window.canvas.viewport(), Qt.MouseButton.LeftButton, NO_MODIFIER, at(window, 80, 60))
    assert session.mask[60, 80] == 1
    segmenter.release()
    wait_prompts(qtbot, window)

    assert session.mask[20, 20] == 1  # the click's region
    assert session.mask[60, 80] == 1  # and the stroke, although the model was given the mask without it
    assert len(session.undo_stack) == 2
