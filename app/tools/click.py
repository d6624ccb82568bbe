"""Click: a positive click adds the region under it, a negative one removes it (one undo step each).

Left click is positive; right click, or Alt/Ctrl + click (the canvas-wide "cut" modifier), is
negative. Clicks add up with the box since the last Esc, so each one refines the previous result.
"""

from __future__ import annotations

from meddisseg_studio.tools.base import Tool, ToolContext
from meddisseg_studio.tools.prompting import PromptRequest, click_at


class ClickTool(Tool):
    name = "click"
    label = "Click"
    shortcut = "C"
    right_click_cuts = True
    hint = "Click adds the region (green +) · right-click or Alt+click removes it (red −) · Esc clears"
    gestures = (
        ("Click", "Add the region under the pointer (green +)"),
        ("Right-click or Alt+click", "Remove the region under the pointer (red −)"),
    )

    def press(self, ctx: ToolContext, x: float, y: float, subtract: bool, shift: bool = False) -> None:
        mask = ctx.mask
        if mask is None:
            return
        found = click_at(x, y, not subtract, mask.shape)
        if isinstance(found, str):
            ctx.message(found)
            return
        ctx.prompt(PromptRequest("click", click=found))
