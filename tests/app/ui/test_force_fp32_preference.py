"""Model > Force fp32 reloads the model in fp32 and is kept with the preferences."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from ui_support import wait_loaded

from meddisseg_studio.main_window import MainWindow


@pytest.fixture
def one_thread():
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


def test_force_fp32_reloads_and_persists(qtbot, window, dialogs, tiny_checkpoint: Path, one_thread) -> None:
    window.dialogs.files.append(tiny_checkpoint)
    window.actions["load_checkpoint"].trigger()
    wait_loaded(qtbot, window)
    first = window.proposals.predictor
    assert first is not None and first.choice.reason != "requested"  # auto
    window.actions["force_fp32"].trigger()
    assert window.actions["force_fp32"].isChecked() and window.prefs.force_fp32
    qtbot.waitUntil(lambda: window.proposals.predictor is not first, timeout=60_000)
    wait_loaded(qtbot, window)
    assert window.proposals.predictor.choice.describe() == "fp32: requested"
    window.close()

    again = MainWindow(dialogs, load_default_model=False)
    qtbot.addWidget(again)
    assert again.actions["force_fp32"].isChecked() and again.proposals.force_fp32
    again.close()
