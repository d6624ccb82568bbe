"""The pointer shapes of the edit tools, drawn at run time (the app ships no cursor artwork).

A tool names its shape (``Tool.cursor``: "disc", "ring", "crosshair", "fill"); this module turns
the name into a QCursor. The brush ("disc", filled) and the eraser ("ring", hollow and dashed)
are drawn at the brush's size on screen, so the pointer shows exactly what a click will paint
at the current zoom. Footprints wider than ``MAX_CURSOR_PX`` are left to the canvas's scene
outline (some platforms cap cursor images), with a crosshair as the pointer.

Every shape is drawn twice, dark under light, so it stays visible on dark and bright tissue.
"""

from __future__ import annotations

import math
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QCursor, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

#: Footprints up to this many screen pixels are drawn as the cursor itself.
MAX_CURSOR_PX = 160
#: The smallest footprint drawn, so a 1-px brush at low zoom is still findable.
MIN_FOOTPRINT_PX = 7

_DARK = QColor(0, 0, 0, 220)
_LIGHT = QColor(255, 255, 255, 255)


def footprint_fits(diameter_px: float) -> bool:
    """Whether a brush footprint of this many screen pixels is drawn as the cursor."""
    return diameter_px <= MAX_CURSOR_PX


def _start(side: int) -> tuple[QPixmap, QPainter]:
    pixmap = QPixmap(side, side)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    return pixmap, painter


def _pen(colour: QColor, width: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(colour, width, style)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    return pen


@lru_cache(maxsize=64)
def _footprint(kind: str, diameter: int) -> QCursor:
    side = diameter + 4  # room for the dark halo outside the circle
    pixmap, painter = _start(side)
    centre = side / 2.0
    rect = QRectF(centre - diameter / 2, centre - diameter / 2, diameter, diameter)
    if kind == "disc":
        painter.setBrush(QColor(255, 255, 255, 70))  # filled: "this paints"
        painter.setPen(_pen(_DARK, 3.0))
        painter.drawEllipse(rect)
        painter.setPen(_pen(_LIGHT, 1.2))
        painter.drawEllipse(rect)
    else:
        painter.setBrush(Qt.BrushStyle.NoBrush)  # hollow and dashed: "this removes"
        painter.setPen(_pen(_DARK, 3.0))
        painter.drawEllipse(rect)
        painter.setPen(_pen(_LIGHT, 1.2, Qt.PenStyle.DashLine))
        painter.drawEllipse(rect)
    # The centre pixel, for precise work with a large brush.
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(_DARK)
    painter.drawEllipse(QPointF(centre, centre), 2.0, 2.0)
    painter.setBrush(_LIGHT)
    painter.drawEllipse(QPointF(centre, centre), 1.0, 1.0)
    painter.end()
    hot = side // 2
    return QCursor(pixmap, hot, hot)


@lru_cache(maxsize=1)
def _crosshair() -> QCursor:
    side, c, gap = 23, 11.5, 3.0
    pixmap, painter = _start(side)
    for pen in (_pen(_DARK, 3.0), _pen(_LIGHT, 1.0)):
        painter.setPen(pen)
        painter.drawLine(QPointF(c, 1), QPointF(c, c - gap))
        painter.drawLine(QPointF(c, c + gap), QPointF(c, side - 1))
        painter.drawLine(QPointF(1, c), QPointF(c - gap, c))
        painter.drawLine(QPointF(c + gap, c), QPointF(side - 1, c))
    painter.end()
    return QCursor(pixmap, 11, 11)


@lru_cache(maxsize=1)
def _fill() -> QCursor:
    """A tipped paint bucket pouring a drop; the hot spot is the drop's tip (bottom left)."""
    pixmap, painter = _start(26)
    bucket = QPolygonF([QPointF(9, 6), QPointF(20, 11), QPointF(16, 22), QPointF(6, 17)])
    drop = QPainterPath()
    drop.moveTo(3, 24)
    drop.cubicTo(0, 19, 4, 15, 6, 12)
    drop.cubicTo(8, 16, 8, 21, 3, 24)
    for colour, width in ((_DARK, 3.0), (_LIGHT, 1.2)):
        painter.setPen(_pen(colour, width))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPolygon(bucket)
        painter.drawArc(QRectF(10, 1, 10, 10), 0, 180 * 16)  # the handle
    painter.setPen(_pen(_DARK, 1.5))
    painter.setBrush(QColor(0, 200, 255))
    painter.drawPath(drop)
    painter.end()
    return QCursor(pixmap, 3, 24)


def cursor_for(kind: str, diameter_px: float = 0.0) -> QCursor:
    """The QCursor for a tool's ``cursor`` name; brush shapes at ``diameter_px`` screen pixels.

    A footprint too wide for a cursor image (see ``footprint_fits``) and unknown names give the
    crosshair.
    """
    if kind in ("disc", "ring") and footprint_fits(diameter_px):
        diameter = max(MIN_FOOTPRINT_PX, math.ceil(diameter_px))
        return _footprint(kind, diameter)
    if kind == "fill":
        return _fill()
    return _crosshair()
