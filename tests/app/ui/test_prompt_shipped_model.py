"""A clinician's box on a full-size Kvasir-SEG frame, with the shipped model, through real mouse events.

The box is the ground-truth lesion's box; the result must overlap the truth well (IoU > 0.5, the
box prompt's bar is bench_interactive.py's business) and change nothing outside the box. This checks
the whole path at the original resolution: viewport → image pixels → worker → core → one edit.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch
from prompt_support import drag, status, wait_prompts
from ui_support import wait_loaded

FRAME = "cju0s690hkp960855tjuaqvv0.jpg"  # Kvasir-SEG val, 621×530


@pytest.fixture
def one_thread() -> Iterator[None]:
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


@pytest.mark.slow
def test_box_on_a_full_size_frame_with_the_shipped_model(
    qtbot, window, kvasir_dir: Path, tmp_path: Path, one_thread: None
) -> None:
    folder = tmp_path / "frames"
    folder.mkdir()
    (folder / FRAME).write_bytes((kvasir_dir / "images" / FRAME).read_bytes())
    truth = cv2.imread(str(kvasir_dir / "masks" / FRAME), cv2.IMREAD_GRAYSCALE) > 127
    window.open_folder(folder)
    window.proposals.load_default_model()
    wait_loaded(qtbot, window)
    assert window.proposals.predictor is not None, window.dialogs.errors
    session = window.workspace.session
    assert session.mask.shape == truth.shape  # the original resolution
    window.actions["tool_box"].trigger()

    ys, xs = np.nonzero(truth)
    drag(window, (int(xs.min()), int(ys.min())), (int(xs.max()), int(ys.max())))
    wait_prompts(qtbot, window, timeout=120_000)

    mask = session.mask.astype(bool)
    assert "px added" in status(window), status(window)
    iou = (mask & truth).sum() / (mask | truth).sum()
    assert iou > 0.5, iou
    outside = np.ones_like(mask)
    outside[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1] = False
    assert not mask[outside].any()  # the mask was empty, and a box changes only inside itself
    assert len(session.undo_stack) == 1
