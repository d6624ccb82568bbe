"""View and tool options: mask colour and opacity, overlay mode, brush size, "remove islands" size,
and the display window/level.

Holds the current values (they start from :class:`~meddisseg_studio.settings.Preferences`) and
keeps the Model, Tools and Display panels, the thumbnails and the Remove islands action in step.
The canvas is attached when it exists (it is built after the window is first shown), and gets
the current values then. Display levels change only what is drawn: proposals read the file
through the model-input rule, never these pixels.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QColor

from .settings import Preferences
from .state.display import DisplayLevels
from .widgets.dialogs import Dialogs
from .widgets.display_levels import DisplayLevelsPanel
from .widgets.model_panel import ModelPanel
from .widgets.thumbnails import ThumbnailCache
from .widgets.tool_options import ToolOptionsPanel

if TYPE_CHECKING:  # the canvas module imports pyqtgraph, which loads after the window is shown
    from .widgets.canvas import MaskCanvas


class ViewOptions(QObject):
    def __init__(
        self,
        model_panel: ModelPanel,
        tool_options: ToolOptionsPanel,
        display_panel: DisplayLevelsPanel,
        thumbnails: ThumbnailCache,
        dialogs: Dialogs,
        remove_islands: QAction,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.canvas: MaskCanvas | None = None
        self.model_panel = model_panel
        self.tool_options = tool_options
        self.display_panel = display_panel
        self.thumbnails = thumbnails
        self.dialogs = dialogs
        self.remove_islands_action = remove_islands
        self.levels = DisplayLevels()
        defaults = Preferences()
        self.mask_colour = QColor(defaults.mask_colour)
        self.view_mode = defaults.view_mode
        self._brush_size = defaults.brush_size
        model_panel.opacityChanged.connect(lambda _opacity: self._apply_style())
        model_panel.colourRequested.connect(self.choose_mask_colour)
        model_panel.viewModeChanged.connect(self._on_view_mode)
        tool_options.brushSizeChanged.connect(self.set_brush_size)
        tool_options.islandSizeChanged.connect(self._on_island_size)
        remove_islands.triggered.connect(lambda _checked=False: self.remove_islands())
        display_panel.levelsChanged.connect(self.set_display_levels)
        display_panel.autoRequested.connect(self.auto_display_levels)

    # -- values -------------------------------------------------------------------
    def apply(self, prefs: Preferences) -> None:
        """Show ``prefs`` in the panels and on the canvas (when there is one)."""
        self.model_panel.set_opacity(prefs.opacity)
        self.set_mask_colour(QColor(prefs.mask_colour))
        self.model_panel.set_view_mode(prefs.view_mode.upper())
        self._on_view_mode(prefs.view_mode.upper())
        self.tool_options.set_island_size(prefs.island_size)
        self._on_island_size(prefs.island_size)
        self.set_brush_size(prefs.brush_size)

    def current(self, threshold: float, base: Preferences | None = None) -> Preferences:
        """The values on screen, as preferences to keep (the others as in ``base``)."""
        return replace(
            base or Preferences(),
            mask_colour=self.mask_colour.name(),
            opacity=self.model_panel.opacity_value(),
            view_mode=self.view_mode,
            brush_size=self.brush_size,
            island_size=self.tool_options.island_size(),
            threshold=threshold,
        )

    @property
    def brush_size(self) -> int:
        return self.canvas.brush_size if self.canvas is not None else self._brush_size

    def set_brush_size(self, size: int) -> None:
        if self.canvas is not None:
            self.canvas.brush_size = size  # clamps, then reports back through brushSizeChanged
            size = self.canvas.brush_size
        self._on_brush_size(size)

    def set_mask_colour(self, colour: QColor) -> None:
        self.mask_colour = QColor(colour)
        self.model_panel.show_colour(self.mask_colour)
        self._apply_style()

    def choose_mask_colour(self) -> None:
        colour = self.dialogs.choose_colour("Mask colour", self.mask_colour)
        if colour is not None:
            self.set_mask_colour(colour)

    def remove_islands(self) -> None:
        if self.canvas is not None:
            self.canvas.run_operation("remove_islands", min_size=self.tool_options.island_size())

    def set_display_levels(self, levels: DisplayLevels) -> None:
        self.levels = levels
        if self.canvas is not None:
            self.canvas.set_display_levels(levels)
        self.thumbnails.set_levels(levels)

    def auto_display_levels(self) -> None:
        """Stretch the shown image's 1st-99th percentile (nothing to stretch before an image shows)."""
        if self.canvas is None:
            return
        self.levels = self.canvas.auto_display_levels()
        self.display_panel.show_levels(self.levels)
        self.thumbnails.set_levels(self.levels)

    # -- the canvas ---------------------------------------------------------------
    def attach(self, canvas: MaskCanvas) -> None:
        """Give the new canvas the current values and follow its brush size."""
        self.canvas = canvas
        canvas.brushSizeChanged.connect(self._on_brush_size)
        canvas.brush_size = self._brush_size
        canvas.set_view_mode(self.view_mode)
        canvas.set_display_levels(self.levels)
        self._apply_style()

    def _apply_style(self) -> None:
        if self.canvas is not None:
            self.canvas.set_mask_style(self.mask_colour, self.model_panel.opacity_value())

    def _on_view_mode(self, name: str) -> None:
        self.view_mode = name.lower()
        if self.canvas is not None:
            self.canvas.set_view_mode(self.view_mode)

    def _on_brush_size(self, size: int) -> None:
        self._brush_size = size
        self.tool_options.set_brush_size(size)

    def _on_island_size(self, size: int) -> None:
        # The action's tip names the size it will really use.
        self.remove_islands_action.setToolTip(f"Remove mask specks smaller than {size} pixels (I)")
        self.remove_islands_action.setStatusTip(f"Remove mask specks smaller than {size} pixels")
