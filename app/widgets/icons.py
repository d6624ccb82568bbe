"""Icons drawn with QPainter at run time: the app ships no third-party artwork.

``icon(name)`` returns the action icons; ``status_icon(status)`` the coloured review
badges used in the image list. Everything is cached, so drawing happens once.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

# Review status -> badge colour (also used for row tints). "error" marks unreadable files.
STATUS_COLOURS: dict[str, str] = {
    "new": "#9e9e9e",
    "proposed": "#1e88e5",
    "edited": "#fb8c00",
    "approved": "#43a047",
    "rejected": "#e53935",
    "changed": "#d81b60",  # changed after approval: needs approving again
    "error": "#6a1b9a",
}

_SIZE = 32


def _canvas() -> tuple[QPixmap, QPainter]:
    pixmap = QPixmap(_SIZE, _SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    return pixmap, painter


@cache
def status_icon(status: str) -> QIcon:
    pixmap, painter = _canvas()
    colour = QColor(STATUS_COLOURS.get(status, "#9e9e9e"))
    painter.setPen(QPen(colour.darker(140), 2))
    painter.setBrush(colour)
    painter.drawEllipse(QRectF(6, 6, 20, 20))
    painter.setPen(QPen(QColor("white"), 3))
    if status == "approved":
        painter.drawPolyline(QPolygonF([QPointF(11, 16), QPointF(15, 20), QPointF(22, 11)]))
    elif status in ("rejected", "error"):
        painter.drawLine(QPointF(12, 12), QPointF(20, 20))
        painter.drawLine(QPointF(20, 12), QPointF(12, 20))
    elif status == "changed":  # "!": the approval no longer holds
        painter.drawLine(QPointF(16, 10), QPointF(16, 17))
        painter.drawPoint(QPointF(16, 21.5))
    painter.end()
    return QIcon(pixmap)


def _arrow(painter: QPainter, reverse: bool) -> None:
    path = QPainterPath()
    if reverse:
        path.moveTo(24, 24)
        path.cubicTo(26, 10, 12, 6, 8, 14)
        head = QPolygonF([QPointF(4, 8), QPointF(12, 16), QPointF(3, 18)])
    else:
        path.moveTo(8, 24)
        path.cubicTo(6, 10, 20, 6, 24, 14)
        head = QPolygonF([QPointF(28, 8), QPointF(20, 16), QPointF(29, 18)])
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    painter.setBrush(painter.pen().color())
    painter.drawPolygon(head)


@cache
def icon(name: str) -> QIcon:
    """Action icon by name; an unknown name gives a neutral dot rather than failing."""
    pixmap, painter = _canvas()
    ink = QColor("#37474f")
    painter.setPen(QPen(ink, 2.5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
    if name == "open":
        painter.setBrush(QColor("#ffca28"))
        painter.drawPolygon(
            QPolygonF(
                [
                    QPointF(3, 9),
                    QPointF(12, 9),
                    QPointF(15, 12),
                    QPointF(29, 12),
                    QPointF(29, 26),
                    QPointF(3, 26),
                ]
            )
        )
    elif name == "undo":
        _arrow(painter, reverse=True)
    elif name == "redo":
        _arrow(painter, reverse=False)
    elif name == "approve":
        painter.setPen(QPen(QColor(STATUS_COLOURS["approved"]), 4))
        painter.drawPolyline(QPolygonF([QPointF(6, 17), QPointF(13, 24), QPointF(27, 8)]))
    elif name == "reject":
        painter.setPen(QPen(QColor(STATUS_COLOURS["rejected"]), 4))
        painter.drawLine(QPointF(8, 8), QPointF(24, 24))
        painter.drawLine(QPointF(24, 8), QPointF(8, 24))
    elif name == "propose":
        # A blob with a dashed outline: "the model suggests a region".
        painter.setBrush(QColor(STATUS_COLOURS["proposed"]).lighter(150))
        painter.setPen(QPen(QColor(STATUS_COLOURS["proposed"]), 2.5, Qt.PenStyle.DashLine))
        painter.drawEllipse(QRectF(5, 7, 22, 18))
    elif name == "export":
        painter.drawRect(QRectF(5, 14, 22, 13))
        painter.drawLine(QPointF(16, 4), QPointF(16, 20))
        painter.drawPolyline(QPolygonF([QPointF(10, 10), QPointF(16, 4), QPointF(22, 10)]))
    elif name == "help":
        painter.drawEllipse(QRectF(4, 4, 24, 24))
        font = painter.font()
        font.setBold(True)
        font.setPixelSize(18)
        painter.setFont(font)
        painter.drawText(QRectF(4, 4, 24, 24), Qt.AlignmentFlag.AlignCenter, "?")
    else:
        painter.setBrush(ink)
        painter.drawEllipse(QRectF(12, 12, 8, 8))
    painter.end()
    return QIcon(pixmap)


def app_icon() -> QIcon:
    """Window icon: a pink tissue square with a red region, the app's subject in one glance."""
    pixmap = QPixmap(64, 64)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor("#f4b6c2"))
    painter.setPen(QPen(QColor("#8d3b4a"), 3))
    painter.drawRoundedRect(QRectF(4, 4, 56, 56), 10, 10)
    painter.setBrush(QColor(200, 30, 50, 200))
    painter.setPen(QPen(QColor("#00e676"), 3))
    painter.drawEllipse(QRectF(18, 16, 30, 26))
    painter.end()
    return QIcon(pixmap)
