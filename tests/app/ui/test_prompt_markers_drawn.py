"""The prompts are drawn on the canvas: a green + for a positive click, a red − for a negative one, a box."""

from __future__ import annotations

from prompt_support import ShapeSegmenter, at, drag, press, use_segmenter, wait_prompts
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

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
    drag(window, (10, 10), (80, 60))
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
