"""In the app: drawing on an approved image marks it "changed after approval" until approved again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from ui_support import readable_keys, wait_idle

from meddisseg_studio.state.model import ReviewStatus


def test_edit_after_approval_shows_changed_and_reapproval_clears_it(
    qtbot, opened, constant_predictor
) -> None:
    window, project = opened, opened.workspace.project
    keys = readable_keys(window)
    window.proposals.set_predictor(constant_predictor, "constant")
    window.actions["propose_current"].trigger()
    wait_idle(qtbot, window)
    first = window.workspace.key
    window.actions["approve"].trigger()
    assert project.entry(first).proposal_dice == 1.0
    for _ in keys[1:]:
        window.actions["approve"].trigger()
    assert all(project.entry(k).status is ReviewStatus.APPROVED for k in keys)

    window.workspace.show_image(first)
    window.canvas.set_tool("brush")
    window.canvas.brush_size = 9
    corner = window.canvas.image_to_viewport(3, 3)  # outside the proposed disc
    QTest.mouseClick(window.canvas.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0), corner)
    entry = project.entry(first)
    assert entry.status is ReviewStatus.CHANGED
    model = window.image_list.model
    assert "changed after approval" in model.data(model.index(model.row_of(first)))
    assert "changed after approval" in window.review_panel.status_label.text()

    window.workspace.show_image(keys[-1])
    window.actions["next_unreviewed"].trigger()  # the changed image is unreviewed again
    assert window.workspace.key == first
    window.actions["approve"].trigger()
    entry = project.entry(first)
    assert entry.status is ReviewStatus.APPROVED
    assert entry.proposal_dice is not None and entry.proposal_dice < 1.0  # recomputed for the new mask
