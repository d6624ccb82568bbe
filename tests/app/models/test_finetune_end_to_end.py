"""The whole loop on CPU: approve -> fine-tune in a child process -> curves -> before/after ->
a registry record with the right parent -> accepting it changes the proposals."""

from __future__ import annotations

import numpy as np
import pytest
from finetune_support import approve_with_truth, start_job, wait_model

from meddisseg_core.models import ModelRegistry


@pytest.mark.slow
def test_finetune_loop(qtbot, window, setup) -> None:
    assert window.models.current.id == setup.base_id  # the folder's remembered model was loaded
    window.proposals.propose_unreviewed()
    qtbot.waitUntil(lambda: not window.jobs.busy, timeout=60_000)
    project = window.workspace.project
    approved = approve_with_truth(window, setup)
    unreviewed = sorted(set(setup.truth) - set(approved))
    before = {k: project.load_proposal(k).probability.copy() for k in unreviewed}

    run = start_job(qtbot, window, epochs=2)
    assert run.process.command[1:4] == ["-m", "meddisseg_core", "train"]
    assert run.pid != __import__("os").getpid()  # a real child process
    qtbot.waitUntil(lambda: window.model_windows.compare_dialog is not None, timeout=240_000)
    assert window.dialogs.errors == []

    # Events arrived and the curves followed them.
    panel = window.jobs_panel
    epochs, losses = panel.loss_curve.getData()
    assert list(epochs) == [1, 2] and np.isfinite(losses).all()
    assert list(panel.dice_curve.getData()[0]) == [1, 2]

    # Before/after on the held-out images, and the registry's new record.
    result = window.finetune.last_result
    # 8 approved, all corrected: 3 held out (at least MIN_CORRECTED corrected ones, stratified).
    assert result["base_id"] == setup.base_id and len(result["images"]) == 3
    assert result["corrected"]["images"] == result["images"]
    assert set(result["images"]) <= set(approved)
    new = ModelRegistry().get(result["new_id"])
    assert new.source == "fine-tuned" and new.parent == setup.base_id
    assert set(new.trained_on.images) == set(approved) - set(result["images"])
    dialog = window.model_windows.compare_dialog
    default = dialog.use_new if result["after_is_better"] else dialog.keep
    assert default.isDefault()
    # The last row: every held-out image together (the rows above it: the corrected / accepted groups).
    last = dialog.table.rowCount() - 1
    table = [dialog.table.item(last, c).text() for c in range(3)]
    assert table[0] == f"{result['before']['dice']:.4f}" and table[1] == f"{result['after']['dice']:.4f}"
    assert dialog.verdict.text().startswith(result["verdict_text"])

    # Accepting makes it current (remembered) and, on request, re-proposes the unreviewed images.
    window.dialogs.confirmations.append(True)
    dialog.use_new.click()
    wait_model(qtbot, window)  # the new model loads in the background, then re-proposes
    qtbot.waitUntil(lambda: not window.jobs.busy, timeout=60_000)
    assert window.models.current.id == new.id
    assert ModelRegistry().current_id(setup.folder) == new.id
    for key in unreviewed:
        proposal = project.load_proposal(key)
        assert new.id in proposal.model_id
        assert not np.array_equal(proposal.probability, before[key])
