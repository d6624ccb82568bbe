"""The tool bar: one exclusive group of checkable tools, in sync with the Tools menu, keys and status bar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from meddisseg_studio.tools import tool_names
from meddisseg_studio.widgets.tool_bar import ToolBar


def test_tool_bar_is_one_exclusive_checkable_group(qtbot) -> None:
    actions = {name: QAction(name) for name in tool_names()}
    bar = ToolBar(actions)
    qtbot.addWidget(bar)
    assert bar.group.isExclusive() and len(bar.group.actions()) == len(tool_names()) == 7
    assert all(a.isCheckable() and not a.icon().isNull() for a in actions.values())
    assert bar.current() == "brush"
    tip = actions["polygon"].toolTip()
    assert tip.startswith("Polygon (P)") and "Enter closes · Esc cancels · Alt cuts" in tip
    assert "Shift" in actions["flood_fill"].toolTip() and "(F)" in actions["flood_fill"].toolTip()
    bar.set_current("eraser")
    assert actions["eraser"].isChecked() and not actions["brush"].isChecked()
    images = [actions[n].icon().pixmap(24, 24).toImage() for n in tool_names()]
    assert all(a != b for i, a in enumerate(images) for b in images[i + 1 :])  # each its own icon


def test_keys_menu_and_buttons_stay_in_sync_with_the_canvas(qtbot, opened) -> None:
    window = opened
    window.activateWindow()
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas.viewport(), Qt.Key.Key_E)
    assert window.canvas.tool.name == "eraser"
    assert window.tool_bar.current() == "eraser"
    tools_menu = next(m.menu() for m in window.menuBar().actions() if m.text() == "&Tools")
    checked = [a.objectName() for a in tools_menu.actions() if a.isCheckable() and a.isChecked()]
    assert checked == ["action_tool_eraser"]  # the menu shows the same check mark
    assert window.tool_status.text().startswith(f"Eraser {window.canvas.brush_size} px")

    window.tool_bar.tool_action("polygon").trigger()  # a click on the button
    assert window.canvas.tool.name == "polygon"
    assert "Enter closes · Esc cancels · Alt cuts" in window.tool_status.text()
    window.canvas.set_tool("flood_fill")  # changed from elsewhere: the bar follows
    assert window.tool_bar.current() == "flood_fill"
