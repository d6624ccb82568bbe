"""Brush: paint foreground along the pointer path with a round brush of ``ctx.brush_size``."""

from __future__ import annotations

from meddisseg_studio.tools import ops
from meddisseg_studio.tools.base import StrokeRecorder, Tool, ToolContext
from meddisseg_studio.tools.ops import Point


class BrushTool(Tool):
    """Press paints a disc, each move paints the segment from the last point (live), release
    commits the whole stroke as one edit. With the cut modifier held it paints background."""

    name = "brush"
    label = "Brush"
    shortcut = "B"
    uses_brush = True
    cursor = "disc"
    hint = "Drag paints · Alt erases · [ ] or Ctrl+wheel size"
    gestures = (("[ and ], or Ctrl+wheel", "Brush and eraser size"),)
    #: The value painted without the cut modifier.
    paint_value = 1

    def __init__(self) -> None:
        self._stroke: StrokeRecorder | None = None
        self._last: Point = (0.0, 0.0)
        self._value = self.paint_value

    @property
    def active(self) -> bool:
        return self._stroke is not None

    def press(self, ctx: ToolContext, x: float, y: float, subtract: bool, shift: bool = False) -> None:
        mask = ctx.mask
        if mask is None:
            return
        if self._stroke is not None:  # a release was lost (focus change): close that stroke first
            self.release(ctx, *self._last)
        self._stroke = StrokeRecorder(mask)
        self._value = 1 - self.paint_value if subtract else self.paint_value
        self._last = (x, y)
        self._paint(ctx, (x, y), (x, y))

    def move(self, ctx: ToolContext, x: float, y: float, pressed: bool) -> None:
        if self._stroke is None or not pressed:
            return
        self._paint(ctx, self._last, (x, y))
        self._last = (x, y)

    def release(self, ctx: ToolContext, x: float, y: float) -> None:
        stroke = self._stroke
        if stroke is None:
            return
        if (x, y) != self._last:
            self._paint(ctx, self._last, (x, y))
        self._stroke = None
        edit = stroke.edit()
        if edit is not None:
            ctx.commit(edit)

    def cancel(self, ctx: ToolContext) -> None:
        stroke, self._stroke = self._stroke, None
        if stroke is not None:
            box = stroke.revert()
            if box is not None:
                ctx.refresh(box)

    def _paint(self, ctx: ToolContext, p0: Point, p1: Point) -> None:
        assert self._stroke is not None
        box = ops.stamp_segment(self._stroke.mask, p0, p1, ctx.brush_size, self._value)
        if box is not None:
            self._stroke.touch(box)
            ctx.refresh(box)
