"""Closing the window during a job asks first; "keep working" keeps both, "stop" ends the job tree."""

from __future__ import annotations

import pytest
from finetune_support import approve_with_truth, process_group_alive, start_job, wait_for_epoch


@pytest.mark.slow
def test_close_asks_before_stopping_the_job(qtbot, window, setup) -> None:
    approve_with_truth(window, setup)
    run = start_job(qtbot, window, epochs=300)
    wait_for_epoch(qtbot, window)

    window.dialogs.confirmations.append(False)
    window.close()
    assert window.isVisible() and run.outcome is None and process_group_alive(run.pid)
    assert "A fine-tuning job is running" in window.dialogs.asked[-1]

    window.dialogs.confirmations.append(True)
    window.close()
    assert not window.isVisible()
    assert not process_group_alive(run.pid)
