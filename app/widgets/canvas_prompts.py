"""The prompt markers of the canvas: the Box (being dragged, then placed) and the Click signs.

A positive click is a green +, a negative one a red −, each on a dark disc with a light rim so it
reads on any tissue colour and on the mask, at a fixed size on screen (the item ignores the zoom).
The box is a yellow rectangle with a dark halo (dashed while it is being dragged). The markers only
show what the prompt controller holds (``show``) or what the Box tool drags (``show_drag``): no state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore, QtGui, QtWidgets

from meddisseg_studio.widgets.canvas_layers import cosmetic_pen

if TYPE_CHECKING:
    import pyqtgraph as pg

    from meddisseg_core.interactive import Prompts

POSITIVE = QtGui.QColor(0, 230, 118)  # green +
NEGATIVE = QtGui.QColor(255, 23, 68)  # red −
BOX = QtGui.QColor(255, 220, 0)  # as the polygon/lasso preview: "what you are drawing"
HALO = QtGui.QColor(0, 0, 0, 200)
DISC = QtGui.QColor(20, 20, 20, 190)  # behind a click's sign
RIM = QtGui.QColor(255, 255, 255, 220)
SIGN_PX = 16  # the sign's size on screen, whatever the zoom


class ClickSign(QtWidgets.QGraphicsItem):
    """A + or − centred on an image pixel, drawn at a fixed screen size."""

    def __init__(self, positive: bool) -> None:
        super().__init__()
        self.positive = positive
        self.setFlag(QtWidgets.QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)

    def boundingRect(self) -> QtCore.QRectF:  # noqa: N802 - Qt override
        half = SIGN_PX / 2 + 4
        return QtCore.QRectF(-half, -half, 2 * half, 2 * half)

    def paint(
        self,
        painter: QtGui.QPainter,
        option: QtWidgets.QStyleOptionGraphicsItem,
        widget: QtWidgets.QWidget | None = None,
    ) -> None:
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        # A dark disc with a light rim under the sign: a green + must read on the (green) mask too.
        painter.setPen(QtGui.QPen(RIM, 1.5))
        painter.setBrush(DISC)
        radius = SIGN_PX / 2 + 3
        painter.drawEllipse(QtCore.QPointF(0, 0), radius, radius)
        arm = SIGN_PX / 2 - 2
        lines = [QtCore.QLineF(-arm, 0, arm, 0)]
        if self.positive:
            lines.append(QtCore.QLineF(0, -arm, 0, arm))
        pen = QtGui.QPen(POSITIVE if self.positive else NEGATIVE, 3.0)
        pen.setCapStyle(QtCore.Qt.PenCapStyle.FlatCap)
        painter.setPen(pen)
        for line in lines:
            painter.drawLine(line)


class _Frame:
    """A rectangle in image coordinates: a dark halo under a yellow line (cosmetic pens)."""

    def __init__(self, dashed: bool) -> None:
        self.items = [QtWidgets.QGraphicsRectItem() for _ in range(2)]
        for item, (colour, width) in zip(self.items, ((HALO, 4.0), (BOX, 2.0)), strict=True):
            pen = cosmetic_pen(colour, width)
            if dashed and colour == BOX:
                pen.setStyle(QtCore.Qt.PenStyle.DashLine)
            item.setPen(pen)
            item.setVisible(False)

    def show(self, rect: QtCore.QRectF | None) -> None:
        for item in self.items:
            item.setVisible(rect is not None)
            if rect is not None:
                item.setRect(rect)

    @property
    def visible(self) -> bool:
        return self.items[0].isVisible()


class PromptMarkers:
    """All the prompt graphics of one canvas, added to its ViewBox above the mask."""

    def __init__(self, viewbox: pg.ViewBox, z: float) -> None:
        self._vb = viewbox
        self._z = z
        self.drag = _Frame(dashed=True)
        self.box = _Frame(dashed=False)
        self.signs: list[ClickSign] = []
        for item in (*self.box.items, *self.drag.items):
            item.setZValue(z)
            viewbox.addItem(item, ignoreBounds=True)

    @property
    def shown(self) -> bool:
        """True while any placed prompt (box or click) is drawn."""
        return self.box.visible or bool(self.signs)

    def show_drag(self, corners: tuple[float, float, float, float] | None) -> None:
        if corners is None:
            self.drag.show(None)
            return
        x0, y0, x1, y1 = corners
        self.drag.show(QtCore.QRectF(QtCore.QPointF(x0, y0), QtCore.QPointF(x1, y1)).normalized())

    def show(self, prompts: Prompts | None) -> None:
        """Draw ``prompts`` (None or empty: nothing)."""
        box = None if prompts is None else prompts.box
        rect = None if box is None else QtCore.QRectF(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0)
        self.box.show(rect)
        for sign in self.signs:
            self._vb.removeItem(sign)
        self.signs = []
        for click in () if prompts is None else prompts.clicks:
            sign = ClickSign(click.positive)
            sign.setPos(click.x + 0.5, click.y + 0.5)  # the centre of the clicked pixel
            sign.setZValue(self._z + 1)
            self._vb.addItem(sign, ignoreBounds=True)
            self.signs.append(sign)
