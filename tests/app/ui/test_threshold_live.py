"""The threshold slider re-thresholds the current proposal live; hand edits are never overwritten."""

from __future__ import annotations

import numpy as np
from ui_support import wait_idle

from meddisseg_studio.state.edits import MaskEdit


def test_slider_rethresholds_current_proposal(qtbot, opened, constant_predictor) -> None:
    opened.proposals.set_predictor(constant_predictor, "constant")
    opened.actions["propose_current"].trigger()
    wait_idle(qtbot, opened)
    proposal = opened.workspace.proposal
    assert proposal is not None
    mask = opened.workspace.session.mask
    assert np.array_equal(mask, (proposal.probability > 0.5).astype(np.uint8))
    area_at_half = int(mask.sum())

    opened.model_panel.threshold.setValue(80)  # what dragging the slider does
    opened.model_panel.flush()
    mask = opened.workspace.session.mask
    assert np.array_equal(mask, (proposal.probability > 0.8).astype(np.uint8))
    assert 0 < int(mask.sum()) < area_at_half
    # The canvas shows the very array the session saves.
    assert opened.canvas.mask is mask

    # After a hand edit, moving the slider leaves the mask alone.
    before = mask[0:2, 0:2].copy()
    opened.canvas.editCommitted.emit(MaskEdit(0, 0, before, np.ones_like(before)))
    edited = mask.copy()
    opened.model_panel.threshold.setValue(30)
    opened.model_panel.flush()
    assert np.array_equal(opened.workspace.session.mask, edited)
