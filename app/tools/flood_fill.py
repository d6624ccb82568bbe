"""Flood fill: click a region; every pixel 4-connected to it with the same mask value becomes
foreground (background with the cut modifier). Clicking a region already of that value does nothing.

A region that reaches the image border is not closed (on an empty mask it is the whole image),
so it is left alone and the user is told why, unless Shift is held.
"""

from __future__ import annotations

from meddisseg_studio.tools import ops
from meddisseg_studio.tools.base import Tool, ToolContext, apply_in_box


class FloodFillTool(Tool):
    name = "flood_fill"
    label = "Flood fill"
    shortcut = "F"
    cursor = "fill"
    hint = "Click fills a closed region · Shift+click fills one open to the border · Alt clears"
    gestures = (("Shift+click", "Flood fill a region that reaches the image border"),)

    def press(self, ctx: ToolContext, x: float, y: float, subtract: bool, shift: bool = False) -> None:
        mask = ctx.mask
        if mask is None:
            return
        found = ops.flood_region(mask, x, y)
        if found is None:
            return
        box, region = found
        value = 0 if subtract else 1
        col, row = ops.pixel_of(x, y)
        if int(mask[row, col]) == value:
            return  # already that value: nothing would change, nothing to explain
        if not shift and ops.touches_border(box, mask.shape):
            verb = "cleared" if subtract else "filled"
            ctx.message(
                f"Flood fill: this region reaches the image border, so it is not closed; nothing "
                f"{verb}. Shift+click to {verb.removesuffix('ed')} it anyway."
            )
            return
        apply_in_box(ctx, box, region, value)
