"""A proposal asked for while the model is still loading (in the background) starts when it is ready."""

from __future__ import annotations

from pathlib import Path

from ui_support import wait_idle, wait_loaded

from meddisseg_studio.state.model import ReviewStatus


def test_proposal_waits_for_the_loading_model(qtbot, opened, tiny_checkpoint: Path) -> None:
    key = opened.workspace.key
    opened.proposals.load_checkpoint(tiny_checkpoint)
    assert opened.proposals.loading
    assert opened.device_label.text() == "Device: loading model…"
    opened.actions["propose_current"].trigger()  # before the model is there
    assert "still loading" in opened.statusBar().currentMessage()
    assert opened.dialogs.errors == []
    wait_loaded(qtbot, opened)
    wait_idle(qtbot, opened, timeout=60_000)
    assert opened.workspace.project.entry(key).status is ReviewStatus.PROPOSED
    assert "tiny-ui-test" in opened.model_panel.model_label.text()
