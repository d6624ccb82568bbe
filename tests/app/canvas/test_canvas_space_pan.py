from PySide6 import QtCore
from PySide6.QtTest import QTest


def test_space_drag_pans_instead_of_painting(rig) -> None:
    canvas = rig.canvas
    canvas.zoom(3.0)
    start = canvas.visible_rect()
    vp, left, none = (
        canvas.viewport(),
        QtCore.Qt.MouseButton.LeftButton,
        QtCore.Qt.KeyboardModifier.NoModifier,
    )
    QTest.keyPress(vp, QtCore.Qt.Key.Key_Space)
    QTest.mousePress(vp, left, none, QtCore.QPoint(200, 200))
    QTest.mouseMove(vp, QtCore.QPoint(200, 260))
    QTest.mouseRelease(vp, left, none, QtCore.QPoint(200, 260))
    QTest.keyRelease(vp, QtCore.Qt.Key.Key_Space)
    assert canvas.visible_rect().top() < start.top() - 1
    assert rig.mask.sum() == 0 and rig.edits == []
    rig.click(128, 128)  # Space released: the brush paints again
    assert rig.mask.sum() > 0
