"""A prompt the engine refuses (PromptError) is a status message naming why; the mask and markers stay."""

from __future__ import annotations

from prompt_support import ShapeSegmenter, press, status, use_segmenter, wait_prompts

from meddisseg_core.errors import PromptError


class RefusingSegmenter(ShapeSegmenter):
    def segment(self, image, prompts, *, mask=None, probability=None):
        if len(prompts.clicks) > 1:
            raise PromptError("click 2 at (x=50, y=30) is outside the 40×30 image")
        return super().segment(image, prompts, mask=mask, probability=probability)


def test_refused_prompt_changes_nothing_and_says_why(qtbot, opened, constant_predictor) -> None:
    window = opened
    use_segmenter(window, RefusingSegmenter(), constant_predictor)
    session = window.workspace.session
    window.actions["tool_click"].trigger()
    press(window, 40, 30)
    wait_prompts(qtbot, window)
    mask, steps = session.mask.copy(), len(session.undo_stack)

    press(window, 20, 20)
    wait_prompts(qtbot, window)

    assert status(window) == "Click: click 2 at (x=50, y=30) is outside the 40×30 image. Nothing changed."
    assert (session.mask == mask).all() and len(session.undo_stack) == steps
    assert len(window.canvas.prompt_markers.signs) == 1  # the refused click's marker is gone
