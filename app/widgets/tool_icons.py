"""Icons of the edit tools, drawn with QPainter at run time (the app ships no third-party artwork).

``tool_icon(name)`` gives the tool bar icon of a registered tool. The shapes follow what
annotators know from labelme, CVAT and image editors: a paintbrush, an eraser block, a polygon
with its vertices, a freehand loop and a tipped paint bucket; the model prompts as SAM-style tools
show them: a dashed box around a lesion, and a green + and red − on one.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

_SIZE = 32
_INK = QColor("#37474f")
_MASK = QColor("#00b8d4")  # the colour a tool adds to the mask
_POSITIVE = QColor("#2e7d32")  # the canvas draws positive clicks green (a lighter green there)
_NEGATIVE = QColor("#c62828")  # and negative clicks red


def _pen(colour: QColor, width: float) -> QPen:
    return QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)


def _brush(p: QPainter) -> None:
    stroke = QPainterPath()  # the painted trail
    stroke.moveTo(4, 27)
    stroke.cubicTo(8, 20, 12, 26, 16, 20)
    p.setPen(_pen(_MASK, 4.0))
    p.drawPath(stroke)
    p.setPen(_pen(_INK, 2.0))
    p.setBrush(QColor("#8d6e63"))
    p.drawPolygon(QPolygonF([QPointF(26, 3), QPointF(29, 6), QPointF(19, 17), QPointF(16, 14)]))  # handle
    p.setBrush(_INK)
    p.drawPolygon(QPolygonF([QPointF(16, 14), QPointF(19, 17), QPointF(16, 21), QPointF(12, 18)]))  # tip


def _eraser(p: QPainter) -> None:
    p.setPen(_pen(_INK, 2.0))
    p.setBrush(QColor("#f48fb1"))
    p.drawPolygon(QPolygonF([QPointF(16, 5), QPointF(27, 16), QPointF(19, 24), QPointF(8, 13)]))
    p.setBrush(QColor("#eceff1"))
    p.drawPolygon(QPolygonF([QPointF(8, 13), QPointF(19, 24), QPointF(15, 28), QPointF(4, 17)]))
    p.setPen(_pen(_INK, 1.5))
    p.drawLine(QPointF(17, 28), QPointF(29, 28))  # the cleaned line under it


def _polygon(p: QPainter) -> None:
    points = [QPointF(5, 24), QPointF(9, 6), QPointF(22, 4), QPointF(28, 17), QPointF(17, 28)]
    fill = QColor(_MASK)
    fill.setAlpha(90)
    p.setPen(_pen(_INK, 2.0))
    p.setBrush(fill)
    p.drawPolygon(QPolygonF(points))
    p.setBrush(QColor("white"))
    p.setPen(_pen(_INK, 1.5))
    for point in points:
        p.drawRect(QRectF(point.x() - 2.5, point.y() - 2.5, 5, 5))


def _lasso(p: QPainter) -> None:
    loop = QPainterPath()
    loop.moveTo(10, 24)
    loop.cubicTo(0, 18, 4, 4, 17, 4)
    loop.cubicTo(30, 4, 31, 17, 20, 21)
    loop.cubicTo(15, 23, 11, 22, 10, 24)
    fill = QColor(_MASK)
    fill.setAlpha(90)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(fill)
    p.drawPath(loop)
    pen = _pen(_INK, 2.0)
    pen.setStyle(Qt.PenStyle.DashLine)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(loop)
    p.setPen(_pen(_INK, 2.0))
    tail = QPainterPath()
    tail.moveTo(10, 24)
    tail.cubicTo(8, 28, 12, 30, 14, 28)
    p.drawPath(tail)


def _flood_fill(p: QPainter) -> None:
    p.setPen(_pen(_INK, 2.0))
    p.setBrush(QColor("#eceff1"))
    p.drawPolygon(QPolygonF([QPointF(12, 6), QPointF(26, 13), QPointF(20, 27), QPointF(6, 20)]))  # bucket
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawArc(QRectF(11, 1, 14, 12), 0, 180 * 16)  # handle
    drop = QPainterPath()
    drop.moveTo(27, 29)
    drop.cubicTo(23, 29, 24, 24, 27, 18)
    drop.cubicTo(30, 24, 31, 29, 27, 29)
    p.setPen(_pen(_INK, 1.2))
    p.setBrush(_MASK)
    p.drawPath(drop)


def _lesion(p: QPainter, rect: QRectF) -> None:
    fill = QColor(_MASK)
    fill.setAlpha(150)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(fill)
    p.drawEllipse(rect)


def _box(p: QPainter) -> None:
    _lesion(p, QRectF(9, 10, 15, 12))
    pen = _pen(_INK, 2.0)
    pen.setStyle(Qt.PenStyle.DashLine)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRect(QRectF(4, 5, 24, 22))
    p.setPen(_pen(_INK, 1.5))
    p.setBrush(QColor("white"))
    for x, y in ((4, 5), (28, 27)):  # the corners a drag goes from and to
        p.drawRect(QRectF(x - 2.5, y - 2.5, 5, 5))


def _click(p: QPainter) -> None:
    _lesion(p, QRectF(3, 5, 20, 17))
    for (x, y), colour, plus in (((12, 13), _POSITIVE, True), ((25, 25), _NEGATIVE, False)):
        p.setPen(_pen(QColor("white"), 1.0))
        p.setBrush(colour)
        p.drawEllipse(QPointF(x, y), 6.5, 6.5)
        p.setPen(_pen(QColor("white"), 2.2))
        p.drawLine(QPointF(x - 3.5, y), QPointF(x + 3.5, y))
        if plus:
            p.drawLine(QPointF(x, y - 3.5), QPointF(x, y + 3.5))


_PAINTERS = {
    "brush": _brush,
    "eraser": _eraser,
    "polygon": _polygon,
    "lasso": _lasso,
    "flood_fill": _flood_fill,
    "box": _box,
    "click": _click,
}


@cache
def tool_icon(name: str) -> QIcon:
    """The icon of tool ``name``; an unknown name gives a neutral dot rather than failing."""
    pixmap = QPixmap(_SIZE, _SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    draw = _PAINTERS.get(name)
    if draw is not None:
        draw(painter)
    else:
        painter.setBrush(_INK)
        painter.drawEllipse(QRectF(12, 12, 8, 8))
    painter.end()
    return QIcon(pixmap)
