"""MaskCanvas: the image with its editable mask, zoom/pan, view modes and the edit tools.

Who mutates the mask: the canvas never owns it. ``set_mask`` keeps a reference to the array
the ``EditSession`` holds. A tool draws into that array live (the user sees the stroke at once)
and, when the interaction ends, the canvas emits ``editCommitted(MaskEdit)`` once; its
``before`` was captured before the first pixel changed. The window passes the edit to
``EditSession.apply`` (writing ``after`` again is idempotent), which records undo and autosaves.
When the session changes the mask itself (undo/redo), the window calls ``refresh_region``.

Input: left button uses the tool (Alt or Ctrl held: cut instead of add); middle drag or
Space + left drag pans; the wheel zooms about the pointer, Ctrl + wheel resizes the brush when
the tool uses one; ``[`` / ``]`` resize the brush; Enter finishes, Backspace drops the last
polygon vertex, Escape cancels.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from meddisseg_core.errors import ImageReadError, MaskError
from meddisseg_studio.settings import Preferences
from meddisseg_studio.state.edits import MaskEdit
from meddisseg_studio.tools import create_tool, operation_edit, ops
from meddisseg_studio.tools.base import Tool
from meddisseg_studio.tools.ops import Box, Point
from meddisseg_studio.widgets.canvas_layers import BrushCursor, HeatLayer, PathPreview, to_uint8
from meddisseg_studio.widgets.canvas_overlay import MaskOverlayItem, ViewMode
from meddisseg_studio.widgets.canvas_view import CanvasView

__all__ = ["MaskCanvas", "ViewMode"]

_CUT_MODIFIERS = QtCore.Qt.KeyboardModifier.AltModifier | QtCore.Qt.KeyboardModifier.ControlModifier


class _ToolBridge:
    """The ``ToolContext`` the canvas gives its tools (keeps Qt out of the tools)."""

    def __init__(self, canvas: MaskCanvas) -> None:
        self._canvas = canvas

    @property
    def mask(self) -> np.ndarray | None:
        return self._canvas.mask

    @property
    def brush_size(self) -> int:
        return self._canvas.brush_size

    def refresh(self, box: Box) -> None:
        mask = self._canvas.mask
        if mask is not None:
            self._canvas.overlay.render(mask, box)

    def commit(self, edit: MaskEdit) -> None:
        self._canvas.editCommitted.emit(edit)

    def show_path(self, points: list[Point] | None, closed: bool) -> None:
        self._canvas._show_path(points, closed)

    def message(self, text: str) -> None:
        self._canvas.statusMessage.emit(text)


class MaskCanvas(QtWidgets.QWidget):
    editCommitted = QtCore.Signal(object)  # noqa: N815 - Qt name; one MaskEdit per interaction
    statusMessage = QtCore.Signal(str)  # noqa: N815 - Qt signal name
    brushSizeChanged = QtCore.Signal(int)  # noqa: N815 - Qt signal name

    MIN_BRUSH = 1
    MAX_BRUSH = 512

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._view = CanvasView(self)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._view)
        self.setFocusProxy(self._view)

        self._vb = pg.ViewBox(lockAspect=True, invertY=True, enableMenu=False)
        self._vb.setMouseEnabled(False, False)  # the canvas handles pan and zoom itself
        self._view.setCentralItem(self._vb)

        self._image_item = pg.ImageItem(axisOrder="row-major")
        self._heat = HeatLayer()
        self.overlay = MaskOverlayItem()
        self._path = PathPreview()
        self._cursor = BrushCursor()
        self._vb.addItem(self._image_item)
        for z, item in enumerate((self._heat, self.overlay, self._path, *self._cursor.items), start=1):
            item.setZValue(min(z, 4))
            self._vb.addItem(item, ignoreBounds=True)

        self._image: np.ndarray | None = None
        self._mask: np.ndarray | None = None
        self._maps: dict[ViewMode, np.ndarray | None] = {
            ViewMode.PROBABILITY: None,
            ViewMode.UNCERTAINTY: None,
        }
        self._mode = ViewMode.MASK
        defaults = Preferences()
        self._brush_size = defaults.brush_size
        self._bridge = _ToolBridge(self)
        self._tool: Tool = create_tool("brush")
        self._left_down = False
        self._pan_from: QtCore.QPointF | None = None
        self._space_held = False
        self._cursor_pos: QtCore.QPointF | None = None
        self.set_mask_style(QtGui.QColor(defaults.mask_colour), defaults.opacity)

    # -- public API (contract with the main window) ---------------------------------------------
    @property
    def mask(self) -> np.ndarray | None:
        return self._mask

    @property
    def view_mode(self) -> ViewMode:
        return self._mode

    @property
    def tool(self) -> Tool:
        return self._tool

    def viewport(self) -> QtWidgets.QWidget:
        """The widget that receives the mouse (for tests and event filters)."""
        return self._view.viewport()

    def set_image(self, rgb: np.ndarray) -> None:
        """Show an H×W×3 (or H×W grey) image. The view is refitted when the size changes."""
        if rgb.ndim == 2:
            rgb = np.repeat(rgb[:, :, None], 3, axis=2)
        if rgb.ndim != 3 or rgb.shape[2] not in (3, 4):
            raise ImageReadError("<canvas>", f"expected an H×W×3 RGB array, got shape {rgb.shape}")
        rgb = to_uint8(rgb[:, :, :3])
        old_shape = None if self._image is None else self._image.shape[:2]
        self._image = rgb
        self._image_item.setImage(rgb, autoLevels=False, levels=(0, 255))
        if old_shape != rgb.shape[:2]:
            if self._mask is not None and self._mask.shape != rgb.shape[:2]:
                self.set_mask(None)
            self._maps = dict.fromkeys(self._maps)
            self._update_heat()
            self.fit_to_window()

    def set_mask(self, mask: np.ndarray | None) -> None:
        """Show and edit ``mask`` (H×W uint8 0/1), which stays owned by the caller (not copied)."""
        self.cancel_interaction()
        if mask is not None:
            ops.check_mask(mask)
            if mask.size and int(mask.max()) > 1:
                raise MaskError(f"a mask must hold 0/1, found values up to {int(mask.max())}")
            if self._image is not None and mask.shape != self._image.shape[:2]:
                raise MaskError(f"mask shape {mask.shape} does not match image {self._image.shape[:2]}")
        self._mask = mask
        if mask is None:
            self.overlay.set_shape(0, 0)
            return
        self.overlay.set_shape(*mask.shape)
        self.overlay.render(mask)

    def refresh_region(self, y0: int, x0: int, h: int, w: int) -> None:
        """Redraw part of the mask after someone else (undo/redo) changed it in place."""
        if self._mask is not None:
            self.overlay.render(self._mask, (y0, x0, y0 + h, x0 + w))

    def set_probability(self, prob: np.ndarray | None) -> None:
        self._set_map(ViewMode.PROBABILITY, prob)

    def set_uncertainty(self, uncertainty: np.ndarray | None) -> None:
        self._set_map(ViewMode.UNCERTAINTY, uncertainty)

    def set_view_mode(self, mode: ViewMode | str) -> None:
        self._mode = ViewMode(mode)
        self.overlay.outline = self._mode in (ViewMode.OUTLINE, ViewMode.PROBABILITY, ViewMode.UNCERTAINTY)
        self.overlay.setVisible(self._mode is not ViewMode.NONE)
        if self._mask is not None:
            self.overlay.render(self._mask)
        self._update_heat()
        if self._mode in self._maps and self._maps[self._mode] is None:
            self.statusMessage.emit(f"No {self._mode.value} map for this image")

    def set_mask_style(self, colour: QtGui.QColor, opacity: float) -> None:
        self.overlay.set_colour(colour)
        self.overlay.setOpacity(float(np.clip(opacity, 0.0, 1.0)))
        if self._mask is not None:
            self.overlay.render(self._mask)

    def fit_to_window(self) -> None:
        if self._image is None:
            return
        h, w = self._image.shape[:2]
        self._vb.setRange(QtCore.QRectF(0, 0, w, h), padding=0.02)

    def visible_rect(self) -> QtCore.QRectF:
        """The image region currently in view (image coordinates)."""
        (x0, x1), (y0, y1) = self._vb.viewRange()
        return QtCore.QRectF(x0, y0, x1 - x0, y1 - y0)

    def zoom(self, factor: float, center: QtCore.QPointF | None = None) -> None:
        """Magnify by ``factor`` (> 1 zooms in) about ``center`` (image coords; default: view centre)."""
        if factor <= 0:
            raise ValueError(f"zoom factor must be > 0, got {factor}")
        view = self.visible_rect()
        new_width = view.width() / factor
        extent = max(self._image.shape[:2]) if self._image is not None else 1024
        if not (4.0 <= new_width <= 20.0 * extent):
            return  # keep a few pixels on screen and the image findable
        self._vb.scaleBy(s=(1 / factor, 1 / factor), center=center if center is not None else view.center())

    def set_tool(self, tool_name: str) -> None:
        if tool_name == self._tool.name:
            return
        new_tool = create_tool(tool_name)  # raises KeyError for an unknown name before anything changes
        self.cancel_interaction()
        self._tool = new_tool
        self._update_cursor_item(None)
        self.statusMessage.emit(f"{new_tool.label} tool")

    @property
    def brush_size(self) -> int:
        """Brush diameter in image pixels."""
        return self._brush_size

    @brush_size.setter
    def brush_size(self, size: int) -> None:
        size = int(np.clip(int(size), self.MIN_BRUSH, self.MAX_BRUSH))
        if size == self._brush_size:
            return
        self._brush_size = size
        self._update_cursor_item(self._cursor_pos)
        self.brushSizeChanged.emit(size)
        self.statusMessage.emit(f"Brush size {size} px")

    def step_brush_size(self, steps: int) -> None:
        """Grow (steps > 0) or shrink the brush by about 15 % per step (at least one pixel)."""
        size = self._brush_size
        for _ in range(abs(steps)):
            delta = max(1, round(size * 0.15))
            size = size + delta if steps > 0 else size - delta
        self.brush_size = size

    def run_operation(self, name: str, **params: object) -> MaskEdit | None:
        """Run a one-shot operation (``fill_holes``, ``remove_islands`` with ``min_size``, ``clear``)
        on the mask: writes the result live and emits ``editCommitted``; returns the edit."""
        if self._mask is None:
            return None
        self.cancel_interaction()
        edit = operation_edit(self._mask, name, **params)
        if edit is None:
            self.statusMessage.emit(f"{name.replace('_', ' ').capitalize()}: nothing to change")
            return None
        edit.apply_to(self._mask)
        self.refresh_region(edit.y0, edit.x0, *edit.shape)
        self.editCommitted.emit(edit)
        return edit

    def cancel_interaction(self) -> None:
        """Abandon a live stroke or open polygon, restoring the mask (nothing is committed)."""
        self._tool.cancel(self._bridge)
        self._left_down = False

    def image_to_viewport(self, x: float, y: float) -> QtCore.QPoint:
        return self._view.viewport_point(self._vb, x, y)

    # -- input, called by CanvasView ------------------------------------------------------------
    def view_mouse_press(self, event: QtGui.QMouseEvent) -> None:
        point = self._view.image_point(self._vb, event.position())
        button = event.button()
        if button == QtCore.Qt.MouseButton.MiddleButton or (
            button == QtCore.Qt.MouseButton.LeftButton and self._space_held
        ):
            self._start_pan(event.position())
        elif button == QtCore.Qt.MouseButton.LeftButton:
            self._left_down = True
            subtract = bool(event.modifiers() & _CUT_MODIFIERS)
            self._tool.press(self._bridge, point.x(), point.y(), subtract)

    def view_mouse_move(self, event: QtGui.QMouseEvent) -> None:
        if self._pan_from is not None:
            self._pan_to(event.position())
            return
        point = self._view.image_point(self._vb, event.position())
        self._update_cursor_item(point)
        self._tool.move(self._bridge, point.x(), point.y(), self._left_down)

    def view_mouse_release(self, event: QtGui.QMouseEvent) -> None:
        if self._pan_from is not None and event.button() in (
            QtCore.Qt.MouseButton.MiddleButton,
            QtCore.Qt.MouseButton.LeftButton,
        ):
            self._pan_from = None
            self.viewport().setCursor(QtCore.Qt.CursorShape.CrossCursor)
        elif event.button() == QtCore.Qt.MouseButton.LeftButton and self._left_down:
            self._left_down = False
            point = self._view.image_point(self._vb, event.position())
            self._tool.release(self._bridge, point.x(), point.y())

    def view_double_click(self, event: QtGui.QMouseEvent) -> None:
        if event.button() == QtCore.Qt.MouseButton.LeftButton and self._pan_from is None:
            point = self._view.image_point(self._vb, event.position())
            self._tool.double_click(self._bridge, point.x(), point.y())

    def view_wheel(self, event: QtGui.QWheelEvent) -> None:
        delta = event.angleDelta().y() or event.angleDelta().x()
        if delta == 0:
            return
        if event.modifiers() & QtCore.Qt.KeyboardModifier.ControlModifier and self._tool.uses_brush:
            self.step_brush_size(1 if delta > 0 else -1)
            return
        center = self._view.image_point(self._vb, event.position())
        self.zoom(1.0015**delta, center)

    def view_key_press(self, event: QtGui.QKeyEvent) -> bool:
        key = event.key()
        keys = QtCore.Qt.Key
        if key == keys.Key_Space:
            self._space_held = True
        elif key == keys.Key_BracketLeft:
            self.step_brush_size(-1)
        elif key == keys.Key_BracketRight:
            self.step_brush_size(1)
        elif key in (keys.Key_Return, keys.Key_Enter):
            self._tool.finish(self._bridge)
        elif key == keys.Key_Backspace and self._tool.active:
            self._tool.backtrack(self._bridge)
        elif key == keys.Key_Escape and self._tool.active:
            self.cancel_interaction()
        else:
            return False
        return True

    def view_wants_key(self, event: QtGui.QKeyEvent) -> bool:
        keys = QtCore.Qt.Key
        live = (keys.Key_Return, keys.Key_Enter, keys.Key_Escape, keys.Key_Backspace)
        modifiers = event.modifiers() & ~QtCore.Qt.KeyboardModifier.KeypadModifier
        return (
            self._tool.active and event.key() in live and modifiers == QtCore.Qt.KeyboardModifier.NoModifier
        )

    def view_key_release(self, event: QtGui.QKeyEvent) -> bool:
        if event.key() == QtCore.Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_held = False
            return True
        return False

    def view_leave(self) -> None:
        self._update_cursor_item(None)

    # -- internals ------------------------------------------------------------------------------
    def _start_pan(self, pos: QtCore.QPointF) -> None:
        self._pan_from = QtCore.QPointF(pos)
        self._update_cursor_item(None)
        self.viewport().setCursor(QtCore.Qt.CursorShape.ClosedHandCursor)

    def _pan_to(self, pos: QtCore.QPointF) -> None:
        assert self._pan_from is not None
        before = self._view.image_point(self._vb, self._pan_from)
        now = self._view.image_point(self._vb, pos)
        self._vb.translateBy(x=before.x() - now.x(), y=before.y() - now.y())
        self._pan_from = QtCore.QPointF(pos)

    def _update_cursor_item(self, point: QtCore.QPointF | None) -> None:
        self._cursor_pos = point
        show = point is not None and self._tool.uses_brush and self._mask is not None
        self._cursor.show_at(point if show else None, self._brush_size)

    def _show_path(self, points: list[Point] | None, closed: bool) -> None:
        self._path.show_points(points, closed)

    def _set_map(self, mode: ViewMode, values: np.ndarray | None) -> None:
        if values is not None:
            if values.ndim != 2 or (self._image is not None and values.shape != self._image.shape[:2]):
                raise MaskError(f"{mode.value} map of shape {values.shape} does not match the image")
            values = np.asarray(values, dtype=np.float32)
        self._maps[mode] = values
        self._update_heat()

    def _update_heat(self) -> None:
        self._heat.show_map(self._maps.get(self._mode), self._mode)
