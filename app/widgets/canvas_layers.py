"""The small graphics layers of the canvas besides the mask overlay: heat map, brush cursor, path preview.

All live in image coordinates (children of the canvas ViewBox); pens are cosmetic so outlines
stay one or two screen pixels wide at any zoom.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from meddisseg_studio.tools import ops
from meddisseg_studio.tools.ops import Point
from meddisseg_studio.widgets.canvas_overlay import ViewMode

_HEAT_MAPS = {ViewMode.PROBABILITY: "inferno", ViewMode.UNCERTAINTY: "viridis"}


def cosmetic_pen(colour: QtGui.QColor, width: float) -> QtGui.QPen:
    pen = QtGui.QPen(colour, width)
    pen.setCosmetic(True)  # width in screen pixels whatever the zoom
    return pen


def to_uint8(rgb: np.ndarray) -> np.ndarray:
    """Display copy of an image: uint8 as is, anything else scaled by its maximum."""
    if rgb.dtype == np.uint8:
        return np.ascontiguousarray(rgb)
    top = float(rgb.max()) if rgb.size else 1.0
    scaled = rgb.astype(np.float32) * (255.0 / max(top, 1e-6))
    return np.ascontiguousarray(np.clip(scaled, 0, 255).astype(np.uint8))


class HeatLayer(pg.ImageItem):
    """A probability (levels 0..1) or uncertainty (levels 0..max) map through a colour map."""

    def __init__(self) -> None:
        super().__init__(axisOrder="row-major")
        self.setOpacity(0.55)
        self.setVisible(False)

    def show_map(self, values: np.ndarray | None, mode: ViewMode) -> None:
        if values is None or mode not in _HEAT_MAPS:
            self.setVisible(False)
            return
        top = 1.0 if mode is ViewMode.PROBABILITY else max(float(np.nanmax(values)), 1e-6)
        lut = pg.colormap.get(_HEAT_MAPS[mode]).getLookupTable(nPts=256)
        self.setImage(values, levels=(0.0, top), lut=lut, autoLevels=False)
        self.setVisible(True)


class BrushCursor:
    """A circle of the brush diameter around the pixel under the pointer (dark halo + light line)."""

    def __init__(self) -> None:
        self.items = [QtWidgets.QGraphicsEllipseItem() for _ in range(2)]
        styles = [(QtGui.QColor(0, 0, 0), 3.0), (QtGui.QColor(255, 255, 255), 1.0)]
        for item, (colour, width) in zip(self.items, styles, strict=True):
            item.setPen(cosmetic_pen(colour, width))
            item.setVisible(False)

    def setZValue(self, z: float) -> None:  # noqa: N802 - mirrors QGraphicsItem
        for item in self.items:
            item.setZValue(z)

    def show_at(self, point: QtCore.QPointF | None, diameter: int) -> None:
        for item in self.items:
            item.setVisible(point is not None)
        if point is None:
            return
        col, row = ops.pixel_of(point.x(), point.y())
        d = float(diameter)
        rect = QtCore.QRectF(col + 0.5 - d / 2, row + 0.5 - d / 2, d, d)
        for item in self.items:
            item.setRect(rect)

    @property
    def visible(self) -> bool:
        return self.items[0].isVisible()


class PathPreview(QtWidgets.QGraphicsPathItem):
    """The outline of an unfinished polygon or lasso."""

    def __init__(self) -> None:
        super().__init__()
        self.setPen(cosmetic_pen(QtGui.QColor(255, 220, 0), 1.5))

    def show_points(self, points: list[Point] | None, closed: bool) -> None:
        path = QtGui.QPainterPath()
        if points:
            path.moveTo(*points[0])
            for x, y in points[1:]:
                path.lineTo(x, y)
            if closed and len(points) > 2:
                path.closeSubpath()
        self.setPath(path)
