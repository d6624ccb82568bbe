"""In the app: drawing on an approved image marks it "changed after approval" until approved again."""

from __future__ import annotations

from meddisseg_studio.state.model import ReviewStatus
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from ui_support import readable_keys, wait_idle


def test_edit_after_approval_shows_changed_and_reapproval_clears_it(
    qtbot, opened, constant_predictor
) -> None:
    window, project = opened, opened.studio.project
    keys = readable_keys(window)
    window.jobs.set_predictor(constant_predictor, "constant")
    window.actions["propose_current"].trigger()
    wait_idle(qtbot, window)
    first = window.studio.key
    window.actions["approve"].trigger()
    assert project.entry(first).proposal_dice == 1.0
    for _ in keys[1:]:
        window.actions["approve"].trigger()
    assert all(project.entry(k).status is ReviewStatus.APPROVED for k in keys)

    window.studio.show_image(first)
    window.canvas.set_tool("brush")
    window.canvas.brush_size = 9
    corner = window.canvas.image_to_viewport(3, 3)  # outside the proposed disc
    QTest.mouseClick(window.canvas.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0), corner)
    entry = project.entry(first)
    assert entry.status is ReviewStatus.CHANGED
    model = window.image_list.model
    assert model.data(model.index(model.row_of(first))).endswith("changed after approval")
    assert "changed after approval" in window.review_panel.status_label.text()

    window.studio.show_image(keys[-1])
    window.actions["next_unreviewed"].trigger()  # the changed image is unreviewed again
    assert window.studio.key == first
    window.actions["approve"].trigger()
    entry = project.entry(first)
    assert entry.status is ReviewStatus.APPROVED
    assert entry.proposal_dice is not None and entry.proposal_dice < 1.0  # recomputed for the new mask
