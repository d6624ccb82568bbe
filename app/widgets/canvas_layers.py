"""The small graphics layers of the canvas besides the mask overlay: heat map, brush cursor, path preview.

All live in image coordinates (children of the canvas ViewBox); pens are cosmetic so outlines
stay one or two screen pixels wide at any zoom.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from meddisseg_studio.tools import ops
from meddisseg_studio.tools.ops import Point
from meddisseg_studio.widgets.canvas_overlay import ViewMode

#: The colour map of each model map: the heat layer and the colour legend both read it from here.
HEAT_COLORMAPS = {ViewMode.PROBABILITY: "inferno", ViewMode.UNCERTAINTY: "viridis"}


@cache
def heat_lut(mode: ViewMode) -> np.ndarray:
    """The 256×3 uint8 lookup table that colours ``mode``'s map (low values first)."""
    lut = pg.colormap.get(HEAT_COLORMAPS[mode]).getLookupTable(nPts=256, alpha=False)
    lut = np.ascontiguousarray(lut[:, :3], dtype=np.uint8)
    lut.setflags(write=False)
    return lut


def heat_levels(mode: ViewMode, values: np.ndarray) -> tuple[float, float]:
    """The value range the colours span: 0..1 for probability, 0..the map's maximum for uncertainty."""
    if mode is ViewMode.PROBABILITY:
        return 0.0, 1.0
    top = float(np.nanmax(values)) if values.size else 0.0
    return 0.0, max(top if np.isfinite(top) else 0.0, 1e-6)


def cosmetic_pen(colour: QtGui.QColor, width: float) -> QtGui.QPen:
    pen = QtGui.QPen(colour, width)
    pen.setCosmetic(True)  # width in screen pixels whatever the zoom
    return pen


class HeatLayer(pg.ImageItem):
    """A probability (levels 0..1) or uncertainty (levels 0..max) map through a colour map."""

    def __init__(self) -> None:
        super().__init__(axisOrder="row-major")
        self.setOpacity(0.55)
        self.setVisible(False)

    def show_map(self, values: np.ndarray | None, mode: ViewMode) -> None:
        if values is None or mode not in HEAT_COLORMAPS:
            self.setVisible(False)
            return
        self.setImage(values, levels=heat_levels(mode, values), lut=heat_lut(mode), autoLevels=False)
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
