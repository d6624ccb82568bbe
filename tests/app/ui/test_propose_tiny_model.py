"""Proposals from a real tiny network saved with save_model appear; the images become proposed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import torch
from ui_support import BROKEN, wait_idle, wait_loaded

from meddisseg_studio.state.model import ReviewStatus


@pytest.fixture
def one_thread() -> Iterator[None]:
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


def test_tiny_model_proposals_appear(qtbot, opened, tiny_checkpoint: Path, one_thread: None) -> None:
    opened.dialogs.files.append(tiny_checkpoint)
    opened.actions["load_checkpoint"].trigger()  # Ctrl+L, file chosen in the (scripted) dialog
    wait_loaded(qtbot, opened)  # it loads in the background
    assert opened.dialogs.errors == []
    assert "tiny-ui-test" in opened.model_panel.model_label.text()
    assert "cpu" in opened.device_label.toolTip().lower()

    opened.actions["propose_unreviewed"].trigger()
    wait_idle(qtbot, opened, timeout=60_000)

    project = opened.workspace.project
    readable = [e.key for e in project.entries if e.key != BROKEN]
    for key in readable:
        assert project.entry(key).status is ReviewStatus.PROPOSED, key
        proposal = project.load_proposal(key)
        assert proposal is not None
        assert proposal.probability.shape == (80, 96)  # the image's own size, not the network's
        assert np.isfinite(proposal.probability).all()
        assert proposal.uncertainty is not None  # stage 2 gives an uncertainty map
    assert project.entry(BROKEN).status is ReviewStatus.NEW
    # The current image shows its proposal: the canvas mask is the thresholded probability.
    current = opened.workspace
    assert current.proposal is not None
    expected = (current.proposal.probability > current.proposal.threshold).astype(np.uint8)
    assert np.array_equal(current.session.mask, expected)
    assert "proposed" in opened.statusBar().currentMessage()
