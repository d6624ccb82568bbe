"""Review: approve, reject, and the navigation between images that still need a look.

"Needs a look" is ``not status.reviewed``: new, proposed, edited, and "changed after approval"
(``ReviewStatus.CHANGED``: an approved mask edited since, whose approval no longer holds).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from meddisseg_studio.state.model import ReviewStatus
from meddisseg_studio.state.reject_reasons import DEFAULT_REJECT_REASONS

from .errors import guarded
from .workspace import Workspace


class ReviewController(QObject):
    message = Signal(str)

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.errors = workspace.errors
        # The reject pick-list (the window sets Preferences.reject_reasons; "other…" is always added).
        self.reject_reasons: tuple[str, ...] = DEFAULT_REJECT_REASONS

    @guarded("approve")
    def approve(self) -> None:
        ws = self.workspace
        if ws.project is None or ws.key is None or ws.session is None:
            return
        ws.flush()
        ws.project.approve(ws.key)
        self.message.emit(f"Approved {ws.key}")
        ws.show_next_readable(ws.key)

    @guarded("reject")
    def reject(self) -> None:
        ws = self.workspace
        if ws.project is None or ws.key is None:
            return
        reason = ws.dialogs.ask_reject_reason(ws.key, self.reject_reasons)
        if reason is None:
            return
        ws.project.set_status(ws.key, ReviewStatus.REJECTED, reason=reason or None)
        self.message.emit(f"Rejected {ws.key}: {reason}")
        ws.show_next_readable(ws.key)

    @guarded("go to the next unreviewed image")
    def next_unreviewed(self) -> None:
        if self.workspace.project is not None:
            self.workspace.show_next_readable(self.workspace.key)

    @guarded("go to the most uncertain image")
    def next_uncertain(self) -> None:
        ws = self.workspace
        if ws.project is None:
            return
        queue = [k for k in ws.project.review_queue() if k != ws.key]
        if not queue:
            self.message.emit("The review queue is empty")
            return
        ws.show_image(queue[0])
