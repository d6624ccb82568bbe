"""The real prompt engine (meddisseg_core.interactive over a loaded tiny network) behind Box and Click.

The network is untrained, so what it segments is arbitrary; what is checked is the plumbing: the
core's segmenter runs on the worker thread with the loaded Predictor, a box changes the mask only
inside the box as one undo step, and a click's edit lands on the image it was made on.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import torch
from prompt_support import drag, press, status, wait_prompts
from PySide6.QtCore import Qt
from ui_support import wait_loaded

from meddisseg_studio.control.prompts import core_segmenter


@pytest.fixture
def one_thread() -> Iterator[None]:
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


def test_box_and_click_run_the_core_segmenter(qtbot, opened, tiny_checkpoint: Path, one_thread: None) -> None:
    window = opened
    assert window.prompts.segmenter_factory is core_segmenter  # the shipped engine, not a fake
    window.proposals.load_checkpoint(tiny_checkpoint)
    wait_loaded(qtbot, window)
    assert window.proposals.predictor is not None, window.dialogs.errors
    session = window.workspace.session
    before = session.mask.copy()

    window.actions["tool_box"].trigger()
    drag(window, (20, 15), (70, 60))
    wait_prompts(qtbot, window, timeout=60_000)
    assert "segmenting" not in status(window) and "Nothing changed" not in status(window), status(window)
    changed = np.argwhere(session.mask != before)
    assert changed.size and len(session.undo_stack) == 1, status(window)
    assert changed[:, 0].min() >= 15 and changed[:, 0].max() < 61
    assert changed[:, 1].min() >= 20 and changed[:, 1].max() < 71

    window.actions["tool_click"].trigger()
    press(window, 45, 40, button=Qt.MouseButton.RightButton)
    wait_prompts(qtbot, window, timeout=60_000)
    assert "Nothing changed" not in status(window), status(window)
    assert len(session.undo_stack) in (1, 2)  # a negative click inside the lesion removes it (or nothing)
    assert session.mask[40, 45] == 0
