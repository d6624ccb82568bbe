from PySide6 import QtCore
from PySide6.QtTest import QTest


def test_zoom_in_then_fit_shows_the_whole_image(rig) -> None:
    canvas = rig.canvas
    full = canvas.visible_rect()
    assert full.contains(QtCore.QRectF(0, 0, 256, 256))
    canvas.zoom(4.0, QtCore.QPointF(64, 64))
    zoomed = canvas.visible_rect()
    assert zoomed.width() < full.width() / 3
    assert zoomed.contains(QtCore.QPointF(64, 64))
    canvas.fit_to_window()
    assert canvas.visible_rect().contains(QtCore.QRectF(0, 0, 256, 256))
    assert canvas.visible_rect().width() < 256 * 1.2


def test_middle_drag_pans(rig) -> None:
    canvas = rig.canvas
    canvas.zoom(4.0)
    start = canvas.visible_rect()
    vp = canvas.viewport()
    middle = QtCore.Qt.MouseButton.MiddleButton
    QTest.mousePress(vp, middle, QtCore.Qt.KeyboardModifier.NoModifier, QtCore.QPoint(200, 200))
    QTest.mouseMove(vp, QtCore.QPoint(250, 200))
    QTest.mouseRelease(vp, middle, QtCore.Qt.KeyboardModifier.NoModifier, QtCore.QPoint(250, 200))
    moved = canvas.visible_rect()
    assert moved.left() < start.left() - 1  # dragging right shows what was on the left
    assert abs(moved.top() - start.top()) < 0.5
    assert rig.mask.sum() == 0 and rig.edits == []  # panning never edits
