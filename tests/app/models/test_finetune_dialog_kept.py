"""The fine-tune dialog's values are kept (per folder): reopened, it shows what was set."""

from __future__ import annotations

from finetune_support import approve_with_truth


def test_values_are_kept_when_reopened(qtbot, window, setup) -> None:
    approve_with_truth(window, setup)
    dialog = window.model_windows.open_finetune_dialog()
    dialog.epochs.setValue(7)
    dialog.batch.setValue(3)
    dialog.budget.setValue(12)
    dialog.scope_decoder.setChecked(True)
    dialog.device.setCurrentIndex(dialog.device.findData("cpu"))
    dialog.reject()

    again = window.model_windows.open_finetune_dialog()
    assert again is not dialog
    assert again.epochs.value() == 7 and again.batch.value() == 3 and again.budget.value() == 12
    assert again.scope_decoder.isChecked() and again.device.currentData() == "cpu"
    assert again.by_epochs.isChecked()
    again.reject()
