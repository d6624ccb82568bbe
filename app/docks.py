"""The window's panels as dock widgets, its first size taken from the screen, and its layout kept.

Each panel is its own ``QDockWidget``: it can be moved to another edge, floated, or closed (the
View menu brings it back). A panel sits in a scroll area that scrolls vertically only; the dock
is never narrower than the panel needs, so no horizontal scroll bar ever appears. The docks'
object names are what ``saveState``/``restoreState`` use to put them back after a restart.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSettings, QSize, Qt
from PySide6.QtWidgets import QDockWidget, QFrame, QGroupBox, QMainWindow, QScrollArea, QWidget

from .settings import read_layout, write_layout

# The version of the saved dock layout. 1: the Jobs dock is a tab of the right column (before, it
# spanned the bottom and, restored on a small screen, took half the canvas's height); a layout
# saved by an older version is not restored, the window starts with the first layout instead.
LAYOUT_VERSION = 1
# A dock at the top or bottom edge (moved there by the user) never takes more of the height.
MAX_EDGE_SHARE = 0.25
# The size the window wants on a large screen; smaller screens get most of their free area.
PREFERRED_SIZE = QSize(1400, 860)
QWIDGETSIZE_MAX = (1 << 24) - 1
SCREEN_SHARE = 0.92


class VerticalScroll(QScrollArea):
    """Scrolls its panel vertically; as wide as the panel needs, so never horizontally."""

    def __init__(self, panel: QWidget) -> None:
        super().__init__()
        self.setWidget(panel)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        panel = self.widget()
        width = panel.minimumSizeHint().width() if panel is not None else 0
        scroll_bar = self.verticalScrollBar().sizeHint().width()
        return QSize(width + scroll_bar + 2 * self.frameWidth(), min(super().minimumSizeHint().height(), 80))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        panel = self.widget()
        if panel is None:
            return super().sizeHint()
        hint = panel.sizeHint().expandedTo(panel.minimumSizeHint())
        return QSize(hint.width() + self.verticalScrollBar().sizeHint().width(), hint.height())


def add_dock(
    window: QMainWindow,
    name: str,
    title: str,
    panel: QWidget,
    area: Qt.DockWidgetArea,
    *,
    scroll: bool = True,
) -> QDockWidget:
    """Put ``panel`` in a movable, floatable, closable dock named ``dock_<name>``."""
    dock = QDockWidget(title, window)
    dock.setObjectName(f"dock_{name}")
    if isinstance(panel, QGroupBox):
        panel.setTitle("")  # the dock's title bar names it already
        panel.setFlat(True)
    dock.setWidget(VerticalScroll(panel) if scroll else panel)
    dock.setFeatures(
        QDockWidget.DockWidgetFeature.DockWidgetMovable
        | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        | QDockWidget.DockWidgetFeature.DockWidgetClosable
    )
    window.addDockWidget(area, dock)
    return dock


def share_column(window: QMainWindow, docks: list[QDockWidget]) -> None:
    """Give each dock of a laid-out column the height its panel asks for; the last takes the rest."""
    total = sum(dock.height() for dock in docks)
    heights = [dock.sizeHint().height() for dock in docks[:-1]]
    rest = total - sum(heights)
    if rest < docks[-1].minimumSizeHint().height():
        return  # too small a screen to give everyone their wish: keep Qt's even split
    window.resizeDocks(docks, [*heights, rest], Qt.Orientation.Vertical)


def build_docks(
    window: QMainWindow, images: QWidget, right: dict[str, tuple[str, QWidget]]
) -> dict[str, QDockWidget]:
    """The image list on the left; the other panels stacked on the right, Review, Summary and
    Findings as tabs."""
    docks = {
        "images": add_dock(
            window, "images", "Images", images, Qt.DockWidgetArea.LeftDockWidgetArea, scroll=False
        )
    }
    for name, (title, panel) in right.items():
        docks[name] = add_dock(window, name, title, panel, Qt.DockWidgetArea.RightDockWidgetArea)
    # One place for the review panels, so the right column fits a 768-pixel screen.
    for name in ("summary", "findings"):
        if "review" in docks and name in docks:
            window.tabifyDockWidget(docks["review"], docks[name])
    if "review" in docks:
        docks["review"].raise_()
    return docks


def restore_layout(window: QMainWindow, settings: QSettings) -> bool:
    """The saved geometry (else a first size from the screen) and dock state; False if no dock state."""
    geometry, state = read_layout(settings)
    screen = window.screen()
    restored = geometry is not None and window.restoreGeometry(geometry)
    if not restored and screen is not None:
        window.setGeometry(first_geometry(screen.availableGeometry()))
    return state is not None and window.restoreState(state, LAYOUT_VERSION)


def save_layout(window: QMainWindow, settings: QSettings) -> None:
    write_layout(settings, window.saveGeometry(), window.saveState(LAYOUT_VERSION))


def keep_off_the_canvas(window: QMainWindow, dock: QDockWidget) -> None:
    """A dock docked at the top or bottom edge gets at most MAX_EDGE_SHARE of the window's height."""
    area = window.dockWidgetArea(dock)
    edges = (Qt.DockWidgetArea.TopDockWidgetArea, Qt.DockWidgetArea.BottomDockWidgetArea)
    if dock.isFloating() or area not in edges:
        dock.setMaximumHeight(QWIDGETSIZE_MAX)  # beside the canvas it may be as tall as the column
        return
    limit = int(window.height() * MAX_EDGE_SHARE)
    dock.setMaximumHeight(max(limit, dock.minimumSizeHint().height()))


def first_geometry(available: QRect) -> QRect:
    """A centred rectangle inside the screen's available area: the preferred size, or less."""
    width = min(PREFERRED_SIZE.width(), int(available.width() * SCREEN_SHARE))
    height = min(PREFERRED_SIZE.height(), int(available.height() * SCREEN_SHARE))
    rect = QRect(0, 0, width, height)
    rect.moveCenter(available.center())
    return rect


def fit_to_screen(window: QMainWindow) -> None:
    """Shrink and move ``window`` (frame included) into its screen's available area if it overflows."""
    screen = window.screen()
    if screen is None:
        return
    available = screen.availableGeometry()
    frame = window.frameGeometry()
    extra = frame.size() - window.geometry().size()  # title bar and borders
    width = min(window.width(), available.width() - extra.width())
    height = min(window.height(), available.height() - extra.height())
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    frame = window.frameGeometry()
    x = min(max(frame.x(), available.left()), available.right() - frame.width() + 1)
    y = min(max(frame.y(), available.top()), available.bottom() - frame.height() + 1)
    if (x, y) != (frame.x(), frame.y()):
        window.move(x, y)
