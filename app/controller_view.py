"""View and tool options: mask colour and opacity, brush size, the "remove islands" size.

Keeps the canvas, the Model and Tools panels, the status bar's brush readout and the
Remove islands action in step, so the main window only has to create it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import QLabel

from .controller_prefs import DEFAULT_COLOUR
from .widgets.canvas import MaskCanvas
from .widgets.dialogs import Dialogs
from .widgets.model_panel import ModelPanel
from .widgets.tool_options import ToolOptionsPanel


class ViewOptions(QObject):
    def __init__(
        self,
        canvas: MaskCanvas,
        model_panel: ModelPanel,
        tool_options: ToolOptionsPanel,
        dialogs: Dialogs,
        remove_islands: QAction,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.model_panel = model_panel
        self.tool_options = tool_options
        self.dialogs = dialogs
        self.remove_islands_action = remove_islands
        self.brush_label = QLabel()
        self.mask_colour = QColor(DEFAULT_COLOUR)
        model_panel.opacityChanged.connect(lambda o: canvas.set_mask_style(self.mask_colour, o))
        model_panel.colourRequested.connect(self.choose_mask_colour)
        tool_options.brushSizeChanged.connect(lambda size: setattr(canvas, "brush_size", size))
        tool_options.islandSizeChanged.connect(self._on_island_size)
        canvas.brushSizeChanged.connect(self._on_brush_size)
        remove_islands.triggered.connect(lambda _checked=False: self.remove_islands())
        self.set_mask_colour(self.mask_colour)
        self.sync()

    def set_mask_colour(self, colour: QColor) -> None:
        self.mask_colour = QColor(colour)
        self.canvas.set_mask_style(self.mask_colour, self.model_panel.opacity_value())
        self.model_panel.show_colour(self.mask_colour)

    def choose_mask_colour(self) -> None:
        colour = self.dialogs.choose_colour("Mask colour", self.mask_colour)
        if colour is not None:
            self.set_mask_colour(colour)

    def remove_islands(self) -> None:
        self.canvas.run_operation("remove_islands", min_size=self.tool_options.island_size())

    def sync(self) -> None:
        """Show the current values (after preferences were restored without signals)."""
        self._on_brush_size(self.canvas.brush_size)
        self._on_island_size(self.tool_options.island_size())

    def _on_brush_size(self, size: int) -> None:
        self.tool_options.set_brush_size(size)
        self.brush_label.setText(f"Brush {size} px")

    def _on_island_size(self, size: int) -> None:
        # The action's tip names the size it will really use.
        self.remove_islands_action.setToolTip(f"Remove mask specks smaller than {size} pixels (I)")
        self.remove_islands_action.setStatusTip(f"Remove mask specks smaller than {size} pixels")
