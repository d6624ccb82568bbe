"""Box: a real drag on a Kvasir frame gives ONE undo step that changes the mask only inside the box."""

from __future__ import annotations

import numpy as np
from prompt_support import ShapeSegmenter, drag, status, use_segmenter, wait_prompts

from meddisseg_studio.state.model import ReviewStatus


def test_box_drag_is_one_undo_step_inside_the_box(qtbot, opened, constant_predictor) -> None:
    window = opened
    segmenter = ShapeSegmenter()
    use_segmenter(window, segmenter, constant_predictor)
    session = window.workspace.session
    before = session.mask.copy()
    steps = len(session.undo_stack)
    window.actions["tool_box"].trigger()
    assert window.canvas.tool.name == "box" and window.tool_bar.current() == "box"

    drag(window, (20, 15), (60, 50))
    wait_prompts(qtbot, window)

    ((_shape, prompts, _mask, _prob),) = segmenter.calls
    box = prompts.box
    assert (box.x0, box.y0, box.x1, box.y1) == (20, 15, 61, 51)  # the pixels the drag covered
    after = session.mask
    changed = np.argwhere(after != before)
    assert changed.size, "the box changed nothing"
    assert changed[:, 0].min() >= 15 and changed[:, 0].max() < 51
    assert changed[:, 1].min() >= 20 and changed[:, 1].max() < 61
    assert len(session.undo_stack) == steps + 1
    assert window.workspace.entry().status is ReviewStatus.EDITED  # a person's edit
    assert "px added" in status(window)
    assert window.canvas.prompt_markers.box.visible  # the box stays drawn until Esc
