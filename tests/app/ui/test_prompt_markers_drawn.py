"""The prompts are drawn on the canvas: a green + for a positive click, a red − for a negative one, a box."""

from __future__ import annotations

import pytest
from prompt_support import NO_MODIFIER, ShapeSegmenter, at, drag, press, use_segmenter, wait_prompts
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from meddisseg_studio.widgets.canvas_prompts import BOX, NEGATIVE, POSITIVE


def _near(window, x: float, y: float, colour: QColor, reach: int = 2) -> bool:
    """True when a viewport pixel within ``reach`` of image point (x, y)'s pixel centre has ``colour``."""
    image = window.canvas.viewport().grab().toImage()
    point = at(window, x, y)
    ratio = image.devicePixelRatio()
    for dy in range(-reach, reach + 1):
        for dx in range(-reach, reach + 1):
            c = image.pixelColor(int((point.x() + dx) * ratio), int((point.y() + dy) * ratio))
            rgb = ((c.red(), colour.red()), (c.green(), colour.green()), (c.blue(), colour.blue()))
            if sum(abs(a - b) for a, b in rgb) < 40:
                return True
    return False


def test_clicks_and_box_are_drawn_in_their_colours(qtbot, opened, constant_predictor) -> None:
    window = opened
    use_segmenter(window, ShapeSegmenter(), constant_predictor)
    window.actions["tool_box"].trigger()
    viewport, left = window.canvas.viewport(), Qt.MouseButton.LeftButton
    QTest.mousePress(viewport, left, NO_MODIFIER, at(window, 10, 10))
    QTest.mouseMove(viewport, at(window, 50, 40))
    drag_frame = window.canvas.prompt_markers.drag
    assert drag_frame.visible  # the box is previewed while it is dragged
    rect = drag_frame.items[1].rect()
    corners = (rect.left(), rect.top(), rect.right(), rect.bottom())
    assert corners == pytest.approx((10.5, 10.5, 50.5, 40.5), abs=0.6)  # pixel centres, to a screen pixel
    QTest.mouseRelease(viewport, left, NO_MODIFIER, at(window, 50, 40))
    assert not drag_frame.visible
    wait_prompts(qtbot, window)
    drag(window, (10, 10), (80, 60))  # a new box starts over
    wait_prompts(qtbot, window)
    window.actions["tool_click"].trigger()
    press(window, 30, 30)
    wait_prompts(qtbot, window)
    press(window, 60, 45, button=Qt.MouseButton.RightButton)
    wait_prompts(qtbot, window)

    markers = window.canvas.prompt_markers
    assert [s.positive for s in markers.signs] == [True, False]
    assert _near(window, 30.5, 30.5, POSITIVE)
    assert _near(window, 60.5, 45.5, NEGATIVE)
    assert not _near(window, 60.5, 45.5, POSITIVE)
    assert _near(window, 45, 10, BOX)  # the top edge of the box
    # the − has no vertical bar: a few pixels above its centre the sign is not drawn
    above = at(window, 60.5, 45.5)
    above.setY(above.y() - 6)
    image = window.canvas.viewport().grab().toImage()
    assert image.pixelColor(above.x(), above.y()) != NEGATIVE
