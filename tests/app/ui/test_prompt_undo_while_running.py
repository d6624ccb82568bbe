"""An undo while the model runs the next prompt takes the undone prompt's marker back for good."""

from __future__ import annotations

from prompt_support import GatedSegmenter, press, use_segmenter, wait_prompts


def test_undo_during_a_run_keeps_the_undone_marker_away(qtbot, opened, constant_predictor) -> None:
    window = opened
    segmenter = GatedSegmenter()
    use_segmenter(window, segmenter, constant_predictor)
    session, markers = window.workspace.session, window.canvas.prompt_markers
    window.actions["tool_click"].trigger()
    press(window, 20, 20)
    segmenter.release()
    wait_prompts(qtbot, window)
    segmenter.entered.clear()

    press(window, 60, 40)
    qtbot.waitUntil(segmenter.entered.is_set, timeout=10_000)
    window.actions["undo"].trigger()  # takes back the first click while the second runs
    assert session.mask[20, 20] == 0
    segmenter.release()
    wait_prompts(qtbot, window)

    assert session.mask[40, 60] == 1 and session.mask[20, 20] == 0
    assert [(s.pos().x(), s.pos().y()) for s in markers.signs] == [(60.5, 40.5)]
    assert [(c.x, c.y) for c in window.prompts.shown().clicks] == [(60, 40)]
