"""Helpers of the model and fine-tuning UI tests (imported by name: tests is not a package)."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch

N_IMAGES, N_APPROVED = 10, 8


class Setup(NamedTuple):
    folder: Path
    truth: dict[str, np.ndarray]
    base_id: str
    base_file: Path


def approve_with_truth(window, setup: Setup, count: int = N_APPROVED) -> list[str]:
    """Approve the first ``count`` images with their true masks as the corrections."""
    project = window.workspace.project
    keys = sorted(setup.truth)[:count]
    for key in keys:
        project.approve(key, mask=setup.truth[key])
    return keys


def wait_model(qtbot, window, timeout: int = 60_000) -> None:
    """Wait until no model is loading: models load on a background thread and become current
    (``window.models.current``) when loaded."""
    qtbot.waitUntil(lambda: not window.proposals.loading and window.models._pending is None, timeout=timeout)


def start_job(qtbot, window, *, epochs: int) -> object:
    """Open the fine-tune dialog, set a small CPU job and press Start; returns the run."""
    dialog = window.model_windows.open_finetune_dialog()
    assert dialog is not None, window.dialogs.errors
    dialog.device.setCurrentIndex(dialog.device.findData("cpu"))
    dialog.epochs.setValue(epochs)
    dialog.batch.setValue(2)
    dialog.scope_decoder.setChecked(True)
    assert dialog.start_button.isEnabled(), dialog.refusal.text()
    dialog.start_button.click()
    assert window.finetune.run is not None, window.dialogs.errors
    return window.finetune.run


def wait_for_epoch(qtbot, window, timeout: int = 120_000) -> None:
    run = window.finetune.run
    qtbot.waitUntil(lambda: bool(run.points) or run.outcome is not None, timeout=timeout)
    assert run.outcome is None, run.outcome


def process_group_alive(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    return True


def authors_pth(seed: int = 7) -> bytes:
    """An authors'-format (plain state dict) checkpoint of the tiny stage-2 network."""
    from meddisseg_core.nn import NetworkConfig, build_network

    torch.manual_seed(seed)
    buffer = io.BytesIO()
    torch.save(build_network(NetworkConfig.tiny(2)).state_dict(), buffer)
    return buffer.getvalue()
