from PySide6 import QtCore
from PySide6.QtTest import QTest


def test_bracket_keys_and_ctrl_wheel_resize_the_brush(rig) -> None:
    canvas = rig.canvas
    canvas.set_tool("brush")
    canvas.brush_size = 20
    seen = []
    canvas.brushSizeChanged.connect(seen.append)
    vp = canvas.viewport()
    QTest.keyClick(vp, QtCore.Qt.Key.Key_BracketRight)
    assert canvas.brush_size > 20
    QTest.keyClick(vp, QtCore.Qt.Key.Key_BracketLeft)
    QTest.keyClick(vp, QtCore.Qt.Key.Key_BracketLeft)
    assert canvas.brush_size < 20
    assert len(seen) == 3
    canvas.brush_size = 0
    assert canvas.brush_size == canvas.MIN_BRUSH
    canvas.brush_size = 10_000
    assert canvas.brush_size == canvas.MAX_BRUSH


def test_ctrl_wheel_resizes_plain_wheel_zooms(rig, qtbot) -> None:
    canvas = rig.canvas
    canvas.brush_size = 20
    view = canvas.visible_rect()
    pos = QtCore.QPointF(rig.at(128, 128))
    for mods, size_changes in [
        (QtCore.Qt.KeyboardModifier.ControlModifier, True),
        (QtCore.Qt.KeyboardModifier.NoModifier, False),
    ]:
        from PySide6 import QtGui

        event = QtGui.QWheelEvent(
            pos,
            canvas.viewport().mapToGlobal(pos),
            QtCore.QPoint(),
            QtCore.QPoint(0, 120),
            QtCore.Qt.MouseButton.NoButton,
            mods,
            QtCore.Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QtCore.QCoreApplication.sendEvent(canvas.viewport(), event)
        if size_changes:
            assert canvas.brush_size > 20 and canvas.visible_rect() == view
    assert canvas.visible_rect().width() < view.width()
