"""A first open with a model loaded and images without proposals offers them: a banner above the
canvas with one button, and labelled propose buttons in the Model panel (not a bare round icon)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from ui_support import readable_keys, wait_idle


def test_banner_offers_and_runs_propose_all(qtbot, opened, constant_predictor) -> None:
    banner = opened.propose_banner
    assert not banner.isVisible()  # no model yet: nothing to offer
    opened.proposals.set_predictor(constant_predictor, "constant")
    keys = readable_keys(opened)

    assert banner.isVisible()
    assert banner.button.text() == f"Propose {len(keys)} image(s)"
    with qtbot.waitSignal(opened.proposals.batchFinished, timeout=20_000):
        qtbot.mouseClick(banner.button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, opened)

    assert all(opened.workspace.project.entry(k).model_id == "constant" for k in keys)
    assert not banner.isVisible()  # nothing left to offer


def test_model_panel_buttons_are_labelled(window) -> None:
    texts = [button.text() for button in window.model_panel.propose_buttons]
    assert texts == ["Propose this image", "Propose all"]
    assert all(
        b.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        for b in window.model_panel.propose_buttons
    )
