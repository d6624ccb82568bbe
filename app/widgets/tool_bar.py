"""The tool palette: one checkable button per edit tool, in one exclusive ``QActionGroup``.

It takes the window's tool QActions (the ones the Tools menu and the B/E/P/L/F shortcuts use),
so menu, keys and buttons are the same action: checking one anywhere checks it everywhere.
Each button has the tool's icon and a tooltip with its name, shortcut and hint.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QSize
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QToolBar, QWidget

from ..tools import TOOLS
from ..tools.base import Tool
from .tool_icons import tool_icon


def tool_tooltip(tool: type[Tool]) -> str:
    """ "Brush (B)" on the first line, the tool's hint on the second."""
    keys = QKeySequence(tool.shortcut).toString(QKeySequence.SequenceFormat.NativeText)
    head = f"{tool.label} ({keys})" if keys else tool.label
    return f"{head}\n{tool.hint}" if tool.hint else head


class ToolBar(QToolBar):
    """``actions`` maps tool names (``tools.tool_names()``) to their QActions."""

    def __init__(self, actions: Mapping[str, QAction], parent: QWidget | None = None) -> None:
        super().__init__("Tools", parent)
        self.setObjectName("toolbar_tools")
        self.setIconSize(QSize(24, 24))
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self._actions: dict[str, QAction] = {}
        for name, action in actions.items():
            tool = TOOLS[name]  # KeyError names an unknown tool before anything is built
            action.setCheckable(True)
            action.setIcon(tool_icon(name))
            action.setToolTip(tool_tooltip(tool))
            action.setStatusTip(tool.hint)
            self.group.addAction(action)
            self.addAction(action)
            self._actions[name] = action
        if "brush" in self._actions:
            self.set_current("brush")  # the canvas starts with the brush

    def set_current(self, name: str) -> None:
        """Check ``name``'s button (the group unchecks the others); triggers nothing."""
        action = self._actions.get(name)
        if action is not None and not action.isChecked():
            action.setChecked(True)

    def current(self) -> str | None:
        checked = self.group.checkedAction()
        return next((n for n, a in self._actions.items() if a is checked), None)

    def tool_action(self, name: str) -> QAction:
        return self._actions[name]
