"""Flood fill: click a region; every pixel 4-connected to it with the same mask value becomes
foreground (background with the cut modifier). Clicking a region already of that value does nothing."""

from __future__ import annotations

from meddisseg_studio.tools import ops
from meddisseg_studio.tools.base import Tool, ToolContext, apply_in_box


class FloodFillTool(Tool):
    name = "flood_fill"
    label = "Flood fill"
    shortcut = "F"

    def press(self, ctx: ToolContext, x: float, y: float, subtract: bool) -> None:
        mask = ctx.mask
        if mask is None:
            return
        found = ops.flood_region(mask, x, y)
        if found is None:
            return
        box, region = found
        apply_in_box(ctx, box, region, 0 if subtract else 1)
