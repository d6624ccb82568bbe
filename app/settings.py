"""User preferences: one frozen dataclass with the one set of defaults, kept with QSettings.

Every default of the view and the tools lives in :class:`Preferences`; widgets that need a
starting value read ``Preferences()`` and the window applies the saved ones. QSettings is always
an INI file (organisation "Med-DisSeg", app "Studio": the same on every platform, and tests
redirect it with ``QSettings.setPath(IniFormat, UserScope, folder)``). A missing or unreadable
value (hand-edited, older version) falls back to its default instead of failing the start.
The window's geometry and dock layout are kept beside the preferences.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QColor

ORGANISATION = "Med-DisSeg"
APPLICATION = "Studio"

# The overlay modes, by name (the canvas's ViewMode values; a test keeps the two in step).
VIEW_MODES = ("mask", "outline", "probability", "uncertainty", "none")
BRUSH_SIZES = (1, 512)
ISLAND_SIZES = (1, 100_000)
THRESHOLDS = (0.01, 0.99)


@dataclass(frozen=True)
class Preferences:
    mask_colour: str = "#00e676"  # "#rrggbb"
    opacity: float = 0.45
    view_mode: str = "mask"
    brush_size: int = 15
    island_size: int = 64
    threshold: float = 0.5


# QSettings key of each field.
_KEYS = {
    "mask_colour": "view/mask_colour",
    "opacity": "view/opacity",
    "view_mode": "view/mode",
    "brush_size": "tools/brush_size",
    "island_size": "tools/island_size",
    "threshold": "model/threshold",
}
assert set(_KEYS) == {f.name for f in fields(Preferences)}


def open_settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


def _number(settings: QSettings, key: str, default: float, limits: tuple[float, float]) -> float:
    try:
        value = float(settings.value(key, default))
    except (TypeError, ValueError):
        return default
    if value != value:  # NaN
        return default
    return min(max(value, limits[0]), limits[1])


def read_preferences(settings: QSettings) -> Preferences:
    base = Preferences()
    colour = str(settings.value(_KEYS["mask_colour"], base.mask_colour))
    mode = str(settings.value(_KEYS["view_mode"], base.view_mode))
    return Preferences(
        mask_colour=QColor(colour).name() if QColor(colour).isValid() else base.mask_colour,
        opacity=_number(settings, _KEYS["opacity"], base.opacity, (0.0, 1.0)),
        view_mode=mode if mode in VIEW_MODES else base.view_mode,
        brush_size=int(_number(settings, _KEYS["brush_size"], base.brush_size, BRUSH_SIZES)),
        island_size=int(_number(settings, _KEYS["island_size"], base.island_size, ISLAND_SIZES)),
        threshold=_number(settings, _KEYS["threshold"], base.threshold, THRESHOLDS),
    )


def write_preferences(settings: QSettings, prefs: Preferences) -> None:
    for name, key in _KEYS.items():
        settings.setValue(key, getattr(prefs, name))


def read_layout(settings: QSettings) -> tuple[QByteArray | None, QByteArray | None]:
    """The saved window geometry and dock/tool bar state (None where nothing usable is saved)."""

    def blob(key: str) -> QByteArray | None:
        value = settings.value(key)
        return QByteArray(value) if isinstance(value, QByteArray | bytes) and len(value) else None

    return blob("window/geometry"), blob("window/state")


def write_layout(settings: QSettings, geometry: QByteArray, state: QByteArray) -> None:
    settings.setValue("window/geometry", geometry)
    settings.setValue("window/state", state)
