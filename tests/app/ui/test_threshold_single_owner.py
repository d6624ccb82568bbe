"""The slider always shows the threshold the next proposal is made at (one owner: proposals).

The bug: after switching to an image proposed at 0.30, the slider read 0.30 while the next
proposal was made at the 0.70 dragged on another image.
"""

from __future__ import annotations

from ui_support import readable_keys, wait_idle


def _drag_slider(window, value: float) -> None:
    window.model_panel.threshold.setValue(round(value * 100))  # what dragging does
    window.model_panel.flush()


def test_next_proposal_uses_the_threshold_the_slider_shows(qtbot, opened, constant_predictor) -> None:
    first, second, third = readable_keys(opened)[:3]
    opened.proposals.set_predictor(constant_predictor, "constant")

    _drag_slider(opened, 0.30)
    opened.proposals.propose([first])
    wait_idle(qtbot, opened)
    assert opened.workspace.project.load_proposal(first).threshold == 0.30

    opened.workspace.show_image(second)
    _drag_slider(opened, 0.70)
    assert opened.proposals.threshold == 0.70

    opened.workspace.show_image(first)  # proposed at 0.30: the slider follows it
    assert opened.model_panel.threshold_value() == 0.30
    assert opened.proposals.threshold == 0.30

    opened.proposals.propose([third])
    wait_idle(qtbot, opened)
    made_at = opened.workspace.project.load_proposal(third).threshold
    assert made_at == opened.model_panel.threshold_value() == 0.30


def test_threshold_keys_step_the_owner_and_the_slider(qtbot, opened) -> None:
    start = opened.proposals.threshold
    opened.actions["threshold_up"].trigger()
    assert opened.proposals.threshold == round(start + 0.05, 2)
    assert opened.model_panel.threshold_value() == opened.proposals.threshold
