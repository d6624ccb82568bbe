"""The History dock kept in step with the image on screen, and the user's name for the log.

The panel is refreshed when an image is shown, when its entry changes (a status), and after a
mask edit once the autosave thread has written the edit's row (it is written after the mask:
the refresh waits, by a short timer, while a write of that image is still queued).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from .control.workspace import Workspace
from .state.identity import clean_name, os_user, set_display_name
from .widgets.dialogs import Dialogs
from .widgets.history_panel import HistoryPanel

RETRY_MS = 150


class HistoryView(QObject):
    def __init__(self, workspace: Workspace, dialogs: Dialogs, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.dialogs = dialogs
        self.panel = HistoryPanel()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RETRY_MS)
        self._timer.timeout.connect(self.refresh)
        workspace.imageShown.connect(lambda *_shown: self.refresh())
        workspace.imageCleared.connect(self.refresh)
        workspace.entryChanged.connect(self._on_entry_changed)
        workspace.maskChanged.connect(lambda *_box: self._timer.start())

    def _on_entry_changed(self, key: str) -> None:
        if not key or key == self.workspace.key:
            self.refresh()

    def refresh(self) -> None:
        project, key = self.workspace.project, self.workspace.key
        if project is None or key is None:
            self.panel.show_history(None, [])
            return
        if project.autosave_queue.is_pending(key):
            self._timer.start()  # its mask rows are written after the write: look again shortly
        try:
            records = project.history(key)
        except Exception as exc:  # a log that cannot be read must not break showing an image
            self.panel.show_history(key, [])
            self.panel.caption.setText(f"{key}: the history cannot be read ({exc})")
            return
        self.panel.show_history(key, records)

    def ask_user_name(self, current: str) -> str | None:
        """Ask for the name changes are recorded under; the cleaned name ("" for the OS user),
        or None when cancelled. It is in effect at once."""
        answer = self.dialogs.ask_reason(
            "Your name",
            f"The name the history records your changes under (now: {current or os_user()}).\n"
            f"Leave empty to use your login name ({os_user()}).",
        )
        if answer is None:
            return None
        name = clean_name(answer) or ""
        set_display_name(name)
        return name
