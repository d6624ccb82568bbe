"""Closing the fine-tune dialog (Cancel) ends the speed estimate's child process and its whole
process group: a real ``meddisseg models estimate`` process, not a stand-in."""

from __future__ import annotations

from finetune_support import approve_with_truth, process_group_alive

from meddisseg_studio.widgets.finetune_dialog import SCRATCH


def test_cancel_ends_the_estimate(qtbot, window, setup) -> None:
    approve_with_truth(window, setup)
    dialog = window.model_windows.open_finetune_dialog()
    # From scratch: the paper network, whose estimate runs for seconds, long enough to cancel.
    dialog.base.setCurrentIndex(dialog.base.findData(SCRATCH))
    dialog.device.setCurrentIndex(dialog.device.findData("cpu"))
    progress: list[tuple[str, float]] = []
    window.finetune.measuring.connect(lambda text, fraction: progress.append((text, fraction)))
    dialog.measure.click()
    child = window.finetune.speed.child
    qtbot.waitUntil(lambda: child.pid() is not None, timeout=30_000)
    pid = child.pid()
    # Its progress reaches the dialog while it runs.
    qtbot.waitUntil(lambda: bool(progress), timeout=60_000)
    assert dialog.measure_progress.isVisible()
    assert process_group_alive(pid)  # it leads its own process group

    dialog.reject()  # Cancel
    assert not child.running()
    qtbot.waitUntil(lambda: not process_group_alive(pid), timeout=10_000)
    assert window.finetune.run is None  # nothing started
