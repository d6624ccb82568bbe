"""Edit > Revert to proposal (Ctrl+Shift+R): the proposal's mask on screen and on disk, the image
"proposed" again, one Ctrl+Z back; a new threshold may rewrite the reverted mask again."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from ui_support import wait_idle

from meddisseg_studio.state.model import ReviewStatus


def test_revert_to_proposal_from_the_menu(qtbot, opened, constant_predictor) -> None:
    window, ws = opened, opened.workspace
    action = window.actions["revert_to_proposal"]
    assert QKeySequence("Ctrl+Shift+R") in action.shortcuts()
    edit_menu = next(m for m in window.menuBar().actions() if m.text() == "&Edit").menu()
    assert action in edit_menu.actions()

    window.proposals.set_predictor(constant_predictor, "constant")
    window.actions["propose_current"].trigger()
    wait_idle(qtbot, window)
    key = ws.key
    proposed = ws.proposal.binary_mask()
    window.canvas.set_tool("brush")
    window.canvas.brush_size = 7
    corner = window.canvas.image_to_viewport(4, 4)
    QTest.mouseClick(window.canvas.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0), corner)
    edited = ws.session.mask.copy()
    assert not np.array_equal(edited, proposed)
    assert ws.entry().status is ReviewStatus.EDITED

    action.trigger()
    assert np.array_equal(window.canvas.mask, proposed)
    assert ws.entry().status is ReviewStatus.PROPOSED
    assert ws.mask_follows_proposal  # the slider may rewrite the model's mask again
    ws.flush()
    assert np.array_equal(ws.project.load_mask(key), proposed)

    window.actions["undo"].trigger()  # one step
    assert np.array_equal(window.canvas.mask, edited)
    assert ws.entry().status is ReviewStatus.EDITED
    assert not ws.mask_follows_proposal
