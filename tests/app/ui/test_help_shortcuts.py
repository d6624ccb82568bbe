"""Help > Keyboard shortcuts (F1) lists every action, each with its own shortcut."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from meddisseg_studio.actions import all_actions
from meddisseg_studio.widgets.help_dialog import HelpDialog


def test_every_action_has_a_unique_shortcut() -> None:
    seen: dict[str, str] = {}
    for spec in all_actions():
        assert spec.shortcuts, f"{spec.name} has no shortcut"
        for text in spec.shortcuts:
            portable = QKeySequence(text).toString()
            assert portable, f"{spec.name}: {text!r} does not parse"
            assert portable not in seen, f"{text} used by {seen.get(portable)} and {spec.name}"
            seen[portable] = spec.name


def test_f1_opens_dialog_listing_every_action(qtbot, window) -> None:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: bool(window.findChildren(HelpDialog)), timeout=5000)
    dialog = window.findChildren(HelpDialog)[0]
    rows = dialog.rows()
    commands = {command for _menu, command, _keys in rows}
    for spec in all_actions():
        assert spec.text.replace("&", "") in commands
    assert all(keys for _menu, _command, keys in rows)
    assert len(rows) == len(all_actions())
    # Menus hold the same actions, so every command is reachable by mouse too.
    menu_actions = {a.objectName() for m in window.menuBar().actions() for a in m.menu().actions()}
    assert {f"action_{s.name}" for s in all_actions()} <= menu_actions
    dialog.close()
