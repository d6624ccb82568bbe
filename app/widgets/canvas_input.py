"""How the canvas reads the mouse and keyboard: which gesture pans, zooms, resizes or edits.

``CanvasView`` hands every raw event here; this object keeps the gesture state (left button
down, a pan in progress, Space held) and turns events into calls on the canvas and its tool.
Left button uses the tool (Alt or Ctrl: cut; Shift: override the tool's safety rule); middle
drag or Space + left drag pans; the wheel zooms about the pointer, Ctrl + wheel resizes the
brush when the tool uses one; ``[`` / ``]`` resize the brush; Enter finishes, Backspace drops
the last polygon vertex, Escape cancels (and, with no interaction live, clears the Box/Click
prompts). A right click reaches the tool as a cut only for tools that ask (``right_click_cuts``:
Click).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore, QtGui

if TYPE_CHECKING:
    from meddisseg_studio.widgets.canvas import MaskCanvas

_Qt = QtCore.Qt
_CUT_MODIFIERS = _Qt.KeyboardModifier.AltModifier | _Qt.KeyboardModifier.ControlModifier


class CanvasInput:
    """Implements ``canvas_view.InputHandler`` for one ``MaskCanvas``."""

    def __init__(self, canvas: MaskCanvas) -> None:
        self._canvas = canvas
        self.left_down = False
        self.pan_from: QtCore.QPointF | None = None
        self.space_held = False

    @property
    def holds_pointer(self) -> bool:
        """True while the pointer is a hand (panning, or Space held to pan)."""
        return self.pan_from is not None or self.space_held

    # -- mouse ----------------------------------------------------------------------------------
    def view_mouse_press(self, event: QtGui.QMouseEvent) -> None:
        canvas = self._canvas
        button = event.button()
        left = button == _Qt.MouseButton.LeftButton
        if button == _Qt.MouseButton.MiddleButton or (left and self.space_held):
            self.pan_from = QtCore.QPointF(event.position())
            canvas.pointer_at(None)
            canvas.viewport().setCursor(_Qt.CursorShape.ClosedHandCursor)
        elif left:
            self.left_down = True
            point = canvas.image_point(event.position())
            subtract = bool(event.modifiers() & _CUT_MODIFIERS)
            shift = bool(event.modifiers() & _Qt.KeyboardModifier.ShiftModifier)
            canvas.tool.press(canvas.tool_context, point.x(), point.y(), subtract, shift=shift)
        elif button == _Qt.MouseButton.RightButton and canvas.tool.right_click_cuts and not self.left_down:
            point = canvas.image_point(event.position())
            canvas.tool.press(canvas.tool_context, point.x(), point.y(), True)

    def view_mouse_move(self, event: QtGui.QMouseEvent) -> None:
        canvas = self._canvas
        if self.pan_from is not None:
            before = canvas.image_point(self.pan_from)
            now = canvas.image_point(event.position())
            canvas.pan_by(before.x() - now.x(), before.y() - now.y())
            self.pan_from = QtCore.QPointF(event.position())
            return
        point = canvas.image_point(event.position())
        canvas.pointer_at(point)
        canvas.tool.move(canvas.tool_context, point.x(), point.y(), self.left_down)

    def view_mouse_release(self, event: QtGui.QMouseEvent) -> None:
        canvas = self._canvas
        if self.pan_from is not None and event.button() in (
            _Qt.MouseButton.MiddleButton,
            _Qt.MouseButton.LeftButton,
        ):
            self.pan_from = None
            canvas.refresh_cursor()
        elif event.button() == _Qt.MouseButton.LeftButton and self.left_down:
            self.left_down = False
            point = canvas.image_point(event.position())
            canvas.tool.release(canvas.tool_context, point.x(), point.y())

    def view_double_click(self, event: QtGui.QMouseEvent) -> None:
        if event.button() == _Qt.MouseButton.LeftButton and self.pan_from is None:
            point = self._canvas.image_point(event.position())
            self._canvas.tool.double_click(self._canvas.tool_context, point.x(), point.y())

    def view_wheel(self, event: QtGui.QWheelEvent) -> None:
        canvas = self._canvas
        delta = event.angleDelta().y() or event.angleDelta().x()
        if delta == 0:
            return
        if event.modifiers() & _Qt.KeyboardModifier.ControlModifier and canvas.tool.uses_brush:
            canvas.step_brush_size(1 if delta > 0 else -1)
            return
        canvas.zoom(1.0015**delta, canvas.image_point(event.position()))

    def view_leave(self) -> None:
        self._canvas.pointer_at(None)

    # -- keys -----------------------------------------------------------------------------------
    def view_key_press(self, event: QtGui.QKeyEvent) -> bool:
        canvas, tool = self._canvas, self._canvas.tool
        key, keys = event.key(), _Qt.Key
        if key == keys.Key_Space:
            if not self.holds_pointer:
                canvas.viewport().setCursor(_Qt.CursorShape.OpenHandCursor)
            self.space_held = True
        elif key == keys.Key_BracketLeft:
            canvas.step_brush_size(-1)
        elif key == keys.Key_BracketRight:
            canvas.step_brush_size(1)
        elif key in (keys.Key_Return, keys.Key_Enter):
            tool.finish(canvas.tool_context)
        elif key == keys.Key_Backspace and tool.active:
            tool.backtrack(canvas.tool_context)
        elif key == keys.Key_Escape and tool.active:
            canvas.cancel_interaction()
        elif key == keys.Key_Escape and canvas.has_prompts:
            canvas.clear_prompts()
        else:
            return False
        return True

    def view_wants_key(self, event: QtGui.QKeyEvent) -> bool:
        keys = _Qt.Key
        live = (keys.Key_Return, keys.Key_Enter, keys.Key_Escape, keys.Key_Backspace)
        modifiers = event.modifiers() & ~_Qt.KeyboardModifier.KeypadModifier
        if modifiers != _Qt.KeyboardModifier.NoModifier:
            return False
        if self._canvas.tool.active:
            return event.key() in live
        # Prompts on screen: Esc clears them here, before the window's Esc (cancel job) sees it.
        return event.key() == keys.Key_Escape and self._canvas.has_prompts

    def view_key_release(self, event: QtGui.QKeyEvent) -> bool:
        if event.key() == _Qt.Key.Key_Space and not event.isAutoRepeat():
            self.space_held = False
            if self.pan_from is None:
                self._canvas.refresh_cursor()
            return True
        return False
