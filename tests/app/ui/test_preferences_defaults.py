"""One set of defaults: the canvas, the panels and the saved preferences all start from Preferences()."""

from __future__ import annotations

from PySide6.QtGui import QColor

from meddisseg_studio.settings import VIEW_MODES, Preferences
from meddisseg_studio.widgets.canvas import MaskCanvas, ViewMode
from meddisseg_studio.widgets.model_panel import ModelPanel
from meddisseg_studio.widgets.tool_options import ToolOptionsPanel


def test_view_mode_names_match_the_canvas() -> None:
    assert set(VIEW_MODES) == {mode.value for mode in ViewMode}


def test_widgets_start_from_the_preferences_defaults(qtbot, window) -> None:
    defaults = Preferences()
    canvas = MaskCanvas()
    qtbot.addWidget(canvas)
    assert canvas.brush_size == defaults.brush_size
    assert canvas.overlay.opacity() == defaults.opacity
    colour = QColor(defaults.mask_colour)
    assert (
        int(canvas.overlay._argb) == 0xFF000000 | (colour.red() << 16) | (colour.green() << 8) | colour.blue()
    )
    panel = ModelPanel(
        *(window.actions[n] for n in ("load_default_model", "load_checkpoint", "propose_current"))
    )
    qtbot.addWidget(panel)
    assert panel.opacity_value() == defaults.opacity
    assert panel.threshold_value() == defaults.threshold
    tools = ToolOptionsPanel()
    qtbot.addWidget(tools)
    assert tools.island_size() == defaults.island_size
    # A fresh window (no saved preferences) shows exactly the defaults.
    assert window.view_options.current(window.proposals.threshold) == defaults
