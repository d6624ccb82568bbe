from PySide6 import QtCore
from PySide6.QtTest import QTest


def test_polygon_clicks_and_enter_add(rig) -> None:
    rig.canvas.set_tool("polygon")
    for x, y in [(50, 50), (150, 50), (150, 150), (50, 150)]:
        rig.click(x, y)
    assert rig.mask.sum() == 0
    QTest.keyClick(rig.canvas.viewport(), QtCore.Qt.Key.Key_Return)
    assert rig.mask[60:140, 60:140].all() and rig.mask[:45].sum() == 0
    assert len(rig.edits) == 1


def test_polygon_double_click_with_ctrl_cuts(rig) -> None:
    rig.mask[:] = 1
    rig.canvas.set_tool("polygon")
    ctrl = QtCore.Qt.KeyboardModifier.ControlModifier
    for x, y in [(50, 50), (150, 50), (150, 150)]:
        rig.click(x, y, ctrl)
    QTest.mouseDClick(rig.canvas.viewport(), QtCore.Qt.MouseButton.LeftButton, ctrl, rig.at(50, 150))
    assert rig.mask[60:140, 60:140].sum() == 0 and rig.mask[200:].all()
    assert len(rig.edits) == 1


def test_escape_abandons_the_polygon(rig) -> None:
    rig.canvas.set_tool("polygon")
    for x, y in [(50, 50), (150, 50), (150, 150)]:
        rig.click(x, y)
    QTest.keyClick(rig.canvas.viewport(), QtCore.Qt.Key.Key_Escape)
    QTest.keyClick(rig.canvas.viewport(), QtCore.Qt.Key.Key_Return)
    assert rig.mask.sum() == 0 and rig.edits == []
