"""The fine-tune dialog refuses clearly when too few images are approved."""

from __future__ import annotations

from finetune_support import approve_with_truth

from meddisseg_core.models.heldout import MIN_APPROVED


def test_too_few_approved(qtbot, window, setup) -> None:
    approve_with_truth(window, setup, MIN_APPROVED - 2)
    dialog = window.model_windows.open_finetune_dialog()
    assert not dialog.start_button.isEnabled()
    text = dialog.refusal.text()
    assert f"Only {MIN_APPROVED - 2} image(s) are approved" in text and f"at least {MIN_APPROVED}" in text
    assert window.finetune.run is None

    window.finetune.start(dialog.settings())  # even if asked directly, nothing starts
    assert window.finetune.run is None
    assert "needs at least" in window.dialogs.errors[-1][1]
