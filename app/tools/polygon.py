"""Polygon: click vertices; Enter or a double click closes it and fills (or, with the cut
modifier held at the first click, clears) the inside. Backspace drops the last vertex."""

from __future__ import annotations

from meddisseg_studio.tools import ops
from meddisseg_studio.tools.base import Tool, ToolContext, apply_in_box
from meddisseg_studio.tools.ops import Point


class PolygonTool(Tool):
    name = "polygon"
    label = "Polygon"
    shortcut = "P"
    hint = "Click adds a point · Enter closes · Esc cancels · Alt cuts · Backspace drops a point"
    gestures = (
        ("Enter or double-click", "Close the polygon"),
        ("Backspace", "Drop the polygon's last point"),
        ("Esc", "Cancel the polygon or lasso being drawn"),
    )

    def __init__(self) -> None:
        self._points: list[Point] = []
        self._subtract = False
        self._hover: Point | None = None

    @property
    def active(self) -> bool:
        return bool(self._points)

    @property
    def points(self) -> list[Point]:
        return list(self._points)

    def press(self, ctx: ToolContext, x: float, y: float, subtract: bool, shift: bool = False) -> None:
        if ctx.mask is None:
            return
        if not self._points:
            self._subtract = subtract
        self._points.append((x, y))
        self._preview(ctx)

    def move(self, ctx: ToolContext, x: float, y: float, pressed: bool) -> None:
        if self._points:
            self._hover = (x, y)
            self._preview(ctx)

    def double_click(self, ctx: ToolContext, x: float, y: float) -> None:
        # Qt sends press, release, double-click: the first press already added this vertex.
        if not self._points or ops.pixel_of(*self._points[-1]) != ops.pixel_of(x, y):
            self._points.append((x, y))
        self.finish(ctx)

    def finish(self, ctx: ToolContext) -> None:
        points, subtract = self._points, self._subtract
        self._reset(ctx)
        mask = ctx.mask
        if mask is None or len(points) < 3:
            if points:
                ctx.message("A polygon needs at least three points")
            return
        found = ops.polygon_region(points, mask.shape)
        if found is not None:
            box, region = found
            apply_in_box(ctx, box, region, 0 if subtract else 1)

    def backtrack(self, ctx: ToolContext) -> None:
        if self._points:
            self._points.pop()
            self._preview(ctx)

    def cancel(self, ctx: ToolContext) -> None:
        self._reset(ctx)

    def _reset(self, ctx: ToolContext) -> None:
        self._points = []
        self._hover = None
        ctx.show_path(None, closed=False)

    def _preview(self, ctx: ToolContext) -> None:
        if not self._points:
            ctx.show_path(None, closed=False)
            return
        path = self._points + ([self._hover] if self._hover is not None else [])
        ctx.show_path(path, closed=False)
