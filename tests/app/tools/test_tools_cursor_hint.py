"""Each tool names its own cursor and explains itself: the eraser is not shown as the brush."""

from meddisseg_studio.tools import CURSORS, TOOLS, create_tool, gesture_rows


def test_each_tool_has_a_known_cursor_and_a_hint() -> None:
    cursors = {name: create_tool(name).cursor for name in TOOLS}
    assert cursors == {
        "brush": "disc",
        "eraser": "ring",
        "polygon": "crosshair",
        "lasso": "crosshair",
        "flood_fill": "fill",
        "box": "crosshair",
        "click": "crosshair",
    }
    assert set(cursors.values()) <= set(CURSORS)
    for name in TOOLS:
        assert create_tool(name).hint, name


def test_status_text_names_the_active_tool_and_its_size() -> None:
    assert create_tool("eraser").status_text(15).startswith("Eraser 15 px · ")
    assert create_tool("brush").status_text(7).startswith("Brush 7 px · ")
    polygon = create_tool("polygon").status_text(15)
    assert polygon.startswith("Polygon · ") and "px" not in polygon
    assert "Enter closes · Esc cancels · Alt cuts" in polygon
    assert "Shift" in create_tool("flood_fill").status_text(15)


def test_gesture_rows_document_shift_fill_and_polygon_keys() -> None:
    rows = gesture_rows()
    assert ("Flood fill", "Flood fill a region that reaches the image border", "Shift+click") in rows
    assert any(where == "Polygon" and gesture.startswith("Enter") for where, _what, gesture in rows)
    assert all(where and what and gesture for where, what, gesture in rows)
