"""An edit made just before a proposal of the same image is never lost (issue 8, item 14).

The proposal reloads the image from disk; the edit's autosave may still be queued then. The
autosave writer here waits until someone flushes the queue, which makes the race certain.
"""

from __future__ import annotations

import threading

import numpy as np
from ui_support import wait_idle

from meddisseg_studio.state.edits import MaskEdit
from meddisseg_studio.state.model import ReviewStatus


def test_edit_then_propose_same_image_keeps_the_edit(qtbot, opened, constant_predictor) -> None:
    project = opened.workspace.project
    key = opened.workspace.key
    queue = project.autosave_queue
    flushed = threading.Event()
    real_save, real_flush = project.save_mask, queue.flush

    def slow_save(k, mask):  # the autosave thread: writes only once a flush asked for it
        flushed.wait(10)
        return real_save(k, mask)

    def flush(timeout=None):
        flushed.set()
        return real_flush(timeout)

    project.save_mask = slow_save
    queue.flush = flush
    opened.proposals.set_predictor(constant_predictor, "constant")

    patch = np.ones((5, 7), np.uint8)
    opened.canvas.editCommitted.emit(MaskEdit(3, 4, np.zeros_like(patch), patch))
    opened.actions["propose_current"].trigger()  # at once, while the autosave is still queued
    wait_idle(qtbot, opened)

    assert project.entry(key).status is ReviewStatus.EDITED
    assert opened.workspace.proposal is not None  # the proposal arrived and is shown
    mask = opened.workspace.session.mask
    assert mask[3:8, 4:11].all()  # the edit is still on screen...
    assert opened.canvas.mask is mask
    assert project.load_mask(key)[3:8, 4:11].all()  # ...and on disk
