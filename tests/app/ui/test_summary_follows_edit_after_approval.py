"""The per-image Summary follows an edit of an approved image: it no longer shows the approval's
"Proposal agreement 100 % / Edited pixels 0 %" once the mask has changed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from ui_support import wait_idle


def test_agreement_updates_after_editing_an_approved_image(qtbot, opened, constant_predictor) -> None:
    window = opened
    window.proposals.set_predictor(constant_predictor, "constant")
    window.actions["propose_current"].trigger()
    wait_idle(qtbot, window)
    first = window.workspace.key
    window.actions["approve"].trigger()
    window.workspace.show_image(first)
    labels = window.summary_panel.labels
    assert labels["image_dice"].text() == "100.0 %" and labels["image_edited"].text() == "0.0 %"

    window.canvas.set_tool("brush")
    window.canvas.brush_size = 9
    corner = window.canvas.image_to_viewport(3, 3)  # outside the proposed disc
    QTest.mouseClick(window.canvas.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0), corner)

    qtbot.waitUntil(lambda: labels["image_dice"].text() != "100.0 %", timeout=20_000)
    assert labels["image_edited"].text() != "0.0 %"
    dice = float(labels["image_dice"].text().rstrip(" %"))
    assert 0 < dice < 100
