"""While proposals run, the GUI event loop keeps turning (the model never blocks it)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from ui_support import BROKEN, GatedPredictor, wait_idle

from meddisseg_studio.state.model import ReviewStatus


def test_timer_fires_while_predictor_blocks(qtbot, opened, tiny_checkpoint) -> None:
    from meddisseg_core.checkpoint import load_model
    from meddisseg_core.inference import Predictor

    # A real tiny network behind a gate the test opens: each image waits until released.
    predictor = GatedPredictor(Predictor(load_model(tiny_checkpoint), device="cpu"))
    opened.proposals.set_predictor(predictor, "gated test model")
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()

    opened.proposals.propose_unreviewed()
    assert opened.jobs.busy
    assert opened.progress.isVisible()
    # The worker is now stuck inside predict() until we release it...
    assert predictor.entered.wait(10)
    before = len(ticks)
    # ...and the GUI thread still runs timers and repaints meanwhile.
    qtbot.waitUntil(lambda: len(ticks) >= before + 5, timeout=5000)
    assert opened.jobs.busy
    opened.image_list.view.viewport().repaint()  # painting works while the job is blocked

    keys = [e.key for e in opened.workspace.project.entries if e.key != BROKEN]
    predictor.release(len(keys))
    wait_idle(qtbot, opened)
    timer.stop()
    assert not opened.progress.isVisible()
    for key in keys:
        assert opened.workspace.project.entry(key).status is ReviewStatus.PROPOSED


def test_cancel_stops_after_current_image(qtbot, opened) -> None:
    predictor = GatedPredictor()
    opened.proposals.set_predictor(predictor, "gated test model")
    opened.proposals.propose_unreviewed()
    assert predictor.entered.wait(10)
    opened.actions["cancel_job"].trigger()  # Esc
    predictor.release(1)
    wait_idle(qtbot, opened)
    statuses = [e.status for e in opened.workspace.project.entries if e.key != BROKEN]
    assert statuses.count(ReviewStatus.PROPOSED) == 1
    assert "cancelled" in opened.statusBar().currentMessage()
