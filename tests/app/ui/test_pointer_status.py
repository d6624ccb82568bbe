"""The status bar shows the brush size and, under the pointer, the pixel, mask value and probability."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest
from ui_support import wait_idle

from meddisseg_studio.state.edits import MaskEdit


def test_pointer_readout_follows_the_mouse(qtbot, opened, constant_predictor) -> None:
    opened.proposals.set_predictor(constant_predictor, "constant")
    opened.actions["propose_current"].trigger()
    wait_idle(qtbot, opened)
    prob = opened.workspace.proposal.probability
    mask = opened.workspace.session.mask
    before = mask[2:4, 3:5].copy()
    opened.canvas.editCommitted.emit(MaskEdit(2, 3, before, np.ones_like(before)))
    viewport = opened.canvas.viewport()

    QTest.mouseMove(viewport, opened.canvas.image_to_viewport(3.5, 2.5))
    assert opened.pointer_status.text() == f"x 3  y 2  mask 1  p {prob[2, 3]:.2f}"
    row, col = 40, 48  # the centre of the predicted disc
    QTest.mouseMove(viewport, opened.canvas.image_to_viewport(col + 0.5, row + 0.5))
    assert opened.pointer_status.text() == f"x {col}  y {row}  mask {mask[row, col]}  p {prob[row, col]:.2f}"
    assert prob[row, col] > 0.9
    QTest.mouseMove(viewport, QPoint(1, 1))  # the fitted view's padding: outside the image
    assert opened.pointer_status.text() == ""

    opened.canvas.brush_size = 27
    assert opened.tool_status.text().startswith("Brush 27 px")  # the active tool, its size and hint
    assert opened.tool_options.brush_spin.value() == 27
    opened.tool_options.brush_spin.setValue(9)  # and the spin box drives the canvas
    assert opened.canvas.brush_size == 9
    assert opened.tool_status.text().startswith("Brush 9 px")
