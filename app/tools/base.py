"""The tool protocol: how the canvas drives a tool, and what a tool may do to the canvas.

Who mutates the mask (the rule every tool follows):

* The canvas and the ``EditSession`` share ONE mask array; the session owns the truth.
* While an interaction is live, a tool draws straight into that shared array (so the user sees
  the stroke at once) and calls ``ctx.refresh(box)`` for the region it touched.
* When the interaction ends the tool calls ``ctx.commit(edit)`` exactly once with a ``MaskEdit``
  whose ``before`` was captured before the first pixel changed and whose ``after`` is what the
  mask now holds. The window hands it to ``EditSession.apply(edit)``; writing ``after`` again is
  idempotent, and the session records undo and autosaves.
* An interaction that changes nothing commits nothing. A cancelled one (Escape, tool switch,
  new mask) restores ``before`` itself and commits nothing.

Tools are plain Python (no Qt), so they are tested without a display: the canvas translates Qt
events into ``press``/``move``/``release`` calls with image coordinates. A tool also says how it
wants to be shown (``cursor``, one of ``CURSORS``) and explained (``hint``, ``gestures``); the
canvas turns the cursor name into a QCursor and the window shows ``status_text``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol

import numpy as np

from meddisseg_studio.state.edits import MaskEdit, diff_edit
from meddisseg_studio.tools import ops
from meddisseg_studio.tools.ops import Box, Point

if TYPE_CHECKING:
    from meddisseg_studio.tools.prompting import PromptRequest


class ToolContext(Protocol):
    """What the canvas offers a tool."""

    @property
    def mask(self) -> np.ndarray | None: ...

    @property
    def brush_size(self) -> int: ...

    def refresh(self, box: Box) -> None:
        """Redraw the overlay for ``box`` after the tool changed the mask there."""

    def commit(self, edit: MaskEdit) -> None:
        """Hand a finished interaction's edit over (the canvas emits ``editCommitted``)."""

    def show_path(self, points: list[Point] | None, closed: bool) -> None:
        """Show (or with None hide) a preview outline, e.g. an unfinished polygon."""

    def message(self, text: str) -> None:
        """A short status line for the user."""

    def show_box(self, corners: tuple[float, float, float, float] | None) -> None:
        """Show (or with None hide) the rectangle being dragged, as (x0, y0, x1, y1) image points."""

    def prompt(self, request: PromptRequest) -> None:
        """Hand a checked prompt (Box, Click) to whoever runs the model; the tool changes nothing."""


#: The pointer shapes a tool may ask for: the brush footprint filled ("disc"), the eraser
#: footprint hollow ("ring"), a precise point ("crosshair"), a paint bucket ("fill").
CURSORS: tuple[str, ...] = ("disc", "ring", "crosshair", "fill")

#: Mouse gestures that work with every tool, for the F1 help: (gesture, what it does).
CANVAS_GESTURES: tuple[tuple[str, str], ...] = (
    ("Alt+click or Ctrl+click", "Cut: the tool removes instead of adding"),
    ("Wheel", "Zoom about the pointer"),
    ("Middle drag, or Space + drag", "Pan"),
)


class Tool:
    """Base class: every method is a no-op, subclasses override what they react to.

    ``subtract`` is True when the user holds the cut modifier (Alt or Ctrl): the tool removes
    instead of adding. ``shift`` is True when Shift is held: it overrides a tool's safety rule
    (flood fill: fill a region that reaches the image border).
    """

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    shortcut: ClassVar[str] = ""
    #: Whether the brush size applies (Ctrl+wheel and [ ] resize it; the cursor shows its footprint).
    uses_brush: ClassVar[bool] = False
    #: The pointer shape, one of ``CURSORS``.
    cursor: ClassVar[str] = "crosshair"
    #: One line for the status bar: what the mouse and keys do with this tool.
    hint: ClassVar[str] = ""
    #: (gesture, what it does) pairs this tool adds to the F1 help.
    gestures: ClassVar[tuple[tuple[str, str], ...]] = ()
    #: Whether a right click reaches ``press`` as a cut (``subtract=True``), as in SAM-style tools.
    right_click_cuts: ClassVar[bool] = False

    def status_text(self, brush_size: int) -> str:
        """The status bar line: the tool's own name (and size, if it uses the brush) and hint."""
        head = f"{self.label} {brush_size} px" if self.uses_brush else self.label
        return f"{head} · {self.hint}" if self.hint else head

    @property
    def active(self) -> bool:
        """True while an interaction is in progress (a stroke, an open polygon)."""
        return False

    def press(self, ctx: ToolContext, x: float, y: float, subtract: bool, shift: bool = False) -> None:
        """Left button pressed at image point (x, y)."""

    def move(self, ctx: ToolContext, x: float, y: float, pressed: bool) -> None:
        """The pointer moved (``pressed``: with the left button held)."""

    def release(self, ctx: ToolContext, x: float, y: float) -> None:
        """Left button released."""

    def double_click(self, ctx: ToolContext, x: float, y: float) -> None:
        """Left double click."""

    def finish(self, ctx: ToolContext) -> None:
        """Enter: complete the interaction if it can be completed."""

    def backtrack(self, ctx: ToolContext) -> None:
        """Backspace: drop the last step of an interaction (e.g. a polygon vertex)."""

    def cancel(self, ctx: ToolContext) -> None:
        """Escape / tool switch / mask replaced: abandon, leaving the mask as it was."""


class StrokeRecorder:
    """Remembers the mask as it was at press time and which box a live stroke touched.

    A full snapshot costs one array copy at press (a few ms at 4096×4096) and nothing per
    segment, which is what matters while the mouse moves.
    """

    def __init__(self, mask: np.ndarray) -> None:
        self.mask = mask
        self._snapshot = mask.copy()
        self.box: Box | None = None

    def touch(self, box: Box | None) -> None:
        self.box = ops.union_box(self.box, box)

    def edit(self) -> MaskEdit | None:
        """The edit from press time to now, cropped to the pixels that changed."""
        if self.box is None:
            return None
        y0, x0, y1, x1 = self.box
        return diff_edit(self._snapshot[y0:y1, x0:x1], self.mask[y0:y1, x0:x1], y0=y0, x0=x0)

    def revert(self) -> Box | None:
        """Put back what the stroke overwrote; returns the box to refresh."""
        if self.box is None:
            return None
        y0, x0, y1, x1 = self.box
        self.mask[y0:y1, x0:x1] = self._snapshot[y0:y1, x0:x1]
        return self.box


def apply_in_box(ctx: ToolContext, box: Box, change: np.ndarray, value: int) -> None:
    """Set ``mask[box][change] = value`` and commit the resulting edit (if anything changed)."""
    mask = ctx.mask
    if mask is None:
        return
    y0, x0, y1, x1 = box
    before = mask[y0:y1, x0:x1].copy()
    mask[y0:y1, x0:x1][change] = value
    edit = diff_edit(before, mask[y0:y1, x0:x1], y0=y0, x0=x0)
    ctx.refresh(box)
    if edit is not None:
        ctx.commit(edit)
