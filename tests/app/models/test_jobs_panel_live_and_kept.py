"""The Jobs panel follows a real job batch by batch (not only at epoch ends), and the folder's
last job (title, curves, how it ended) comes back after a restart."""

from __future__ import annotations

import re

import pytest
from finetune_support import approve_with_truth, start_job, wait_model

from meddisseg_studio.main_window import MainWindow


@pytest.mark.slow
def _points(curve) -> int:
    xs = curve.getData()[0]  # None before the first point, then a numpy array
    return 0 if xs is None else len(xs)


def test_live_batches_then_kept_after_a_restart(qtbot, window, dialogs, setup) -> None:
    approve_with_truth(window, setup)
    run = start_job(qtbot, window, epochs=3)
    panel = window.jobs_panel
    # A batch event arrives before the first epoch ends, and the panel shows it.
    qtbot.waitUntil(lambda: bool(run.batches) or run.outcome is not None, timeout=120_000)
    assert run.outcome is None, run.outcome
    qtbot.waitUntil(lambda: re.search(r"batch \d+ of \d+", panel.status.text()) is not None, timeout=5_000)
    assert "images/s" in panel.stats.text() or "s per image" in panel.stats.text()
    assert "– images/s" not in panel.stats.text()  # the speed is measured
    qtbot.waitUntil(lambda: _points(panel.batch_curve) > 0, timeout=5_000)
    assert "dispersive term" in panel.loss_note.text()  # the total's sign is explained

    panel.cancel_button.click()
    qtbot.waitUntil(lambda: window.finetune.run is None, timeout=60_000)
    ended = panel.status.text()
    assert ended.startswith("Job cancelled")
    window.close()

    again = MainWindow(dialogs, load_default_model=False)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    again.open_folder(setup.folder)
    wait_model(qtbot, again)
    restored = again.jobs_panel
    assert restored.title.text().startswith("Last job: Fine-tuning tiny base")
    assert restored.status.text() == ended
    restored.ensure_plots()
    assert len(restored.batch_curve.getData()[0]) > 0
    again.finetune.shutdown()
    again.close()
