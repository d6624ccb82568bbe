"""Status bar readout of the active tool: its own name, brush size and hint.

"Eraser 15 px · Drag erases · …" while erasing (never "Brush"), and for the polygon what the
keys do ("Enter closes · Esc cancels · Alt cuts"). The text comes from the tool itself
(``Tool.status_text``), so a new tool explains itself here without changes to this widget.
"""

from __future__ import annotations

from .canvas import MaskCanvas
from .elided_label import ElidedLabel


class ToolStatus(ElidedLabel):
    """Follows the canvas's tool and brush size; elides on a narrow window (full text as tooltip)."""

    def __init__(self, canvas: MaskCanvas) -> None:
        super().__init__("")
        self.setObjectName("tool_status")
        self._canvas = canvas
        canvas.toolChanged.connect(lambda _name: self.refresh())
        canvas.brushSizeChanged.connect(lambda _size: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        self.setText(self._canvas.tool_status())
