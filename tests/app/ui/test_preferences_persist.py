"""Preferences (colour, opacity, view mode, brush, island size, layout) survive closing the window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor

from meddisseg_studio.main_window import MainWindow


def test_preferences_survive_close_and_reopen(qtbot, window, dialogs, isolated_settings: Path) -> None:
    dialogs.colours.append(QColor("#3366cc"))
    window.model_panel.colour_button.click()
    window.model_panel.opacity.setValue(70)
    window.model_panel.set_view_mode("OUTLINE")
    window.canvas.brush_size = 33
    window.tool_options.island_spin.setValue(250)
    window.resize(760, 540)
    size = (window.width(), window.height())
    window.close()
    # Written under the test's own folder (the fixture redirected QSettings), never the user's.
    assert list(isolated_settings.rglob("*.ini"))

    again = MainWindow(dialogs, load_default_model=False)
    qtbot.addWidget(again)
    assert again.view_options.mask_colour.name() == "#3366cc"
    assert again.model_panel.opacity.value() == 70
    assert again.canvas.view_mode.value == "outline"
    assert again.canvas.brush_size == 33
    assert again.tool_options.brush_spin.value() == 33
    assert again.tool_options.island_size() == 250
    assert (again.width(), again.height()) == size
    again.close()


def test_unreadable_values_fall_back_to_defaults(qtbot, dialogs) -> None:
    from meddisseg_studio.settings import APPLICATION, ORGANISATION

    settings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)
    settings.setValue("view/mask_colour", "not a colour")
    settings.setValue("view/mode", "sideways")
    settings.setValue("tools/brush_size", "huge")
    settings.setValue("tools/island_size", -5)
    settings.sync()
    win = MainWindow(dialogs, load_default_model=False)
    qtbot.addWidget(win)
    assert win.view_options.mask_colour.name() == "#00e676"
    assert win.canvas.view_mode.value == "mask"
    assert win.canvas.brush_size == 15
    assert win.tool_options.island_size() == 1  # clamped into the spin box's range
    win.close()
