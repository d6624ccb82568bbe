"""A prompt whose result arrives after the user moved to another image is dropped, never applied there."""

from __future__ import annotations

from prompt_support import GatedSegmenter, press, status, use_segmenter, wait_prompts
from ui_support import readable_keys


def test_result_for_an_image_no_longer_shown_is_dropped(qtbot, opened, constant_predictor) -> None:
    window = opened
    segmenter = GatedSegmenter()
    use_segmenter(window, segmenter, constant_predictor)
    first = window.workspace.key
    other = next(k for k in readable_keys(window) if k != first)
    window.actions["tool_click"].trigger()

    press(window, 40, 30)
    assert window.prompts.busy  # the GUI did not wait for the model
    qtbot.waitUntil(segmenter.entered.is_set, timeout=10_000)
    window.workspace.show_image(other)
    assert window.canvas.prompt_markers.signs == []  # the other image has no prompts
    segmenter.release()
    wait_prompts(qtbot, window)

    assert not window.workspace.session.mask.any()  # the shown image is untouched
    assert len(window.workspace.session.undo_stack) == 0
    project = window.workspace.project
    stored = project.current_mask(first)
    assert stored is None or not stored.any()  # and the first one got nothing either
    assert f"The prompt on {first} was dropped" in status(window)
