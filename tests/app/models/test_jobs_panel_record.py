"""The Jobs panel shows a folder's kept last-job record, and clears it for a folder without one."""

from __future__ import annotations

from meddisseg_studio.widgets.jobs_panel import JobsPanel

RECORD = {
    "title": "Fine-tuning tiny base on 5 image(s), 3 held out (3 corrected) — job j1",
    "status": "Done; the new model is saved as ft-j1",
    "stats": "2 of 2 epoch(s) · 3.1 images/s",
    "points": [[1, -7.9, 0.41, 3.0, 0.62], [2, -8.1, 0.47, 3.1, 0.55]],
    "batches": [[1, 1, 1, 2, -7.8, 0.66, 2.9, 0.0], [2, 1, 2, 2, -7.9, 0.60, 3.0, 1.0]],
    "result_text": "The new model is better on the held-out images you corrected.",
    "log_tail": "epoch 2 done",
}


def test_record_then_a_folder_without_one(qtbot) -> None:
    panel = JobsPanel()
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_record(RECORD)
    assert panel.title.text() == f"Last job: {RECORD['title']}"
    assert panel.result.text() == RECORD["result_text"] and panel.log.toPlainText() == "epoch 2 done"
    assert list(panel.loss_curve.getData()[1]) == [0.62, 0.55]  # the segmentation part, not the total
    assert list(panel.batch_curve.getData()[0]) == [0.5, 1.0]  # epoch + fraction of the epoch
    assert "-7.9000" in panel.loss_note.text()

    panel.show_record({})
    assert panel.title.text() == "No job has run yet" and panel.result.text() == ""
    assert len(panel.loss_curve.getData()[0] or []) == 0
