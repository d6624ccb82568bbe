"""Brightness/contrast changes the canvas and thumbnails only: a proposal gets the same pixels either way."""

from __future__ import annotations

import numpy as np
from ui_support import ConstantPredictor, wait_idle

from meddisseg_studio.state.display import DisplayLevels
from meddisseg_studio.widgets.display_levels import DisplayLevelsPanel


class RecordingPredictor(ConstantPredictor):
    def __init__(self) -> None:
        self.seen: list[np.ndarray] = []

    def predict(self, image: np.ndarray, *, with_uncertainty: bool = False):
        self.seen.append(image.copy())
        return super().predict(image, with_uncertainty=with_uncertainty)


def test_panel_emits_levels_from_its_sliders(qtbot) -> None:
    panel = DisplayLevelsPanel()
    qtbot.addWidget(panel)
    emitted: list[DisplayLevels] = []
    panel.levelsChanged.connect(emitted.append)
    panel.brightness.setValue(50)
    panel.flush()
    assert emitted[-1].brightness == 0.5 and emitted[-1].contrast == 0.0
    panel.show_levels(DisplayLevels(0.2, 0.6))  # e.g. after Auto: no echo
    assert len(emitted) == 1 and panel.contrast.value() > 0
    panel.reset_button.click()
    assert emitted[-1].is_identity and panel.brightness.value() == 0


def test_levels_never_change_the_proposal_input(qtbot, opened) -> None:
    window = opened
    predictor = RecordingPredictor()
    window.proposals.set_predictor(predictor, "recording")
    window.actions["propose_current"].trigger()
    wait_idle(qtbot, window)
    shown_plain = window.canvas.displayed_image().copy()

    window.display_panel.contrast.setValue(80)
    window.display_panel.brightness.setValue(-40)
    window.display_panel.flush()
    assert not window.canvas.display_levels.is_identity
    assert not np.array_equal(window.canvas.displayed_image(), shown_plain)  # the eye sees a change
    assert window.image_list.thumbnails.levels == window.canvas.display_levels

    window.actions["propose_current"].trigger()
    wait_idle(qtbot, window)
    assert len(predictor.seen) == 2
    assert np.array_equal(predictor.seen[0], predictor.seen[1])  # the model does not

    window.display_panel.auto_button.click()
    assert window.display_panel.levels == window.canvas.display_levels
