"""F1 help also lists the mouse gestures and modifiers: Shift+click flood fill, Enter closes a polygon."""

from __future__ import annotations

from meddisseg_studio.tools import gesture_rows


def test_help_lists_gestures(qtbot, window) -> None:
    dialog = window.show_shortcuts()
    rows = dialog.gesture_rows()
    assert rows == gesture_rows()
    assert ("Flood fill", "Flood fill a region that reaches the image border", "Shift+click") in rows
    assert any(where == "Polygon" and "Enter" in keys for where, _what, keys in rows)
    dialog.close()
