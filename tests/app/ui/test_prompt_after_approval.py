"""A prompt on an approved image is a person's edit: the image becomes "changed after approval"."""

from __future__ import annotations

from prompt_support import ShapeSegmenter, press, use_segmenter, wait_prompts

from meddisseg_studio.state.model import ReviewStatus


def test_click_on_an_approved_image_marks_it_changed(qtbot, opened, constant_predictor) -> None:
    window = opened
    use_segmenter(window, ShapeSegmenter(), constant_predictor)
    key = window.workspace.key
    window.actions["approve"].trigger()
    assert window.workspace.project.entry(key).status is ReviewStatus.APPROVED
    window.workspace.show_image(key)
    window.actions["tool_click"].trigger()

    press(window, 40, 30)
    wait_prompts(qtbot, window)

    assert window.workspace.project.entry(key).status is ReviewStatus.CHANGED
    assert "changed after approval" in window.review_panel.status_label.text()
