"""The mask overlay of the canvas: an ARGB32 QImage whose pixels are a numpy view.

Why not a pyqtgraph ImageItem: ``ImageItem.setImage`` rebuilds the whole QImage from the array,
which for a 4096×4096 mask costs far more than one frame. Here the QImage is allocated once per
mask shape; a brush segment recolours only its dirty rectangle in place (``render``) and asks
Qt to repaint only that rectangle, and ``paint`` draws only the exposed part of the image.
"""

from __future__ import annotations

from enum import StrEnum

import cv2
import numpy as np
import qimage2ndarray
from PySide6 import QtCore, QtGui, QtWidgets

from meddisseg_studio.tools.ops import Box, clip_box


class ViewMode(StrEnum):
    """How the mask (and the model's maps) are drawn over the image."""

    MASK = "mask"  # filled, semi-transparent
    OUTLINE = "outline"  # only the boundary, the image stays visible inside
    PROBABILITY = "probability"  # heat map of the model's probability, mask as outline
    UNCERTAINTY = "uncertainty"  # heat map of the model's uncertainty, mask as outline
    NONE = "none"  # the image alone


def outline_width_for(shape: tuple[int, ...]) -> int:
    """Outline thickness in image pixels: about one screen pixel when a large image is fitted."""
    return max(1, int(np.ceil(max(shape[:2]) / 1024)))


class MaskOverlayItem(QtWidgets.QGraphicsItem):
    """Paints a mask as a coloured QImage in image-pixel coordinates (item (x, y) = (col, row))."""

    def __init__(self, parent: QtWidgets.QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        # exposedRect in paint() is only filled in with this flag.
        self.setFlag(QtWidgets.QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self._image = QtGui.QImage()
        self._pixels: np.ndarray | None = None
        self._argb = np.uint32(0)
        self.outline = False
        self.outline_width = 1
        #: Number of paint calls, for the benchmark and tests (cheap).
        self.paint_count = 0

    # -- configuration --------------------------------------------------------------------------
    def set_shape(self, height: int, width: int) -> None:
        """(Re)allocate the image for a mask of this shape, fully transparent."""
        if self._pixels is not None and self._pixels.shape == (height, width):
            self._pixels[:] = 0
            return
        self.prepareGeometryChange()
        if height == 0 or width == 0:
            self._image, self._pixels = QtGui.QImage(), None
            return
        self._image = QtGui.QImage(width, height, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        self._image.fill(0)
        self._pixels = qimage2ndarray.raw_view(self._image)  # uint32 0xAARRGGBB, shares memory
        self.outline_width = outline_width_for((height, width))

    def set_colour(self, colour: QtGui.QColor) -> None:
        """Foreground colour (opaque; transparency is the item's opacity)."""
        self._argb = np.uint32(0xFF000000 | (colour.red() << 16) | (colour.green() << 8) | colour.blue())

    @property
    def pixels(self) -> np.ndarray | None:
        return self._pixels

    # -- drawing --------------------------------------------------------------------------------
    def render(self, mask: np.ndarray, box: Box | None = None) -> Box | None:
        """Recolour ``box`` (default: everything) from ``mask`` and schedule its repaint."""
        pixels = self._pixels
        if pixels is None or pixels.shape != mask.shape:
            return None
        box = box if box is not None else (0, 0, *mask.shape)
        if self.outline:
            # A changed pixel moves the boundary up to outline_width pixels around it.
            w = self.outline_width
            box = (box[0] - w, box[1] - w, box[2] + w, box[3] + w)
        box = clip_box(box, mask.shape)
        if box is None:
            return None
        y0, x0, y1, x1 = box
        values = mask[y0:y1, x0:x1] if not self.outline else self._outline_of(mask, box)
        # Masks hold 0/1 (checked by the canvas), so colour = value × ARGB: one pass, no
        # temporaries, several times faster than a LUT lookup on a full 4096×4096 frame.
        np.multiply(values, self._argb, out=pixels[y0:y1, x0:x1], dtype=np.uint32, casting="unsafe")
        self.update(QtCore.QRectF(x0, y0, x1 - x0, y1 - y0))
        return box

    def _outline_of(self, mask: np.ndarray, box: Box) -> np.ndarray:
        """Inner boundary (mask minus its erosion) for ``box``, computed with enough context."""
        y0, x0, y1, x1 = box
        w = self.outline_width
        py0, px0 = max(0, y0 - w), max(0, x0 - w)
        py1, px1 = min(mask.shape[0], y1 + w), min(mask.shape[1], x1 + w)
        sub = mask[py0:py1, px0:px1]
        kernel = np.ones((2 * w + 1, 2 * w + 1), np.uint8)
        # Outside the image counts as background, so a mask cut by the image edge shows its edge.
        eroded = cv2.erode(sub, kernel, borderType=cv2.BORDER_CONSTANT, borderValue=0)
        edge = cv2.subtract(sub, eroded)  # erosion never exceeds the mask: this is mask AND NOT eroded
        return edge[y0 - py0 : y1 - py0, x0 - px0 : x1 - px0]

    # -- QGraphicsItem --------------------------------------------------------------------------
    def boundingRect(self) -> QtCore.QRectF:  # noqa: N802 - Qt override
        return QtCore.QRectF(0, 0, self._image.width(), self._image.height())

    def paint(
        self,
        painter: QtGui.QPainter,
        option: QtWidgets.QStyleOptionGraphicsItem,
        widget: QtWidgets.QWidget | None = None,
    ) -> None:
        if self._image.isNull():
            return
        self.paint_count += 1
        # Draw only the exposed source pixels: at 4096×4096 the whole image would cost a frame.
        exposed = option.exposedRect.intersected(self.boundingRect()).toAlignedRect()
        if exposed.isEmpty():
            return
        painter.drawImage(QtCore.QRectF(exposed), self._image, QtCore.QRectF(exposed))
