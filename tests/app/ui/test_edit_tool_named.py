"""Each edit made on the canvas is recorded with what made it: the tool, or the operation."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


def test_the_log_names_the_tool_of_each_edit(qtbot, opened) -> None:
    window, ws = opened, opened.workspace
    canvas = window.canvas
    canvas.brush_size = 9
    viewport, left, none = canvas.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0)
    canvas.set_tool("brush")
    QTest.mouseClick(viewport, left, none, canvas.image_to_viewport(20, 20))
    canvas.set_tool("eraser")
    canvas.brush_size = 3
    QTest.mouseClick(viewport, left, none, canvas.image_to_viewport(20, 20))  # a hole in the dot
    window.actions["fill_holes"].trigger()
    window.actions["clear_mask"].trigger()
    ws.project.autosave_queue.flush()  # the rows are made off the GUI thread
    tools = [r.details["tool"] for r in ws.project.history(ws.key) if r.action == "mask"]
    assert tools == ["brush", "eraser", "fill_holes", "clear"]
