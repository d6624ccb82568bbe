"""What the prompt tools (Box, Click) hand to the canvas: a ``PromptRequest``, checked here (no Qt).

The prompt tools never change the mask themselves. They check the geometry (a click inside the
image, a box of some area that overlaps the image), then ``ctx.prompt(request)``: the prompt
controller (``control/prompts.py``) runs the model off the GUI thread and applies the result as
one undoable edit. A refused prompt calls ``ctx.message`` with the reason and asks for nothing.

The prompt types are the core's (``meddisseg_core.interactive``): image pixel coordinates at the
original resolution, ``x`` the column and ``y`` the row, box ends exclusive. They are imported
when a prompt is made, not with this module: the window imports the tool registry before its
first paint, and the core's prompt package may pull in the model code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import ops

if TYPE_CHECKING:
    from meddisseg_core.interactive import Box as PromptBox
    from meddisseg_core.interactive import Click

#: A box narrower or lower than this (in image pixels) is taken for a click, not a box.
MIN_BOX_SIDE = 2


@dataclass(frozen=True)
class PromptRequest:
    """One new prompt: a box or a click, from the tool ``tool`` ("box" or "click").

    ``note`` says what the tool did to make it valid (e.g. clipped to the image), for the status line.
    """

    tool: str
    box: PromptBox | None = None
    click: Click | None = None
    note: str = ""


def click_at(x: float, y: float, positive: bool, shape: tuple[int, ...]) -> Click | str:
    """The click on the pixel under (x, y), or the reason there is none (outside the image)."""
    from meddisseg_core.interactive import Click

    col, row = ops.pixel_of(x, y)
    height, width = shape[:2]
    if not (0 <= col < width and 0 <= row < height):
        return (
            f"Click: the point ({col}, {row}) is outside the image ({width}×{height} px); nothing changed. "
            "Click on the image."
        )
    return Click(col, row, positive)


def box_between(p0: ops.Point, p1: ops.Point, shape: tuple[int, ...]) -> tuple[PromptBox, str] | str:
    """The box of the pixels a drag from ``p0`` to ``p1`` covers, clipped to the image.

    Returns ``(box, note)`` (``note`` is non-empty when the box was clipped), or the reason the drag
    makes no box: too small (a click, not a drag), or wholly outside the image.
    """
    from meddisseg_core.interactive import Box as PromptBox

    (c0, r0), (c1, r1) = ops.pixel_of(*p0), ops.pixel_of(*p1)
    x0, x1 = min(c0, c1), max(c0, c1) + 1
    y0, y1 = min(r0, r1), max(r0, r1) + 1
    if x1 - x0 < MIN_BOX_SIDE or y1 - y0 < MIN_BOX_SIDE:
        return (
            f"Box: a box of {x1 - x0}×{y1 - y0} px has no area to segment; nothing changed. "
            "Drag a rectangle around the lesion."
        )
    clipped = ops.clip_box((y0, x0, y1, x1), shape)
    if clipped is None:
        height, width = shape[:2]
        return f"Box: the box lies outside the image ({width}×{height} px); nothing changed."
    cy0, cx0, cy1, cx1 = clipped
    note = "" if clipped == (y0, x0, y1, x1) else "box clipped to the image edge"
    return PromptBox(cx0, cy0, cx1, cy1), note
