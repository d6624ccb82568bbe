"""F1 and the status bar explain Box and Click: their keys, and which click adds and which removes."""

from __future__ import annotations

from PySide6.QtCore import Qt


def test_f1_and_status_bar_explain_box_and_click(qtbot, opened) -> None:
    window = opened
    dialog = window.show_shortcuts()
    commands = dialog.rows()
    assert ("Tools", "Box", "X") in commands and ("Tools", "Click", "C") in commands
    gestures = dialog.gesture_rows()
    negative = ("Click", "Remove the region under the pointer (red −)", "Right-click or Alt+click")
    assert negative in gestures
    esc = ("Box", "Clear the Box and Click prompts and their markers", "Esc")
    assert esc in gestures
    dialog.close()

    window.activateWindow()
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas.viewport(), Qt.Key.Key_C)
    assert window.canvas.tool.name == "click" and window.tool_bar.current() == "click"
    hint = window.tool_status.text()
    assert hint.startswith("Click · ") and "right-click or Alt+click removes" in hint and "Esc clears" in hint
    qtbot.keyClick(window.canvas.viewport(), Qt.Key.Key_X)
    assert window.canvas.tool.name == "box"
    assert window.tool_status.text().startswith("Box · Drag a box around the lesion")
