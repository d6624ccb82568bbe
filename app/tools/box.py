"""Box: drag a rectangle around a lesion; the model re-segments it inside the box (one undo step).

The drag is previewed on the canvas; on release the box is checked (``prompting.box_between``) and
handed over as a prompt. A drag that runs off the image is clipped to it, and the status line says so.
"""

from __future__ import annotations

from meddisseg_studio.tools.base import Tool, ToolContext
from meddisseg_studio.tools.ops import Point
from meddisseg_studio.tools.prompting import PromptRequest, box_between


class BoxTool(Tool):
    name = "box"
    label = "Box"
    shortcut = "X"
    hint = "Drag a box around the lesion · the model segments inside it · then Click refines · Esc clears"
    gestures = (
        ("Drag", "Segment the lesion inside the box with the model (one undo step)"),
        ("Esc", "Clear the Box and Click prompts and their markers"),
    )

    def __init__(self) -> None:
        self._start: Point | None = None

    @property
    def active(self) -> bool:
        return self._start is not None

    def press(self, ctx: ToolContext, x: float, y: float, subtract: bool, shift: bool = False) -> None:
        if ctx.mask is None:
            return
        self._start = (x, y)
        ctx.show_box((x, y, x, y))

    def move(self, ctx: ToolContext, x: float, y: float, pressed: bool) -> None:
        if self._start is not None and pressed:
            ctx.show_box((*self._start, x, y))

    def release(self, ctx: ToolContext, x: float, y: float) -> None:
        start, self._start = self._start, None
        ctx.show_box(None)
        mask = ctx.mask
        if start is None or mask is None:
            return
        found = box_between(start, (x, y), mask.shape)
        if isinstance(found, str):
            ctx.message(found)
            return
        box, note = found
        ctx.prompt(PromptRequest("box", box=box, note=note))

    def cancel(self, ctx: ToolContext) -> None:
        self._start = None
        ctx.show_box(None)
