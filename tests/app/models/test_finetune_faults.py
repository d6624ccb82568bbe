"""A cancelled, killed or badly-fed job: the app stays up, the current model file is byte-identical
and the registry stays valid (same records, same current model)."""

from __future__ import annotations

import os
import signal

import pytest
from finetune_support import approve_with_truth, process_group_alive, start_job, wait_for_epoch

from meddisseg_core.models import ModelRegistry


def _snapshot(setup) -> tuple[bytes, list, str | None]:
    registry = ModelRegistry()
    assert registry.notice is None
    return setup.base_file.read_bytes(), registry.records(), registry.current_id(setup.folder)


def _cancel(qtbot, window) -> None:
    wait_for_epoch(qtbot, window)
    window.jobs_panel.cancel_button.click()


def _sigkill(qtbot, window) -> None:
    wait_for_epoch(qtbot, window)
    os.kill(window.finetune.run.pid, signal.SIGKILL)


def _bad_data(qtbot, window) -> None:
    pass  # the damage was done before the start


@pytest.mark.slow
@pytest.mark.parametrize(
    ("fault", "expected_state", "error_text"),
    [(_cancel, "cancelled", None), (_sigkill, "crashed", "SIGKILL"), (_bad_data, "failed", "problem")],
    ids=["cancel", "sigkill", "bad-dataset"],
)
def test_fault_leaves_model_and_registry_intact(
    qtbot, window, setup, fault, expected_state, error_text
) -> None:
    keys = approve_with_truth(window, setup)
    if fault is _bad_data:
        (setup.folder / keys[0]).write_bytes(b"\xff\xd8\xff not a jpeg any more")
    predictor = window.proposals.predictor
    before = _snapshot(setup)

    run = start_job(qtbot, window, epochs=300 if fault is not _bad_data else 2)
    fault(qtbot, window)
    qtbot.waitUntil(lambda: run.outcome is not None and window.finetune.run is None, timeout=120_000)

    assert run.outcome.state == expected_state, run.outcome
    assert not process_group_alive(run.pid)  # the whole tree is gone
    errors = window.dialogs.errors
    if error_text is None:
        assert errors == []
    else:
        assert len(errors) == 1 and error_text in errors[0][1] and "unchanged" in errors[0][1]
        assert "End of the job's log" in errors[0][1]
    # The app is alive and unchanged: same predictor, same model file, same registry.
    assert window.isVisible() and window.proposals.predictor is predictor
    assert window.models.current.id == setup.base_id
    assert _snapshot(setup) == before
    assert not window.finetune.busy
    window.workspace.show_image(keys[1])  # still works
    assert window.workspace.key == keys[1]
