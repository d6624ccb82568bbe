"""The segmenter gets the last probability map: the proposal's first, then each prompt's own."""

from __future__ import annotations

import numpy as np
from prompt_support import ShapeSegmenter, press, use_segmenter, wait_prompts
from ui_support import wait_idle

from meddisseg_core.interactive import PromptResult


class MapSegmenter(ShapeSegmenter):
    """Returns a constant map that names the call, so the next call shows which map it was given."""

    def segment(self, image, prompts, *, mask=None, probability=None) -> PromptResult:
        result = super().segment(image, prompts, mask=mask, probability=probability)
        return PromptResult(result.mask, np.full(image.shape[:2], len(self.calls) / 10, np.float32))


def test_proposal_map_then_each_result_map_is_passed_on(qtbot, opened, constant_predictor) -> None:
    window = opened
    segmenter = MapSegmenter()
    use_segmenter(window, segmenter, constant_predictor)
    window.actions["propose_current"].trigger()
    wait_idle(qtbot, window)
    proposal = window.workspace.proposal
    assert proposal is not None
    window.actions["tool_click"].trigger()

    press(window, 10, 10)
    wait_prompts(qtbot, window)
    press(window, 70, 60)
    wait_prompts(qtbot, window)

    first, second = (call[3] for call in segmenter.calls)
    assert np.array_equal(first, proposal.probability)
    assert np.allclose(second, 0.1)  # the first prompt's map
    mask_given = segmenter.calls[0][2]
    assert np.array_equal(mask_given, proposal.probability > proposal.threshold)  # the proposed mask

    # Undo goes back to the map that went with the restored mask.
    window.actions["undo"].trigger()
    press(window, 30, 50)
    wait_prompts(qtbot, window)
    assert np.allclose(segmenter.calls[2][3], 0.1)  # not the undone prompt's 0.2
