from PySide6 import QtCore
from PySide6.QtTest import QTest


def test_escape_mid_stroke_restores_the_mask_and_commits_nothing(rig) -> None:
    rig.mask[100:110, :] = 1
    before = rig.mask.copy()
    vp, left = rig.canvas.viewport(), QtCore.Qt.MouseButton.LeftButton
    QTest.mousePress(vp, left, QtCore.Qt.KeyboardModifier.NoModifier, rig.at(20, 50))
    QTest.mouseMove(vp, rig.at(200, 50))
    assert rig.mask[50, 30:190].all()  # live
    QTest.keyClick(vp, QtCore.Qt.Key.Key_Escape)
    QTest.mouseRelease(vp, left, QtCore.Qt.KeyboardModifier.NoModifier, rig.at(200, 50))
    assert (rig.mask == before).all()
    assert rig.edits == []
    assert not rig.canvas.overlay.pixels[50, 30:190].any()  # the overlay was redrawn too
