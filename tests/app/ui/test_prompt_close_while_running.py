"""Closing the window while a prompt is segmented waits for its thread (a running QThread must not be
destroyed) and applies nothing afterwards."""

from __future__ import annotations

from prompt_support import GatedSegmenter, press, use_segmenter
from PySide6.QtCore import QCoreApplication


def test_close_waits_for_the_prompt_thread(qtbot, opened, constant_predictor) -> None:
    window = opened
    segmenter = GatedSegmenter()
    use_segmenter(window, segmenter, constant_predictor)
    window.actions["tool_click"].trigger()
    press(window, 40, 30)
    qtbot.waitUntil(segmenter.entered.is_set, timeout=10_000)
    job = window.prompts._run.job
    edits: list = []
    window.workspace.maskChanged.connect(lambda *box: edits.append(box))

    segmenter.release()  # the model finishes while the window closes
    window.close()
    QCoreApplication.processEvents()  # the worker's queued result, if any, is delivered now

    assert not job.thread.isRunning()
    assert edits == [] and window.workspace.session is None
