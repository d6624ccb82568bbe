"""Switching tools by key shows the new tool's hint in the status bar, and a stale hint left from
hovering a button (a temporary status message) is cleared instead of covering it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


def test_tool_key_clears_stale_hint_and_shows_the_tool(qtbot, opened) -> None:
    window = opened
    canvas = window.canvas
    qtbot.waitUntil(lambda: window.tool_status is not None)
    canvas.set_tool("brush")
    window.statusBar().showMessage("Lasso: drag around an area (hovered a while ago)")  # no timeout
    assert window.tool_status.isHidden()

    canvas.setFocus()
    QTest.keyClick(window, Qt.Key.Key_E)

    assert canvas.tool.name == "eraser"
    assert window.statusBar().currentMessage() == ""
    assert window.tool_status.isVisible()
    assert window.tool_status.toolTip().startswith("Eraser") or "Eraser" in window.tool_status.text()
