"""MaskCanvas: the image with its editable mask, zoom/pan, view modes and the edit tools.

Who mutates the mask: the canvas never owns it. ``set_mask`` keeps a reference to the array
the ``EditSession`` holds. A tool draws into that array live (the user sees the stroke at once)
and, when the interaction ends, the canvas emits ``editCommitted(MaskEdit)`` once; its
``before`` was captured before the first pixel changed. The window passes the edit to
``EditSession.apply`` (writing ``after`` again is idempotent), which records undo and autosaves.
When the session changes the mask itself (undo/redo), the window calls ``refresh_region``.

Input (mouse, wheel, keys) is read by ``canvas_input.CanvasInput``, which drives the tool.

Prompt tools (Box, Click) change nothing themselves: the canvas emits ``promptRequested`` with
their checked request, and draws the prompts the controller sends back (``show_prompts``); Esc
with prompts on screen emits ``promptsCleared`` (``canvas_prompts``).

Display: the pointer is the active tool's cursor (``canvas_cursors``); the image is shown
through the display window/level (``state.display``), which changes only what is drawn, never
the pixels anyone else reads; views 3 and 4 show a colour legend or say that there is no map
(``canvas_maps``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from meddisseg_core.errors import ImageReadError, MaskError
from meddisseg_studio.settings import Preferences
from meddisseg_studio.state.display import DisplayLevels, to_display
from meddisseg_studio.state.edits import MaskEdit
from meddisseg_studio.tools import create_tool, operation_edit, ops
from meddisseg_studio.tools.base import Tool
from meddisseg_studio.tools.ops import Box, Point
from meddisseg_studio.tools.prompting import PromptRequest
from meddisseg_studio.widgets.canvas_cursors import cursor_for, footprint_fits
from meddisseg_studio.widgets.canvas_input import CanvasInput
from meddisseg_studio.widgets.canvas_layers import BrushCursor, PathPreview, cosmetic_pen
from meddisseg_studio.widgets.canvas_maps import ModelMaps
from meddisseg_studio.widgets.canvas_overlay import MaskOverlayItem, ViewMode
from meddisseg_studio.widgets.canvas_prompts import PromptMarkers
from meddisseg_studio.widgets.canvas_view import CanvasView

if TYPE_CHECKING:
    from meddisseg_core.interactive import Prompts

__all__ = ["MaskCanvas", "ViewMode"]


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
        self._canvas.edit_source = self._canvas.tool.name
        self._canvas.editCommitted.emit(edit)

    def show_path(self, points: list[Point] | None, closed: bool) -> None:
        self._canvas._show_path(points, closed)

    def message(self, text: str) -> None:
        self._canvas.statusMessage.emit(text)

    def show_box(self, corners: tuple[float, float, float, float] | None) -> None:
        self._canvas.prompt_markers.show_drag(corners)

    def prompt(self, request: PromptRequest) -> None:
        self._canvas.promptRequested.emit(request)


class MaskCanvas(QtWidgets.QWidget):
    editCommitted = QtCore.Signal(object)  # noqa: N815 - Qt name; one MaskEdit per interaction
    statusMessage = QtCore.Signal(str)  # noqa: N815 - Qt signal name
    brushSizeChanged = QtCore.Signal(int)  # noqa: N815 - Qt signal name
    toolChanged = QtCore.Signal(str)  # noqa: N815 - Qt signal name; the new tool's name
    promptRequested = QtCore.Signal(object)  # noqa: N815 - Qt signal name; a tools.prompting.PromptRequest
    promptsCleared = QtCore.Signal()  # noqa: N815 - Qt signal name; Esc with prompts on screen

    MIN_BRUSH = 1
    MAX_BRUSH = 512

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._input = CanvasInput(self)
        self._view = CanvasView(self._input)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._view)
        self.setFocusProxy(self._view)

        self._vb = pg.ViewBox(lockAspect=True, invertY=True, enableMenu=False)
        self._vb.setMouseEnabled(False, False)  # the canvas handles pan and zoom itself
        self._view.setCentralItem(self._vb)

        self._image_item = pg.ImageItem(axisOrder="row-major")
        self._maps = ModelMaps(self)
        self.overlay = MaskOverlayItem()
        self._path = PathPreview()
        self._cursor = BrushCursor()  # the brush outline in the scene, for footprints too big for a cursor
        # The lesion selected in the Findings panel: a dashed box around it (image pixels).
        self.highlight = QtWidgets.QGraphicsRectItem()
        pen = cosmetic_pen(QtGui.QColor(255, 214, 0), 2)
        pen.setStyle(QtCore.Qt.PenStyle.DashLine)
        self.highlight.setPen(pen)
        self.highlight.hide()
        self._vb.addItem(self._image_item)
        layers = (self._maps.layer, self.overlay, self.highlight, self._path, *self._cursor.items)
        for z, item in enumerate(layers, start=1):
            item.setZValue(min(z, 4))
            self._vb.addItem(item, ignoreBounds=True)
        self.prompt_markers = PromptMarkers(self._vb, z=5)

        # What made the edit being committed (a tool's or an operation's name), for the audit log.
        self.edit_source = "edit"
        self._image: np.ndarray | None = None  # what set_image was given (8- or 16-bit)
        self._levels = DisplayLevels()
        self._mask: np.ndarray | None = None
        self._mode = ViewMode.MASK
        defaults = Preferences()
        self._brush_size = defaults.brush_size
        self._bridge = _ToolBridge(self)
        self._tool: Tool = create_tool("brush")
        self._cursor_pos: QtCore.QPointF | None = None
        self._busy = False  # a prompt is being segmented: the pointer says so
        self.set_mask_style(QtGui.QColor(defaults.mask_colour), defaults.opacity)
        # The brush cursor is drawn at its size on screen, so it follows every zoom change.
        self._vb.sigRangeChanged.connect(lambda *_args: self._apply_cursor())
        self._vb.sigTransformChanged.connect(lambda *_args: self._apply_cursor())
        self._apply_cursor()

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
        """Show an H×W×3 (or H×W grey) 8- or 16-bit image through the display levels.

        The view is refitted when the size changes. The array is kept, never modified.
        """
        if rgb.ndim == 2:
            rgb = np.repeat(rgb[:, :, None], 3, axis=2)
        if rgb.ndim != 3 or rgb.shape[2] not in (3, 4):
            raise ImageReadError("<canvas>", f"expected an H×W×3 RGB array, got shape {rgb.shape}")
        old_shape = None if self._image is None else self._image.shape[:2]
        self._image = rgb[:, :, :3]
        self._show_image()
        if old_shape != rgb.shape[:2]:
            if self._mask is not None and self._mask.shape != rgb.shape[:2]:
                self.set_mask(None)
            self._maps.clear()
            self.fit_to_window()

    @property
    def display_levels(self) -> DisplayLevels:
        return self._levels

    def set_display_levels(self, levels: DisplayLevels) -> None:
        """Show the image through ``levels`` (display only: masks and model input are untouched)."""
        if levels != self._levels:
            self._levels = levels
            self._show_image()

    def auto_display_levels(self) -> DisplayLevels:
        """Stretch the shown image's brightness (1st..99th percentile); returns the levels used."""
        if self._image is not None:
            self.set_display_levels(DisplayLevels.auto(self._image))
        return self._levels

    def displayed_image(self) -> np.ndarray | None:
        """The 8-bit RGB array the canvas draws (after the display levels)."""
        return self._image_item.image

    def _show_image(self) -> None:
        if self._image is not None:
            shown = np.ascontiguousarray(to_display(self._image, self._levels))
            self._image_item.setImage(shown, autoLevels=False, levels=(0, 255))

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

    def set_highlight(self, box: tuple[int, int, int, int] | None) -> None:
        """Outline ``(x, y, w, h)`` in image pixels (the selected lesion), or nothing for None."""
        if box is None:
            self.highlight.hide()
            return
        x, y, w, h = box
        self.highlight.setRect(QtCore.QRectF(x - 1, y - 1, w + 2, h + 2))  # pixel x spans [x, x + 1)
        self.highlight.show()

    def refresh_region(self, y0: int, x0: int, h: int, w: int) -> None:
        """Redraw part of the mask after someone else (undo/redo) changed it in place."""
        if self._mask is not None:
            self.overlay.render(self._mask, (y0, x0, y0 + h, x0 + w))

    def set_probability(self, prob: np.ndarray | None) -> None:
        self._maps.set(ViewMode.PROBABILITY, prob, self._image_shape())

    def set_uncertainty(self, uncertainty: np.ndarray | None) -> None:
        self._maps.set(ViewMode.UNCERTAINTY, uncertainty, self._image_shape())

    def map_notice(self) -> str | None:
        """The "no proposal" text shown over the canvas in views 3/4 without a map, else None."""
        return self._maps.missing_text()

    @property
    def legend(self) -> QtWidgets.QWidget:
        return self._maps.legend

    def set_view_mode(self, mode: ViewMode | str) -> None:
        self._mode = ViewMode(mode)
        self.overlay.outline = self._mode in (ViewMode.OUTLINE, ViewMode.PROBABILITY, ViewMode.UNCERTAINTY)
        self.overlay.setVisible(self._mode is not ViewMode.NONE)
        if self._mask is not None:
            self.overlay.render(self._mask)
        self._maps.show_mode(self._mode)
        notice = self._maps.missing_text()
        if notice is not None:
            self.statusMessage.emit(notice)

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
        self._apply_cursor()
        self.toolChanged.emit(new_tool.name)

    def tool_status(self) -> str:
        """The status bar line of the active tool ("Eraser 15 px · Drag erases · …")."""
        return self._tool.status_text(self._brush_size)

    def screen_scale(self) -> float:
        """Screen pixels per image pixel at the current zoom (the aspect ratio is locked)."""
        # From the view range, which pyqtgraph updates at once (its transform waits for a paint).
        (x0, x1), _rows = self._vb.viewRange()
        width = self._vb.width()
        return width / (x1 - x0) if x1 > x0 and width > 0 else 1.0

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
        self._apply_cursor()
        self.brushSizeChanged.emit(size)

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
        self.edit_source = name
        self.editCommitted.emit(edit)
        return edit

    def show_prompts(self, prompts: Prompts | None) -> None:
        """Draw the prompts since the last Esc (the prompt controller's, in image pixels)."""
        self.prompt_markers.show(prompts)

    @property
    def has_prompts(self) -> bool:
        return self.prompt_markers.shown

    def set_busy(self, busy: bool) -> None:
        """Show the busy pointer (arrow and hourglass: the canvas still takes input) while a prompt runs."""
        self._busy = bool(busy)
        self._apply_cursor()

    def clear_prompts(self) -> None:
        """Esc: forget the prompts (the controller is told, and the markers go at once)."""
        if self.has_prompts:
            self.prompt_markers.show(None)
            self.promptsCleared.emit()

    def cancel_interaction(self) -> None:
        """Abandon a live stroke or open polygon, restoring the mask (nothing is committed)."""
        self._tool.cancel(self._bridge)
        self._input.left_down = False

    def image_to_viewport(self, x: float, y: float) -> QtCore.QPoint:
        return self._view.viewport_point(self._vb, x, y)

    # -- used by CanvasInput ----------------------------------------------------------------------
    @property
    def tool_context(self) -> _ToolBridge:
        """The ``ToolContext`` the tools are driven with."""
        return self._bridge

    def image_point(self, viewport_pos: QtCore.QPointF) -> QtCore.QPointF:
        """A viewport position (sub-pixel) in image coordinates (x = column, y = row)."""
        return self._view.image_point(self._vb, viewport_pos)

    def pan_by(self, dx: float, dy: float) -> None:
        """Move the view by (dx, dy) image pixels."""
        self._vb.translateBy(x=dx, y=dy)

    def pointer_at(self, point: QtCore.QPointF | None) -> None:
        """The pointer is over image point ``point`` (None: it left, or a pan began)."""
        self._update_cursor_item(point)

    def refresh_cursor(self) -> None:
        """Show the tool's cursor again (after a pan, or when the brush or zoom changed)."""
        self._apply_cursor()

    # -- internals ------------------------------------------------------------------------------
    def _footprint_px(self) -> float:
        return self._brush_size * self.screen_scale()

    def _apply_cursor(self) -> None:
        """Set the pointer to the tool's cursor at the current brush size and zoom."""
        if self._input.holds_pointer:
            return  # the hand stays while panning
        if self._busy:
            self.viewport().setCursor(QtCore.Qt.CursorShape.BusyCursor)
        else:
            self.viewport().setCursor(cursor_for(self._tool.cursor, self._footprint_px()))
        self._update_cursor_item(self._cursor_pos)

    def _update_cursor_item(self, point: QtCore.QPointF | None) -> None:
        # The scene outline only stands in for footprints too wide for a cursor image.
        self._cursor_pos = point
        show = (
            point is not None
            and self._tool.uses_brush
            and self._mask is not None
            and not footprint_fits(self._footprint_px())
        )
        self._cursor.show_at(point if show else None, self._brush_size)

    def _show_path(self, points: list[Point] | None, closed: bool) -> None:
        self._path.show_points(points, closed)

    def _image_shape(self) -> tuple[int, int] | None:
        return None if self._image is None else (int(self._image.shape[0]), int(self._image.shape[1]))

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._maps.place(self.rect())
