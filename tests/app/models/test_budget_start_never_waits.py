"""A time-budget job starts at once: Start never waits for the speed estimate, and the trainer
itself stops on time (the budget is in the job's training config)."""

from __future__ import annotations

import json

from finetune_support import approve_with_truth

from meddisseg_studio.widgets.finetune_dialog import BUDGET_MAX_EPOCHS


def test_budget_start_does_not_wait_for_the_estimate(qtbot, window, setup) -> None:
    approve_with_truth(window, setup)
    dialog = window.model_windows.open_finetune_dialog()
    dialog.device.setCurrentIndex(dialog.device.findData("cpu"))
    dialog.budget.setValue(1.5)
    dialog.by_budget.setChecked(True)  # asks for an estimate in the background...
    assert dialog.seconds_per_epoch is None
    assert dialog.start_button.isEnabled()  # ...but Start does not wait for it
    dialog.start_button.click()
    run = window.finetune.run
    assert run is not None, window.dialogs.errors
    assert window.finetune.speed is None or not window.finetune.speed.running()  # the estimate ended
    assert run.spec.time_budget_s == 90 and run.spec.epochs == BUDGET_MAX_EPOCHS
    config = json.loads((run.job_dir / "train_config.json").read_text())
    assert config["time_budget"] == {"seconds": 90}
    window.finetune.shutdown()
