"""The pointer is the active tool's cursor: brush disc and eraser ring at the brush's screen size."""

import numpy as np
import qimage2ndarray
from PySide6 import QtCore, QtGui
from PySide6.QtTest import QTest


def _image(canvas) -> QtGui.QImage:
    image = canvas.viewport().cursor().pixmap().toImage()
    return image.convertToFormat(QtGui.QImage.Format.Format_ARGB32)


def _drawn_width(canvas) -> int:
    """Width of the drawn (non-transparent) part of the cursor through its middle row."""
    alpha = qimage2ndarray.alpha_view(_image(canvas))
    cols = np.flatnonzero(alpha[alpha.shape[0] // 2] > 0)
    return int(cols[-1] - cols[0] + 1)


def test_brush_and_eraser_cursors_are_the_footprint_at_the_current_zoom(rig) -> None:
    canvas = rig.canvas
    canvas.set_tool("brush")
    canvas.brush_size = 31
    scale = canvas.screen_scale()
    assert scale > 1.0  # a 256 px image fitted into 420 px
    disc = canvas.viewport().cursor()
    assert disc.shape() == QtCore.Qt.CursorShape.BitmapCursor
    assert abs(_drawn_width(canvas) - 31 * scale) <= 5  # the footprint plus its halo
    assert disc.hotSpot() == QtCore.QPoint(disc.pixmap().width() // 2, disc.pixmap().height() // 2)

    canvas.zoom(2.0)  # zooming in doubles the footprint on screen
    assert abs(_drawn_width(canvas) - 62 * scale) <= 6

    brush = _image(canvas)
    canvas.set_tool("eraser")
    ring = _image(canvas)
    assert ring.size() == brush.size() and ring != brush  # same footprint, another look
    inside = qimage2ndarray.alpha_view(ring)[ring.height() // 2, ring.width() // 4]
    assert inside == 0 < qimage2ndarray.alpha_view(brush)[brush.height() // 2, brush.width() // 4]


def test_polygon_and_lasso_share_the_crosshair_and_fill_has_its_own(rig) -> None:
    canvas = rig.canvas
    shapes = {}
    for tool in ("polygon", "lasso", "flood_fill"):
        canvas.set_tool(tool)
        shapes[tool] = (_image(canvas), canvas.viewport().cursor().hotSpot())
    assert shapes["polygon"] == shapes["lasso"]
    assert shapes["polygon"][1] == QtCore.QPoint(11, 11)
    assert shapes["flood_fill"][0] != shapes["polygon"][0]


def test_footprint_too_big_for_a_cursor_is_outlined_in_the_scene(rig) -> None:
    canvas = rig.canvas
    canvas.set_tool("brush")
    canvas.brush_size = 31
    QTest.mouseMove(canvas.viewport(), rig.at(100, 120))
    outline = canvas._cursor
    assert not outline.visible  # the cursor image shows the footprint
    canvas.brush_size = 400  # about 650 screen px: too big for a cursor image
    QTest.mouseMove(canvas.viewport(), rig.at(101, 120))
    assert outline.visible
    rect = outline.items[0].rect()
    assert rect.width() == 400
    assert abs(rect.center().x() - 101.5) <= 1 and abs(rect.center().y() - 120.5) <= 1
    assert canvas.viewport().cursor().hotSpot() == QtCore.QPoint(11, 11)  # a crosshair marks the centre
    canvas.set_tool("polygon")
    QTest.mouseMove(canvas.viewport(), rig.at(90, 90))
    assert not outline.visible
    assert rig.mask.sum() == 0  # hovering never paints
