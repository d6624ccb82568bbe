"""Interactive mask edit tools, registered by name, and one-shot mask operations.

Each tool lives in its own module; ``create_tool(name)`` builds one. See ``base`` for the rule
on who mutates the shared mask. One-shot operations (``ONE_SHOT_OPERATIONS``) are pure
functions ``mask -> new mask`` from ``ops``; ``operation_edit`` turns one into a ``MaskEdit``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from meddisseg_studio.state.edits import MaskEdit, diff_edit
from meddisseg_studio.tools import ops
from meddisseg_studio.tools.base import CANVAS_GESTURES, CURSORS, Tool, ToolContext
from meddisseg_studio.tools.box import BoxTool
from meddisseg_studio.tools.brush import BrushTool
from meddisseg_studio.tools.click import ClickTool
from meddisseg_studio.tools.eraser import EraserTool
from meddisseg_studio.tools.flood_fill import FloodFillTool
from meddisseg_studio.tools.lasso import LassoTool
from meddisseg_studio.tools.polygon import PolygonTool

TOOLS: dict[str, type[Tool]] = {
    cls.name: cls
    for cls in (BrushTool, EraserTool, PolygonTool, LassoTool, FloodFillTool, BoxTool, ClickTool)
}

ONE_SHOT_OPERATIONS: dict[str, Callable[..., np.ndarray]] = {
    "fill_holes": ops.fill_holes,
    "remove_islands": ops.remove_islands,  # needs min_size=N
    "clear": ops.clear,
}


def tool_names() -> list[str]:
    return list(TOOLS)


def gesture_rows() -> list[tuple[str, str, str]]:
    """(where, what, gesture) rows for the F1 help: the canvas-wide gestures, then each tool's."""
    rows = [("Canvas", what, gesture) for gesture, what in CANVAS_GESTURES]
    for cls in TOOLS.values():
        rows += [(cls.label, what, gesture) for gesture, what in cls.gestures]
    return rows


def create_tool(name: str) -> Tool:
    """A fresh tool by its registered name; ``KeyError`` names the known ones."""
    try:
        return TOOLS[name]()
    except KeyError:
        raise KeyError(f"unknown tool {name!r}; known: {', '.join(TOOLS)}") from None


def operation_edit(mask: np.ndarray, name: str, **params: int) -> MaskEdit | None:
    """The edit that one-shot operation ``name`` would make to ``mask`` (None if it changes nothing).

    The mask is not modified: whoever applies the edit writes ``after``.
    """
    try:
        operation = ONE_SHOT_OPERATIONS[name]
    except KeyError:
        raise KeyError(f"unknown operation {name!r}; known: {', '.join(ONE_SHOT_OPERATIONS)}") from None
    return diff_edit(mask, operation(mask, **params))


__all__ = [
    "CURSORS",
    "ONE_SHOT_OPERATIONS",
    "TOOLS",
    "MaskEdit",
    "Tool",
    "ToolContext",
    "create_tool",
    "gesture_rows",
    "operation_edit",
    "tool_names",
]
