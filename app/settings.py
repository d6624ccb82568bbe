"""User preferences: one frozen dataclass with the one set of defaults, kept with QSettings.

Every default of the view and the tools lives in :class:`Preferences`; widgets that need a
starting value read ``Preferences()`` and the window applies the saved ones. QSettings is always
an INI file (organisation "Med-DisSeg", app "Studio": the same on every platform, and tests
redirect it with ``QSettings.setPath(IniFormat, UserScope, folder)``). A missing or unreadable
value (hand-edited, older version) falls back to its default instead of failing the start.
The window's geometry and dock layout are kept beside the preferences. Exports take their
settings (lesion size, overlay colour and opacity) from here too (:func:`export_options`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QColor

from .export.common import DEFAULT_MIN_LESION_AREA, ExportOptions
from .state.identity import clean_name
from .state.reject_reasons import DEFAULT_REJECT_REASONS, reasons_from_setting

ORGANISATION = "Med-DisSeg"
APPLICATION = "Studio"

# The overlay modes, by name (the canvas's ViewMode values; a test keeps the two in step).
VIEW_MODES = ("mask", "outline", "probability", "uncertainty", "none")
BRUSH_SIZES = (1, 512)
ISLAND_SIZES = (1, 100_000)
THRESHOLDS = (0.01, 0.99)
LESION_AREAS = (0, 1_000_000)


@dataclass(frozen=True)
class Preferences:
    mask_colour: str = "#00e676"  # "#rrggbb"
    opacity: float = 0.45
    view_mode: str = "mask"
    brush_size: int = 15
    island_size: int = 64
    threshold: float = 0.5
    # The reject pick-list ("other…" is always added); set it with one reason per line.
    reject_reasons: tuple[str, ...] = DEFAULT_REJECT_REASONS
    # A lesion is a connected component of at least this many pixels (exports, image list).
    min_lesion_area: int = DEFAULT_MIN_LESION_AREA
    # Run models in fp32 even where a faster precision was measured to give the same masks.
    force_fp32: bool = False
    # The name the audit log records changes under (e.g. "Dr A. Smith"); empty: the OS user.
    user_name: str = ""


# QSettings key of each field.
_KEYS = {
    "mask_colour": "view/mask_colour",
    "opacity": "view/opacity",
    "view_mode": "view/mode",
    "brush_size": "tools/brush_size",
    "island_size": "tools/island_size",
    "threshold": "model/threshold",
    "reject_reasons": "review/reject_reasons",
    "min_lesion_area": "export/min_lesion_area",
    "force_fp32": "model/force_fp32",
    "user_name": "user/name",
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
        reject_reasons=reasons_from_setting(settings.value(_KEYS["reject_reasons"])),
        min_lesion_area=int(_number(settings, _KEYS["min_lesion_area"], base.min_lesion_area, LESION_AREAS)),
        force_fp32=str(settings.value(_KEYS["force_fp32"], base.force_fp32)).lower() in ("true", "1"),
        user_name=clean_name(str(settings.value(_KEYS["user_name"], "") or "")) or "",
    )


def write_preferences(settings: QSettings, prefs: Preferences) -> None:
    for name, key in _KEYS.items():
        if name == "reject_reasons":
            # Kept only when configured: a default list written back would pin today's defaults.
            if prefs.reject_reasons == DEFAULT_REJECT_REASONS:
                settings.remove(key)
            else:
                settings.setValue(key, "\n".join(prefs.reject_reasons))
            continue
        if name == "user_name" and not prefs.user_name:
            settings.remove(key)  # no name set: the OS user, whoever logs in
            continue
        settings.setValue(key, getattr(prefs, name))


def export_options(prefs: Preferences) -> ExportOptions:
    """What an export started from the app uses: overlays in the mask colour and opacity on screen."""
    colour = QColor(prefs.mask_colour)
    return ExportOptions(
        min_lesion_area=prefs.min_lesion_area,
        overlay_colour=(colour.red(), colour.green(), colour.blue()),
        overlay_opacity=prefs.opacity,
    )


def read_layout(settings: QSettings) -> tuple[QByteArray | None, QByteArray | None]:
    """The saved window geometry and dock/tool bar state (None where nothing usable is saved)."""

    def blob(key: str) -> QByteArray | None:
        value = settings.value(key)
        return QByteArray(value) if isinstance(value, QByteArray | bytes) and len(value) else None

    return blob("window/geometry"), blob("window/state")


def write_layout(settings: QSettings, geometry: QByteArray, state: QByteArray) -> None:
    settings.setValue("window/geometry", geometry)
    settings.setValue("window/state", state)
