"""User preferences kept between sessions with QSettings (organisation "Med-DisSeg", app "Studio").

Kept: mask colour, overlay opacity, view mode, brush size, the "remove islands" size, and the
window's geometry and dock layout. Always an INI file (the same on every platform, and tests can
redirect it with ``QSettings.setPath(IniFormat, UserScope, folder)``). A value that is missing or
unreadable (hand-edited, older version) falls back to its default instead of failing the start.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QColor

from .widgets.canvas_overlay import ViewMode
from .widgets.tool_options import DEFAULT_ISLAND_SIZE, MAX_ISLAND_SIZE

ORGANISATION = "Med-DisSeg"
APPLICATION = "Studio"
DEFAULT_COLOUR = "#00e676"


@dataclass(frozen=True)
class ViewPreferences:
    colour: str = DEFAULT_COLOUR  # "#rrggbb"
    opacity: float = 0.45
    view_mode: str = ViewMode.MASK.value
    brush_size: int = 15
    island_size: int = DEFAULT_ISLAND_SIZE


def open_settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


def _number(settings: QSettings, key: str, default: float, low: float, high: float) -> float:
    try:
        value = float(settings.value(key, default))
    except (TypeError, ValueError):
        return default
    return min(max(value, low), high) if value == value else default  # NaN -> default


def read_preferences(settings: QSettings) -> ViewPreferences:
    base = ViewPreferences()
    colour = str(settings.value("view/mask_colour", base.colour))
    mode = str(settings.value("view/mode", base.view_mode))
    return ViewPreferences(
        colour=QColor(colour).name() if QColor(colour).isValid() else base.colour,
        opacity=_number(settings, "view/opacity", base.opacity, 0.0, 1.0),
        view_mode=mode if mode in {m.value for m in ViewMode} else base.view_mode,
        brush_size=int(_number(settings, "tools/brush_size", base.brush_size, 1, 512)),
        island_size=int(_number(settings, "tools/island_size", base.island_size, 1, MAX_ISLAND_SIZE)),
    )


def write_preferences(settings: QSettings, prefs: ViewPreferences) -> None:
    settings.setValue("view/mask_colour", prefs.colour)
    settings.setValue("view/opacity", prefs.opacity)
    settings.setValue("view/mode", prefs.view_mode)
    settings.setValue("tools/brush_size", prefs.brush_size)
    settings.setValue("tools/island_size", prefs.island_size)


def restore_window(window: Any, settings: QSettings) -> ViewPreferences:
    """Apply the saved preferences and layout to a freshly built main window."""
    prefs = read_preferences(settings)
    window.model_panel.set_opacity(prefs.opacity)
    window.view_options.set_mask_colour(QColor(prefs.colour))
    window.model_panel.set_view_mode(prefs.view_mode.upper())
    window.canvas.brush_size = prefs.brush_size
    window.tool_options.set_island_size(prefs.island_size)
    window.view_options.sync()
    geometry = settings.value("window/geometry")
    if isinstance(geometry, QByteArray | bytes):
        window.restoreGeometry(QByteArray(geometry))
    state = settings.value("window/state")
    if isinstance(state, QByteArray | bytes):
        window.restoreState(QByteArray(state))
    return prefs


def save_window(window: Any, settings: QSettings) -> None:
    """Record the current preferences and layout (called when the window closes)."""
    prefs = ViewPreferences(
        colour=window.view_options.mask_colour.name(),
        opacity=window.model_panel.opacity_value(),
        view_mode=ViewMode(window.canvas.view_mode).value,
        brush_size=window.canvas.brush_size,
        island_size=window.tool_options.island_size(),
    )
    write_preferences(settings, prefs)
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState())
    settings.sync()
