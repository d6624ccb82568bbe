"""A approves and moves to the next unreviewed image; R rejects with the reason given."""

from __future__ import annotations

from PySide6.QtCore import Qt
from ui_support import BROKEN

from meddisseg_studio.state.model import ReviewStatus


def test_approve_moves_on_and_reject_stores_reason(qtbot, opened) -> None:
    project = opened.workspace.project
    keys = [e.key for e in project.entries if e.key != BROKEN]
    first = opened.workspace.key
    assert first == keys[0]
    opened.activateWindow()
    opened.image_list.view.setFocus()

    qtbot.keyClick(opened.image_list.view, Qt.Key.Key_A)
    assert project.entry(first).status is ReviewStatus.APPROVED
    assert opened.workspace.key == keys[1]
    # The list row shows the new status.
    row = opened.image_list.model.row_of(first)
    assert "approved" in opened.image_list.model.data(opened.image_list.model.index(row))

    opened.dialogs.reasons.append("motion blur")
    qtbot.keyClick(opened.image_list.view, Qt.Key.Key_R)
    entry = project.entry(keys[1])
    assert entry.status is ReviewStatus.REJECTED
    assert entry.reject_reason == "motion blur"
    assert opened.workspace.key == keys[2]

    # Cancelling the reason dialog rejects nothing.
    qtbot.keyClick(opened.image_list.view, Qt.Key.Key_R)
    assert project.entry(keys[2]).status is not ReviewStatus.REJECTED
    assert opened.workspace.key == keys[2]
