from PySide6.QtTest import QTest


def test_hover_shows_a_circle_of_the_brush_size(rig) -> None:
    canvas = rig.canvas
    canvas.set_tool("brush")
    canvas.brush_size = 31
    QTest.mouseMove(canvas.viewport(), rig.at(100, 120))
    cursor = canvas._cursor
    assert cursor.visible
    rect = cursor.items[0].rect()
    assert rect.width() == 31 and abs(rect.center().x() - 100.5) <= 1 and abs(rect.center().y() - 120.5) <= 1
    canvas.brush_size = 11  # resizing follows at once
    assert cursor.items[0].rect().width() == 11
    canvas.set_tool("polygon")  # no brush: no circle
    QTest.mouseMove(canvas.viewport(), rig.at(90, 90))
    assert not cursor.visible
    assert rig.mask.sum() == 0  # hovering never paints
