"""The Qt-side controller: project, current image, edit session, review.

It holds no widgets. The window wires panels to its signals and calls its slots; every
slot that the user can trigger runs behind :func:`guarded`, so an error becomes a message
instead of a crash. Model and export jobs live in :mod:`controller_jobs`.
"""

# ruff: noqa: N815 - Qt signal names are camelCase, as in Qt and the canvas contract

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from meddisseg_core.errors import ImageReadError, MedDisSegError

from .controller_guard import guarded, report
from .state.edits import MaskEdit
from .state.errors import StateLockedError
from .state.model import ReviewStatus
from .state.project import Project
from .state.reject_reasons import DEFAULT_REJECT_REASONS
from .state.session import EditSession
from .state.store import quarantine_and_reset
from .widgets.dialogs import Dialogs

log = logging.getLogger(__name__)


class StudioController(QObject):
    projectOpened = Signal()
    # key, RGB image, mask (shared with the session), proposal or None
    imageShown = Signal(str, object, object, object)
    imageCleared = Signal()
    # y0, x0, h, w of a mask region that changed
    maskChanged = Signal(int, int, int, int)
    entryChanged = Signal(str)
    message = Signal(str)

    def __init__(self, dialogs: Dialogs, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dialogs = dialogs
        self.project: Any | None = None
        self.session: Any | None = None
        self.key: str | None = None
        self.proposal: Any | None = None
        # True while the mask is the thresholded proposal, untouched by hand: only then does
        # the threshold slider rewrite it (it never overwrites manual work).
        self.mask_follows_proposal = False
        self.last_error: tuple[str, str] | None = None
        # The reject pick-list (the window sets the configured one; "other…" is always added).
        self.reject_reasons: tuple[str, ...] = DEFAULT_REJECT_REASONS

    # -- error sink (see controller_guard) -----------------------------------------
    def on_error(self, title: str, text: str) -> None:
        self.last_error = (title, text)
        self.message.emit(text.splitlines()[0])
        self.dialogs.error(title, text)

    def on_save_error(self, exc: Exception) -> None:
        self.last_error = ("Cannot save", str(exc))
        self.message.emit(f"NOT SAVED: {exc}")
        text = (
            f"{exc}\n\nYour edits are kept in memory but are not on disk. The folder may be read-only "
            "or the disk full. Choose another folder to keep the annotation state in?"
        )
        if self.dialogs.confirm("Cannot save", text, "Choose another folder…", "Not now"):
            self.choose_state_dir()

    def on_corrupt_state(self, exc: Exception) -> None:
        self.last_error = ("Damaged state", str(exc))
        self.message.emit(f"Damaged state: {exc}")
        path = getattr(exc, "path", None)
        text = (
            f"{exc}\n\nThe damaged file is left untouched. Move it to a quarantine folder and start "
            "fresh state for it? (Nothing is deleted.)"
        )
        if path is not None and self.dialogs.confirm("Damaged state", text, "Quarantine", "Leave it"):
            try:
                moved = quarantine_and_reset(path)
            except MedDisSegError as moving:  # read-only folder, or not damaged after all
                self.on_error("Cannot move the damaged file", str(moving))
                return
            self.message.emit(f"Moved the damaged file to {moved}")
            if self.project is None and self._pending_open is not None:
                self.open_folder(*self._pending_open)
            elif self.key is not None:
                self.show_image(self.key)

    _pending_open: tuple[Path, Path | None] | None = None

    # -- project ------------------------------------------------------------------
    @guarded("open the folder")
    def open_folder(
        self, folder: Path | str, state_dir: Path | str | None = None, *, read_only: bool = False
    ) -> None:
        folder = Path(folder)
        self._pending_open = (folder, Path(state_dir) if state_dir else None)
        try:
            project = Project.open(folder, state_dir=state_dir, read_only=read_only)
        except StateLockedError as exc:  # in use elsewhere, not damaged: offer to look read-only
            self._pending_open = None
            if self.dialogs.confirm("Folder in use", str(exc), "Open read-only", "Cancel"):
                self.open_folder(folder, state_dir, read_only=True)
            return
        self._pending_open = None
        self.close_project()
        self.project = project
        subscribe = getattr(project, "subscribe", None)
        if subscribe is not None:
            subscribe(self._on_project_event)
        self.message.emit(f"Opened {folder} with {len(project.entries)} image(s)")
        if read_only:
            self.message.emit(f"Opened {folder} read-only: edits and reviews are not saved")
        elif project.read_only:
            self.dialogs.info(
                "Read-only state folder",
                f"{project.state_dir} cannot be written ({project.read_only_reason}).\n\nYou can look, "
                "but edits and reviews cannot be saved there. Use File > Save state elsewhere "
                "(Ctrl+Shift+S) to keep them in another folder.",
            )
        self.projectOpened.emit()
        if project.entries:
            self.show_next_readable(None)
        else:
            self.imageCleared.emit()

    def close_project(self) -> None:
        self.flush()
        self.session = None
        self.key = None
        self.proposal = None
        close = getattr(self.project, "close", None)
        if close is not None:
            close()
        self.project = None

    def _on_project_event(self, *args: Any) -> None:
        # Subscribers get the changed key (or nothing for bulk changes); the list repaints it.
        key = next((a for a in args if isinstance(a, str)), None)
        self.entryChanged.emit(key or "")

    def entry(self, key: str | None = None) -> Any | None:
        key = key or self.key
        if self.project is None or key is None:
            return None
        return self.project.entry(key)

    @guarded("choose another state folder")
    def choose_state_dir(self) -> None:
        if self.project is None:
            return
        chosen = self.dialogs.choose_folder("Keep the annotation state in…")
        if chosen is None:
            return
        folder, key, session = self.project_folder(), self.key, self.session
        if session is not None:
            # The edits that could not be written go to the new folder first, then we continue there.
            session.save_to(chosen)
        self.session = None
        self.open_folder(folder, chosen)
        if self.project is not None and key is not None:
            self.show_image(key)
            self.message.emit(f"Annotation state is now kept in {chosen}")

    def project_folder(self) -> Path:
        assert self.project is not None
        return Path(self.project.folder)

    # -- current image ------------------------------------------------------------
    @guarded("show the image")
    def show_image(self, key: str) -> bool:
        """Show ``key``; an unreadable image is marked (row, status bar), not a dialog. True if shown."""
        if self.project is None:
            return False
        if key != self.key:
            self.flush()
        self.key = key
        try:
            image = self.project.load_image(key)
        except ImageReadError as exc:
            # Project.load_image recorded the reason in entry.error: the row shows it.
            self.session = None
            self.proposal = None
            self.imageCleared.emit()
            self.entryChanged.emit(key)
            self.message.emit(f"Cannot show {key}: {exc.reason}")
            return False
        self.session = EditSession(self.project, key)
        self.proposal = self.project.load_proposal(key)
        status = self.project.entry(key).status
        # Re-thresholding keeps an image "proposed", so the status alone says whether a person
        # has drawn on the mask.
        self.mask_follows_proposal = self.proposal is not None and status == ReviewStatus.PROPOSED
        self.imageShown.emit(key, image, self.session.mask, self.proposal)
        return True

    def show_next_readable(self, after: str | None, tries: int = 50) -> None:
        """Show the next unreviewed image, skipping (and marking) unreadable ones on the way."""
        assert self.project is not None
        for _ in range(tries):
            key = self.project.next_unreviewed(after)
            if key is None:
                self.message.emit("Every image is reviewed")
                return
            if self.show_image(key):
                return
            after = key

    def flush(self) -> bool:
        """Make sure the current session's edits are on disk (close, image switch). True if they are."""
        session = self.session
        if session is None or not session.dirty:
            return True
        try:
            session.flush()
        except Exception as exc:
            report(self, exc, "save the mask")
        return self.session is None or not self.session.dirty

    # -- editing ------------------------------------------------------------------
    @guarded("save the edit")
    def apply_edit(self, edit: MaskEdit) -> None:
        if self.session is None:
            return
        self.mask_follows_proposal = False
        try:
            self.session.apply(edit)
        finally:
            # Shown either way: the edit is in memory even when saving failed.
            h, w = edit.shape
            self.maskChanged.emit(edit.y0, edit.x0, h, w)

    def _undo_redo(self, name: str) -> None:
        if self.session is None:
            return
        try:
            edit = getattr(self.session, name)()
        except Exception:
            # The mask changed in memory even if saving failed: redraw all of it, then report.
            self.maskChanged.emit(0, 0, *self.session.mask.shape)
            raise
        if edit is None:
            self.message.emit(f"Nothing to {name}")
            return
        h, w = edit.shape
        self.maskChanged.emit(edit.y0, edit.x0, h, w)

    @guarded("undo")
    def undo(self) -> None:
        self._undo_redo("undo")

    @guarded("redo")
    def redo(self) -> None:
        self._undo_redo("redo")

    @guarded("re-threshold the proposal")
    def set_threshold(self, threshold: float) -> None:
        if self.proposal is None or self.session is None or self.key is None:
            return
        if not self.mask_follows_proposal:
            self.message.emit("The mask was edited by hand: the new threshold applies to new proposals only")
            return
        self.proposal = replace(self.proposal, threshold=float(threshold))
        self.project.save_proposal(self.key, self.proposal)
        try:
            edit = self.session.set_from_proposal(self.proposal.probability, self.proposal.threshold)
        finally:
            self.maskChanged.emit(0, 0, *self.session.mask.shape)
        self.message.emit(f"Threshold {threshold:.2f}" + ("" if edit is not None else " (mask unchanged)"))

    # -- review -------------------------------------------------------------------
    @guarded("approve")
    def approve(self) -> None:
        if self.project is None or self.key is None or self.session is None:
            return
        self.flush()
        self.project.approve(self.key)
        self.entryChanged.emit(self.key)
        self.message.emit(f"Approved {self.key}")
        self.next_unreviewed()

    @guarded("reject")
    def reject(self) -> None:
        if self.project is None or self.key is None:
            return
        reason = self.dialogs.ask_reject_reason(self.key, self.reject_reasons)
        if reason is None:
            return
        self.project.set_status(self.key, ReviewStatus.REJECTED, reason=reason or None)
        self.entryChanged.emit(self.key)
        self.message.emit(f"Rejected {self.key}: {reason}")
        self.next_unreviewed()

    @guarded("go to the next unreviewed image")
    def next_unreviewed(self) -> None:
        if self.project is None:
            return
        self.show_next_readable(self.key)

    @guarded("go to the most uncertain image")
    def next_uncertain(self) -> None:
        if self.project is None:
            return
        queue = [k for k in self.project.review_queue() if k != self.key]
        if not queue:
            self.message.emit("The review queue is empty")
            return
        self.show_image(queue[0])
