"""Prompts work while a batch of proposals runs: the click is applied before the batch ends."""

from __future__ import annotations

from prompt_support import ShapeSegmenter, press, use_segmenter, wait_prompts
from ui_support import GatedPredictor, readable_keys, wait_idle


def test_click_is_applied_while_a_proposal_job_runs(qtbot, opened) -> None:
    window = opened
    predictor = GatedPredictor()  # each proposal waits for the test
    use_segmenter(window, ShapeSegmenter(), predictor)
    current = window.workspace.key
    others = [k for k in readable_keys(window) if k != current]
    window.proposals.propose(others)
    qtbot.waitUntil(predictor.entered.is_set, timeout=10_000)
    assert window.jobs.busy
    window.actions["tool_click"].trigger()

    press(window, 40, 30)
    wait_prompts(qtbot, window)

    assert window.jobs.busy  # the batch is still on its first image
    assert window.workspace.session.mask[30, 40] == 1
    predictor.release(len(others))
    wait_idle(qtbot, window)
    assert window.workspace.session.mask[30, 40] == 1
