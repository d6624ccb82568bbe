"""Ctrl+Z undoes the last canvas edit and Ctrl+Shift+Z (or Ctrl+Y) redoes it."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from meddisseg_studio.state.edits import MaskEdit


def test_undo_redo_with_keyboard(qtbot, opened) -> None:
    session = opened.workspace.session
    mask = session.mask
    assert not mask.any()
    patch = np.ones((5, 7), np.uint8)
    opened.canvas.editCommitted.emit(MaskEdit(3, 4, np.zeros_like(patch), patch))
    assert int(mask.sum()) == 35
    opened.activateWindow()
    target = opened.image_list.view
    target.setFocus()

    qtbot.keyClick(target, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert int(session.mask.sum()) == 0
    qtbot.keyClick(
        target, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert int(session.mask.sum()) == 35
    qtbot.keyClick(target, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(target, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert int(session.mask.sum()) == 35
    assert session.mask[3:8, 4:11].all()
