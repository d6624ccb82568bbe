"""Lasso: drag a freehand outline; on release the enclosed area is filled (or, with the cut
modifier held at press, cleared)."""

from __future__ import annotations

from meddisseg_studio.tools import ops
from meddisseg_studio.tools.base import Tool, ToolContext, apply_in_box
from meddisseg_studio.tools.ops import Point


class LassoTool(Tool):
    name = "lasso"
    label = "Lasso"
    shortcut = "L"
    hint = "Drag around a region · release fills · Esc cancels · Alt cuts"

    def __init__(self) -> None:
        self._points: list[Point] = []
        self._subtract = False

    @property
    def active(self) -> bool:
        return bool(self._points)

    def press(self, ctx: ToolContext, x: float, y: float, subtract: bool, shift: bool = False) -> None:
        if ctx.mask is None:
            return
        self._points = [(x, y)]
        self._subtract = subtract
        ctx.show_path(self._points, closed=True)

    def move(self, ctx: ToolContext, x: float, y: float, pressed: bool) -> None:
        if not self._points or not pressed:
            return
        # Skip sub-pixel jitter: it adds vertices without changing the filled area.
        if ops.pixel_of(x, y) != ops.pixel_of(*self._points[-1]):
            self._points.append((x, y))
            ctx.show_path(self._points, closed=True)

    def release(self, ctx: ToolContext, x: float, y: float) -> None:
        if not self._points:
            return
        self.move(ctx, x, y, pressed=True)
        points, self._points = self._points, []
        ctx.show_path(None, closed=True)
        mask = ctx.mask
        if mask is None:
            return
        found = ops.polygon_region(points, mask.shape)
        if found is not None:
            box, region = found
            apply_in_box(ctx, box, region, 0 if self._subtract else 1)

    def cancel(self, ctx: ToolContext) -> None:
        self._points = []
        ctx.show_path(None, closed=True)
