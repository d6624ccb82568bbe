"""The pyqtgraph GraphicsView inside ``MaskCanvas`` that hands raw input to the canvas.

pyqtgraph's own mouse handling (ViewBox drags start only after a movement threshold, left-drag
pans) does not fit a painting tool, so this view does not pass mouse, wheel or key events on to
the scene: the canvas decides what each one means.
"""

from __future__ import annotations

from typing import Protocol

import pyqtgraph as pg
from PySide6 import QtCore, QtGui


class InputHandler(Protocol):
    def view_mouse_press(self, event: QtGui.QMouseEvent) -> None: ...
    def view_mouse_move(self, event: QtGui.QMouseEvent) -> None: ...
    def view_mouse_release(self, event: QtGui.QMouseEvent) -> None: ...
    def view_double_click(self, event: QtGui.QMouseEvent) -> None: ...
    def view_wheel(self, event: QtGui.QWheelEvent) -> None: ...
    def view_key_press(self, event: QtGui.QKeyEvent) -> bool: ...
    def view_key_release(self, event: QtGui.QKeyEvent) -> bool: ...
    def view_leave(self) -> None: ...
    def view_wants_key(self, event: QtGui.QKeyEvent) -> bool: ...


class CanvasView(pg.GraphicsView):
    def __init__(self, handler: InputHandler, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent, background="k")
        self._handler = handler
        self.setMouseTracking(True)  # the brush cursor follows the pointer without a button held
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.viewport().setCursor(QtCore.Qt.CursorShape.CrossCursor)

    def event(self, ev: QtCore.QEvent) -> bool:
        # Window-wide shortcuts (e.g. Escape, Enter) would otherwise swallow the keys that
        # finish or cancel an open polygon; claim them only while an interaction is live.
        if ev.type() == QtCore.QEvent.Type.ShortcutOverride and self._handler.view_wants_key(ev):
            ev.accept()
            return True
        return super().event(ev)

    def mousePressEvent(self, ev: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        self.setFocus(QtCore.Qt.FocusReason.MouseFocusReason)
        self._handler.view_mouse_press(ev)
        ev.accept()

    def mouseMoveEvent(self, ev: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        self._handler.view_mouse_move(ev)
        ev.accept()

    def mouseReleaseEvent(self, ev: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        self._handler.view_mouse_release(ev)
        ev.accept()

    def mouseDoubleClickEvent(self, ev: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        self._handler.view_double_click(ev)
        ev.accept()

    def wheelEvent(self, ev: QtGui.QWheelEvent) -> None:  # noqa: N802 - Qt override
        self._handler.view_wheel(ev)
        ev.accept()

    def keyPressEvent(self, ev: QtGui.QKeyEvent) -> None:  # noqa: N802 - Qt override
        if not self._handler.view_key_press(ev):
            ev.ignore()  # let the window's shortcuts see it

    def keyReleaseEvent(self, ev: QtGui.QKeyEvent) -> None:  # noqa: N802 - Qt override
        if not self._handler.view_key_release(ev):
            ev.ignore()

    def leaveEvent(self, ev: QtCore.QEvent) -> None:  # noqa: N802 - Qt override
        self._handler.view_leave()
        super().leaveEvent(ev)

    def image_point(self, viewbox: pg.ViewBox, pos: QtCore.QPointF) -> QtCore.QPointF:
        """Viewport position (sub-pixel) to image coordinates (x = column, y = row)."""
        scene = self.viewportTransform().inverted()[0].map(pos)
        return viewbox.mapSceneToView(scene)

    def viewport_point(self, viewbox: pg.ViewBox, x: float, y: float) -> QtCore.QPoint:
        """Image coordinates to the viewport pixel (for tests and tooltips)."""
        scene = viewbox.mapViewToScene(QtCore.QPointF(x, y))
        return self.mapFromScene(scene)
