"""The Jobs dock never takes the canvas's height: at 1366x768, after restoring a layout that had
the Jobs dock open (as older versions saved it: a strip across the bottom), the canvas keeps at
least 60 % of the window's height."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt

from meddisseg_studio.docks import QWIDGETSIZE_MAX
from meddisseg_studio.main_window import MainWindow
from meddisseg_studio.settings import write_layout

SIZE = (1366, 768)


def _window(qtbot, dialogs, settings: QSettings) -> MainWindow:
    window = MainWindow(dialogs, load_default_model=False, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.resize(*SIZE)  # after the first show, which fits the window to the (small) offscreen screen
    qtbot.waitUntil(lambda: (window.width(), window.height()) == SIZE)
    return window


def _jobs_at_the_bottom(qtbot, window: MainWindow, height: int) -> None:
    """The Jobs dock across the bottom, ``height`` tall, as the older versions showed it."""
    jobs = window.docks["jobs"]
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, jobs)
    jobs.show()
    qtbot.waitUntil(lambda: jobs.isVisible())
    jobs.setMaximumHeight(QWIDGETSIZE_MAX)  # undo today's limit, to make what older versions saved
    window.resizeDocks([jobs], [height], Qt.Orientation.Vertical)
    qtbot.waitUntil(lambda: jobs.height() > 250)  # as tall as the other docks let it be


def _canvas_share(qtbot, window: MainWindow) -> float:
    qtbot.waitUntil(lambda: window.canvas_slot.height() > 0)
    return window.canvas_slot.height() / window.height()


def test_an_older_layout_with_the_jobs_dock_does_not_crowd_the_canvas(qtbot, dialogs, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    old = _window(qtbot, dialogs, settings)
    _jobs_at_the_bottom(qtbot, old, 430)
    assert _canvas_share(qtbot, old) < 0.6  # what the older layout looked like
    write_layout(settings, old.saveGeometry(), old.saveState())  # saved as older versions did (version 0)
    old.hide()

    again = _window(qtbot, dialogs, settings)
    assert again.dockWidgetArea(again.docks["jobs"]) != Qt.DockWidgetArea.BottomDockWidgetArea
    again.docks["jobs"].show()  # a job starts: the dock shows as a tab of the right column
    again.docks["jobs"].raise_()
    qtbot.waitUntil(lambda: again.docks["jobs"].isVisible())
    assert _canvas_share(qtbot, again) >= 0.6


def test_a_jobs_dock_moved_to_the_bottom_is_kept_low(qtbot, dialogs, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    first = _window(qtbot, dialogs, settings)
    _jobs_at_the_bottom(qtbot, first, 430)
    first.close()  # saves this version's layout, the dock at the bottom

    again = _window(qtbot, dialogs, settings)
    assert again.dockWidgetArea(again.docks["jobs"]) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert again.docks["jobs"].isVisible()
    assert _canvas_share(qtbot, again) >= 0.6
