from PySide6 import QtCore, QtGui
from PySide6.QtTest import QTest


def test_live_polygon_keeps_enter_from_window_shortcuts(rig) -> None:
    fired = []
    action = QtGui.QAction("window-wide Enter", rig.canvas)
    action.setShortcut(QtGui.QKeySequence(QtCore.Qt.Key.Key_Return))
    action.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda: fired.append(True))
    rig.canvas.addAction(action)
    rig.canvas.set_tool("polygon")
    rig.canvas.setFocus()
    for x, y in [(50, 50), (150, 50), (150, 150)]:
        rig.click(x, y)
    QTest.keyClick(rig.canvas.viewport(), QtCore.Qt.Key.Key_Return)
    assert rig.mask[60:100, 120:140].all() and len(rig.edits) == 1
    assert fired == []
    QTest.keyClick(rig.canvas.viewport(), QtCore.Qt.Key.Key_Return)  # nothing live: the window's
    assert fired == [True]
