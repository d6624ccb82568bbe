"""Eraser: the brush with the values swapped (paints background; with the cut modifier, foreground)."""

from __future__ import annotations

from meddisseg_studio.tools.brush import BrushTool


class EraserTool(BrushTool):
    name = "eraser"
    label = "Eraser"
    shortcut = "E"
    paint_value = 0
    cursor = "ring"
    hint = "Drag erases · Alt paints · [ ] or Ctrl+wheel size"
    gestures = ()
