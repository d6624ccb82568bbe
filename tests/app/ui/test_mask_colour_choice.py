"""The colour button asks for a colour (through Dialogs) and the mask overlay is drawn in it."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor

from meddisseg_studio.state.edits import MaskEdit


def _argb(colour: QColor) -> int:
    return 0xFF000000 | (colour.red() << 16) | (colour.green() << 8) | colour.blue()


def test_colour_button_recolours_the_overlay(qtbot, opened) -> None:
    patch = np.ones((4, 6), np.uint8)
    opened.canvas.editCommitted.emit(MaskEdit(5, 7, np.zeros_like(patch), patch))
    pixels = opened.canvas.overlay.pixels
    assert int(pixels[6, 8]) == _argb(opened.view_options.mask_colour)

    chosen = QColor(200, 30, 90)
    assert _argb(chosen) != _argb(opened.view_options.mask_colour)
    opened.dialogs.colours.append(chosen)
    opened.model_panel.colour_button.click()
    assert opened.dialogs.asked[-1] == "Mask colour"
    assert int(pixels[6, 8]) == _argb(chosen)  # the painted mask pixel, in the new colour
    assert int(pixels[0, 0]) == 0  # background stays transparent
    assert opened.view_options.mask_colour == chosen

    # Cancelling the picker keeps the colour.
    opened.model_panel.colour_button.click()
    assert int(pixels[6, 8]) == _argb(chosen)
