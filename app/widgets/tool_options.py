"""Options of the edit tools: brush diameter and the island size that "Remove islands" uses."""

# ruff: noqa: N815 - Qt signal names are camelCase, as in Qt and the canvas contract

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QSpinBox

from ..settings import BRUSH_SIZES, ISLAND_SIZES, Preferences


class ToolOptionsPanel(QGroupBox):
    """Emits ``brushSizeChanged`` and ``islandSizeChanged`` when the user edits a value."""

    brushSizeChanged = Signal(int)
    islandSizeChanged = Signal(int)

    def __init__(self, brush_range: tuple[int, int] = BRUSH_SIZES) -> None:
        super().__init__("Tools")
        self.brush_spin = QSpinBox()
        self.brush_spin.setRange(*brush_range)
        self.brush_spin.setSuffix(" px")
        self.brush_spin.setToolTip("Brush and eraser diameter in image pixels ([ and ] step it)")
        self.island_spin = QSpinBox()
        self.island_spin.setRange(*ISLAND_SIZES)
        self.island_spin.setValue(Preferences().island_size)
        self.island_spin.setSuffix(" px")
        self.island_spin.setToolTip("Remove islands (I) erases mask specks with fewer pixels than this")
        form = QFormLayout(self)
        form.addRow("Brush size", self.brush_spin)
        form.addRow("Islands below", self.island_spin)
        self.brush_spin.valueChanged.connect(self.brushSizeChanged.emit)
        self.island_spin.valueChanged.connect(self.islandSizeChanged.emit)

    def island_size(self) -> int:
        return self.island_spin.value()

    def set_island_size(self, size: int) -> None:
        self.island_spin.setValue(size)

    def set_brush_size(self, size: int) -> None:
        """Follow the canvas (keys, Ctrl+wheel) without echoing the change back to it."""
        self.brush_spin.blockSignals(True)
        self.brush_spin.setValue(size)
        self.brush_spin.blockSignals(False)
