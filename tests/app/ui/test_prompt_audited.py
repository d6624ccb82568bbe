"""A prompt's edit is audited with the prompt as its tool: "box" for a box, "click" for a click."""

from __future__ import annotations

from prompt_support import ShapeSegmenter, drag, use_segmenter, wait_prompts
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


def test_box_then_click_are_named_in_the_log(qtbot, opened, constant_predictor) -> None:
    window, ws = opened, opened.workspace
    use_segmenter(window, ShapeSegmenter(), constant_predictor)
    window.actions["tool_box"].trigger()
    drag(window, (20, 15), (60, 50))
    wait_prompts(qtbot, window)
    window.actions["tool_click"].trigger()
    canvas = window.canvas
    QTest.mouseClick(
        canvas.viewport(),
        Qt.MouseButton.RightButton,
        Qt.KeyboardModifier(0),
        canvas.image_to_viewport(40, 30),
    )
    wait_prompts(qtbot, window)
    ws.project.autosave_queue.flush()  # mask rows are made off the GUI thread
    tools = [r.details["tool"] for r in ws.project.history(ws.key) if r.action == "mask"]
    assert tools == ["box", "click"], tools
