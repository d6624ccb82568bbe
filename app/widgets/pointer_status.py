"""Status-bar readout of what lies under the pointer: pixel position, mask value, probability.

It watches the canvas viewport's mouse moves with an event filter (the canvas keeps handling
them) and maps the viewport position through the scene to image pixels via the overlay item,
whose coordinates are image pixels. Per move it does one point mapping and two array lookups,
and it skips the label update while the pointer stays on the same pixel.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPointF
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QGraphicsView, QLabel

if TYPE_CHECKING:  # the canvas module imports pyqtgraph; this one is imported before it exists
    from .canvas import MaskCanvas


class PointerStatus(QLabel):
    """Shows ``x 12  y 34  mask 1  p 0.87`` for the pixel under the pointer (empty outside the image)."""

    def __init__(self, canvas: MaskCanvas, probability: Callable[[], np.ndarray | None]) -> None:
        super().__init__("")
        self._canvas = canvas
        self._probability = probability
        self._last: tuple[int, int] | None = None
        self.setMinimumWidth(220)
        canvas.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            self.show_at(event.position())
        elif event.type() == QEvent.Type.Leave:
            self.clear_readout()
        return False  # never consume: the canvas still needs the event

    def image_pixel(self, viewport_pos: QPointF) -> tuple[int, int] | None:
        """(row, col) under ``viewport_pos``, or None outside the mask."""
        mask = self._canvas.mask
        view = self._canvas.viewport().parentWidget()
        if mask is None or not isinstance(view, QGraphicsView):
            return None
        scene = view.viewportTransform().inverted()[0].map(viewport_pos)
        point = self._canvas.overlay.mapFromScene(scene)
        row, col = math.floor(point.y()), math.floor(point.x())
        if 0 <= row < mask.shape[0] and 0 <= col < mask.shape[1]:
            return row, col
        return None

    def show_at(self, viewport_pos: QPointF) -> None:
        pixel = self.image_pixel(viewport_pos)
        if pixel is None:
            self.clear_readout()
            return
        if pixel == self._last:
            return
        self._last = pixel
        self.refresh()

    def refresh(self) -> None:
        """Re-read the values at the last pixel (after an edit under a still pointer)."""
        mask = self._canvas.mask
        if self._last is None or mask is None:
            return
        row, col = self._last
        if not (row < mask.shape[0] and col < mask.shape[1]):
            self.clear_readout()
            return
        prob = self._probability()
        has_prob = prob is not None and prob.shape == mask.shape
        p_text = f"{float(prob[row, col]):.2f}" if has_prob else "–"  # type: ignore[index]
        self.setText(f"x {col}  y {row}  mask {int(mask[row, col])}  p {p_text}")

    def clear_readout(self) -> None:
        self._last = None
        self.setText("")
