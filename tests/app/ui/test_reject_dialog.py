"""Reject asks for a reason from the pick-list; "other…" takes free text; the list shows the reason."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from meddisseg_studio.state.model import ReviewStatus
from meddisseg_studio.state.reject_reasons import DEFAULT_REJECT_REASONS, OTHER
from meddisseg_studio.widgets.reject_dialog import RejectDialog


def test_pick_list_digits_and_other_text(qtbot) -> None:
    dialog = RejectDialog("cju0qkwl35piu0993l0dewei2.jpg", DEFAULT_REJECT_REASONS)
    qtbot.addWidget(dialog)
    ok = dialog.box.button(QDialogButtonBox.StandardButton.Ok)
    assert [b.property("reason") for b in dialog.buttons] == [*DEFAULT_REJECT_REASONS, OTHER]
    assert not ok.isEnabled() and dialog.reason() is None  # a reason must be chosen
    qtbot.keyClick(dialog, Qt.Key.Key_2)
    assert dialog.reason() == "image quality" and ok.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_4)  # other…
    assert dialog.other_text.isEnabled() and not ok.isEnabled()
    qtbot.keyClicks(dialog.other_text, "  glare over  the polyp ")
    assert dialog.reason() == "glare over the polyp" and ok.isEnabled()
    ok.click()
    assert dialog.result() == RejectDialog.DialogCode.Accepted


def test_reject_offers_the_configured_list_and_the_row_shows_the_reason(qtbot, opened) -> None:
    opened.review.reject_reasons = ("motion blur", "not a lesion")
    first = opened.workspace.key
    opened.dialogs.reasons.append("motion blur")
    opened.actions["reject"].trigger()
    assert opened.dialogs.offered_reasons == ("motion blur", "not a lesion")
    entry = opened.workspace.project.entry(first)
    assert entry.status is ReviewStatus.REJECTED and entry.reject_reason == "motion blur"
    model = opened.image_list.model
    assert "rejected: motion blur" in model.data(model.index(model.row_of(first)))
