"""The open folder, the image on screen and its edit session.

Holds no widgets: the window shows what the signals say and routes the user's edits here.
The session's mask array is shared with the canvas; the session is the truth and autosaves.
"""

# ruff: noqa: N815 - Qt signal names are camelCase, as in Qt and the canvas contract

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from meddisseg_core.errors import ImageReadError, MedDisSegError
from meddisseg_studio.state import scoring
from meddisseg_studio.state.edits import MaskEdit
from meddisseg_studio.state.errors import StaleRecordError, StateLeasedError, StateLockedError
from meddisseg_studio.state.lease import Holder
from meddisseg_studio.state.lesions import DEFAULT_MIN_LESION_AREA
from meddisseg_studio.state.model import ImageEntry, Proposal, ReviewStatus
from meddisseg_studio.state.project import Project, state_dir_for
from meddisseg_studio.state.session import EditSession
from meddisseg_studio.state.store import quarantine_and_reset

from .errors import ErrorReporter, guarded

log = logging.getLogger(__name__)


class Workspace(QObject):
    projectOpened = Signal()
    # key, RGB image, mask (shared with the session), Proposal or None
    imageShown = Signal(str, object, object, object)
    imageCleared = Signal()
    # y0, x0, h, w of a mask region that changed
    maskChanged = Signal(int, int, int, int)
    # the MaskEdit that undo reverted / redo re-applied (after maskChanged)
    editUndone = Signal(object)
    editRedone = Signal(object)
    # the key of an entry whose status or scores changed ("" for many)
    entryChanged = Signal(str)
    message = Signal(str)
    # the project is about to close (another folder, the window closing): write what is being typed
    projectClosing = Signal()
    # why this window's lease on the folder was lost (emitted from the heartbeat thread)
    leaseLost = Signal(str)

    def __init__(self, errors: ErrorReporter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.errors = errors
        self.dialogs = errors.dialogs
        self.project: Project | None = None
        self.session: EditSession | None = None
        self.key: str | None = None
        self.proposal: Proposal | None = None
        # True while the mask is the thresholded proposal, untouched by hand: only then may a new
        # threshold rewrite it (it never overwrites manual work).
        self.mask_follows_proposal = False
        # Lesion counts of saved masks (image list) use this minimum area (Preferences).
        self.min_lesion_area = DEFAULT_MIN_LESION_AREA
        self._unsubscribe: Callable[[], None] | None = None
        self._pending_open: tuple[Path, Path | None] | None = None
        errors.rescue_save = self.choose_state_dir
        errors.quarantine = self._quarantine
        errors.record_conflict = self._reload_record
        self.leaseLost.connect(self._lease_lost)  # queued: the heartbeat thread emits it

    # -- project ------------------------------------------------------------------
    @guarded("open the folder")
    def open_folder(
        self,
        folder: Path | str,
        state_dir: Path | str | None = None,
        *,
        read_only: bool = False,
        take_over: Holder | None = None,
    ) -> None:
        folder = Path(folder)
        self._pending_open = (folder, Path(state_dir) if state_dir else None)
        reopening = self.project is not None and self.project.state_dir == state_dir_for(folder, state_dir)
        if reopening and not read_only:
            self.close_project()  # our own lease would refuse us
        try:
            project = Project.open(
                folder,
                state_dir=state_dir,
                read_only=read_only,
                min_lesion_area=self.min_lesion_area,
                take_over=take_over,
            )
        except StateLeasedError as exc:
            self._pending_open = None
            self._folder_leased(folder, state_dir, exc)
            return
        except StateLockedError as exc:  # in use elsewhere, not damaged: offer to look read-only
            self._pending_open = None
            if self.dialogs.confirm("Folder in use", str(exc), "Open read-only", "Cancel"):
                self.open_folder(folder, state_dir, read_only=True)
            return
        self._pending_open = None
        self.close_project()
        self.project = project
        self._unsubscribe = project.subscribe(self.entryChanged.emit)
        if project.lease is not None:
            project.lease.on_lost = self.leaseLost.emit
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

    def _folder_leased(self, folder: Path, state_dir: Path | str | None, exc: StateLeasedError) -> None:
        """Another open holds the folder: take a stale lease over, or look read-only (both asked)."""
        holder = exc.holder
        if exc.stale_reason is not None and holder is not None:
            question = (
                f"{holder.user} on {holder.host or 'an unknown computer'} opened this folder at "
                f"{holder.since} and seems to have stopped ({exc.stale_reason}).\n\nTake over? Everything "
                "it saved is kept. Should it still be running, its further changes are refused there "
                "and kept aside, never written over yours."
            )
            if self.dialogs.confirm("Take over the folder?", question, "Take over", "Open read-only"):
                self.open_folder(folder, state_dir, take_over=holder)
            else:
                self.open_folder(folder, state_dir, read_only=True)
            return
        if self.dialogs.confirm("Folder in use", str(exc), "Open read-only", "Cancel"):
            self.open_folder(folder, state_dir, read_only=True)

    def _lease_lost(self, why: str) -> None:
        if self.project is None or self.project.lease is None or self.project.lease.lost != why:
            return  # about a project closed since
        self.message.emit(f"This window no longer holds the folder: {why}")
        self.dialogs.info(
            "Folder taken over",
            f"{why}.\n\nThis window no longer holds {self.project.folder} for writing. Your changes to "
            "images the other copy has changed are refused and kept aside, never written over its work. "
            "Reopen the folder (read-only) to follow its work.",
        )

    def _reload_record(self, exc: StaleRecordError) -> list[Path]:
        """Another copy changed an image under us: show the stored version (ours was rescued).

        Returns the files that edits still queued for it were rescued to."""
        if self.project is None:
            return []
        rescued = self.project.reload(exc.key)
        if exc.key == self.key:
            self.session = None  # its edits are in the rescued files; never autosave them again
            self.show_image(exc.key)
        return rescued

    def close_project(self) -> None:
        if self.project is not None:
            self.projectClosing.emit()
        self.flush()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.session = None
        self.key = None
        self.proposal = None
        if self.project is not None:
            self.project.close()
        self.project = None

    def _quarantine(self, path: Path) -> None:
        try:
            moved = quarantine_and_reset(path)
        except MedDisSegError as moving:  # read-only folder, or not damaged after all
            self.errors.error("Cannot move the damaged file", str(moving))
            return
        self.message.emit(f"Moved the damaged file to {moved}")
        if self.project is None and self._pending_open is not None:
            self.open_folder(*self._pending_open)
        elif self.key is not None:
            self.show_image(self.key)

    def entry(self, key: str | None = None) -> ImageEntry | None:
        key = key or self.key
        if self.project is None or key is None:
            return None
        return self.project.entry(key)

    def shown_entry(self) -> ImageEntry | None:
        """The entry on screen with its agreement numbers for the mask as it is now.

        The stored Dice and edited fraction describe the mask at approval; once that mask is edited
        (status ``changed``), or before any approval, they are measured on the current mask against
        the proposal, so the Summary never shows an approval's 100 % for a mask that has moved on."""
        entry = self.entry()
        if entry is None or entry.status is ReviewStatus.APPROVED or self.session is None:
            return entry
        proposal = self.proposal
        mask = self.session.mask
        if proposal is None or proposal.shape != mask.shape:
            return replace(entry, proposal_dice=None, edited_fraction=None)
        proposed = proposal.binary_mask()
        return replace(
            entry,
            proposal_dice=scoring.dice(proposed, mask),
            edited_fraction=scoring.edited_fraction(proposed, mask),
        )

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
        # Always, even for the same key: the session is rebuilt from disk below, so every queued
        # autosave must be written first (else a newer edit would be replaced by an older file).
        flushed = self.flush()
        if not flushed and key == self.key and self.session is not None:
            # The edits of this image exist only in memory: keep its session rather than lose them.
            self._emit_shown(key)
            return True
        self.key = key
        try:
            self.project.load_image(key)
        except ImageReadError as exc:
            # Project.load_image recorded the reason in entry.error: the row shows it.
            self.session = None
            self.proposal = None
            self.imageCleared.emit()
            self.message.emit(f"Cannot show {key}: {exc.reason}")
            return False
        self.session = EditSession(self.project, key)
        self._emit_shown(key)
        return True

    def _emit_shown(self, key: str) -> None:
        assert self.project is not None and self.session is not None
        self.proposal = self.project.load_proposal(key)
        # Re-thresholding keeps an image "proposed", so the status alone says whether a person
        # has drawn on the mask.
        status = self.project.entry(key).status
        self.mask_follows_proposal = self.proposal is not None and status == ReviewStatus.PROPOSED
        self.imageShown.emit(key, self.project.load_image(key), self.session.mask, self.proposal)

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
            self.errors.report(exc, "save the mask")
        return self.session is None or not self.session.dirty

    # -- editing ------------------------------------------------------------------
    @guarded("save the edit")
    def apply_edit(self, edit: MaskEdit, tool: str = "edit") -> None:
        """A person's edit, made with ``tool`` (the audit log names it: brush, fill, box…)."""
        if self.session is None:
            return
        self.mask_follows_proposal = False
        try:
            self.session.apply(edit, tool=tool)
        finally:
            # Shown either way: the edit is in memory even when saving failed.
            h, w = edit.shape
            self.maskChanged.emit(edit.y0, edit.x0, h, w)

    def _undo_redo(self, name: str) -> None:
        if self.session is None:
            return
        try:
            edit = self.session.undo() if name == "undo" else self.session.redo()
        except Exception:
            # The mask changed in memory even if saving failed: redraw all of it, then report.
            self.maskChanged.emit(0, 0, *self.session.mask.shape)
            raise
        finally:
            self._follow_proposal_again()
        if edit is None:
            self.message.emit(f"Nothing to {name}")
            return
        h, w = edit.shape
        self.maskChanged.emit(edit.y0, edit.x0, h, w)
        (self.editUndone if name == "undo" else self.editRedone).emit(edit)

    def _follow_proposal_again(self) -> None:
        # Undone or reverted back to the proposal, the mask is the model's again: a new
        # threshold may rewrite it; away from it, it may not.
        entry = self.entry()
        self.mask_follows_proposal = (
            self.proposal is not None and entry is not None and entry.status is ReviewStatus.PROPOSED
        )

    @guarded("revert to the proposal")
    def revert_to_proposal(self) -> None:
        """Edit > Revert to proposal: the proposal's mask again, as one undoable step."""
        if self.session is None or self.key is None:
            return
        if self.session.proposal_mask() is None:
            self.message.emit(f"No proposal for {self.key} to revert to")
            return
        try:
            edit = self.session.revert_to_proposal()
        except Exception:
            self.maskChanged.emit(0, 0, *self.session.mask.shape)
            raise
        finally:
            self._follow_proposal_again()
        if edit is None:
            self.message.emit("The mask is the proposal already")
            return
        self.maskChanged.emit(edit.y0, edit.x0, *edit.shape)
        self.message.emit(f"Reverted {self.key} to the proposal (Ctrl+Z undoes it)")

    @guarded("undo")
    def undo(self) -> None:
        self._undo_redo("undo")

    @guarded("redo")
    def redo(self) -> None:
        self._undo_redo("redo")

    @guarded("re-threshold the proposal")
    def rethreshold(self, threshold: float) -> None:
        """Re-threshold the current proposal, unless a person has drawn on the mask.

        The threshold itself belongs to the proposals controller; this only writes the mask and
        records in the stored proposal the threshold its mask was made at.
        """
        if self.project is None or self.proposal is None or self.session is None or self.key is None:
            return
        if not self.mask_follows_proposal:
            self.message.emit("The mask was edited by hand: the new threshold applies to new proposals only")
            return
        if threshold == self.proposal.threshold:
            return
        self.proposal = replace(self.proposal, threshold=float(threshold))
        self.project.save_proposal(self.key, self.proposal, record=False)  # the same model's proposal
        try:
            edit = self.session.set_from_proposal(self.proposal.probability, self.proposal.threshold)
        finally:
            self.maskChanged.emit(0, 0, *self.session.mask.shape)
        self.message.emit(f"Threshold {threshold:.2f}" + ("" if edit is not None else " (mask unchanged)"))

    def proposal_saved(self, key: str) -> None:
        """A new proposal for ``key`` is stored: if it is on screen, show it without losing an edit."""
        if key == self.key:
            self.show_image(key)
