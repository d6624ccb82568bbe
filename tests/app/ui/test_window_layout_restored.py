"""The panels are docks (movable, closable); the first size fits the screen; no panel scrolls
sideways; and the geometry and dock layout come back after a restart."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from meddisseg_studio.docks import VerticalScroll, first_geometry
from meddisseg_studio.main_window import MainWindow


def test_first_start_fits_the_screen(qtbot, dialogs) -> None:
    window = MainWindow(dialogs, load_default_model=False)
    qtbot.addWidget(window)
    available = window.screen().availableGeometry()
    assert window.geometry() == first_geometry(available)
    assert available.contains(window.geometry())
    window.show()
    qtbot.waitExposed(window)
    assert available.contains(window.frameGeometry())
    assert window.statusBar().isVisible()
    window.close()


def test_panels_are_docks_that_never_scroll_sideways(qtbot, window) -> None:
    docks = {d.objectName() for d in window.findChildren(QDockWidget)}
    names = ("images", "model", "tools", "display", "review", "summary", "findings")
    assert {f"dock_{name}" for name in names} <= docks
    for dock in window.findChildren(QDockWidget):
        features = dock.features()
        assert features & QDockWidget.DockWidgetFeature.DockWidgetMovable
        assert features & QDockWidget.DockWidgetFeature.DockWidgetClosable
    scrolls = window.findChildren(VerticalScroll)
    assert len(scrolls) == 7  # the image list and the History panel scroll by themselves
    for scroll in scrolls:
        if not scroll.isVisible():
            continue  # a tab behind another
        assert scroll.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        # Nothing is cut off at the side: the panel fits the width it is given.
        assert scroll.widget().minimumSizeHint().width() <= scroll.viewport().width(), dock_name(scroll)


def dock_name(widget) -> str:
    while widget is not None and not isinstance(widget, QDockWidget):
        widget = widget.parentWidget()
    return widget.objectName() if widget is not None else "?"


def test_geometry_and_docks_survive_a_restart(qtbot, window, dialogs) -> None:
    tools, summary = window.docks["tools"], window.docks["summary"]
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, tools)
    summary.close()
    # A size of our own, inside the (offscreen, 800 px) screen and above the window's minimum.
    window.resize(window.minimumSizeHint().width() + 4, 590)
    size = (window.width(), window.height())
    assert window.screen().availableGeometry().width() >= size[0] + 4
    window.close()

    again = MainWindow(dialogs, load_default_model=False)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.dockWidgetArea(again.docks["tools"]) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert again.dockWidgetArea(again.docks["model"]) == Qt.DockWidgetArea.RightDockWidgetArea
    assert again.docks["summary"].isHidden()
    assert again.docks["review"].isVisible()
    assert (again.width(), again.height()) == size
    again.close()
