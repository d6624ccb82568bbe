"""Editing one image's mask: undo/redo and autosave after every edit, each step in the audit log.

Every committed step (a stroke, an operation, an undo, a redo, a revert) gets one ``mask`` row
in the audit log naming the tool and the mask's sha256. In the background mode the hash and the
row are made off the GUI thread, by the autosave queue's notes thread, from the snapshot the
step left: strokes coalesced into one write still get one row each.
"""

from __future__ import annotations

import weakref
from pathlib import Path

import numpy as np

from meddisseg_studio.state.audit import utc_now
from meddisseg_studio.state.edits import MaskEdit, diff_edit
from meddisseg_studio.state.errors import SaveError
from meddisseg_studio.state.project import Project
from meddisseg_studio.state.review import after_change, why
from meddisseg_studio.state.store import StateStore
from meddisseg_studio.state.undo import UndoStack

# Steps that only re-thresholded the proposal (the model's mask, nobody's work): undoing or redoing
# one keeps the status as it is, as the step itself did. Weak: they go with their undo stack.
_THRESHOLD_STEPS: weakref.WeakSet[MaskEdit] = weakref.WeakSet()


class EditSession:
    """The working mask of one image (H×W uint8 0/1, shared with the canvas).

    Every change is autosaved. With ``background=True`` (the default, for the GUI) the PNG is
    encoded and written by the project's :class:`AutosaveQueue`; a failure then surfaces as
    :class:`SaveError` from the next edit, :meth:`save` or :meth:`flush`. With
    ``background=False`` the write happens inside :meth:`apply`. Either way a failed save
    keeps the edit in memory and ``dirty`` True.
    """

    def __init__(
        self, project: Project, key: str, *, background: bool = True, shape: tuple[int, int] | None = None
    ) -> None:
        self.project = project
        self.key = key
        self.entry = project.entry(key)
        self.background = background
        mask = project.current_mask(key)
        if mask is None:
            mask = np.zeros(shape if shape is not None else project.image_shape(key), np.uint8)
        self.mask: np.ndarray = np.ascontiguousarray(mask, dtype=np.uint8)
        self.undo_stack: UndoStack = project.undo_history.stack(key)
        self._generation = project.next_generation()
        self._saved_generation = self._generation  # what is on disk (or derived) is not an unsaved edit
        self.saved_elsewhere: Path | None = None
        self._sync_error: SaveError | None = None
        self._proposal_mask: np.ndarray | bool | None = False  # False: not loaded yet

    # -- state ------------------------------------------------------------------------------
    @property
    def generation(self) -> int:
        """Grows with every change of the mask; autosave callbacks report the one they wrote."""
        return self._generation

    @property
    def can_undo(self) -> bool:
        return self.undo_stack.can_undo

    @property
    def can_redo(self) -> bool:
        return self.undo_stack.can_redo

    @property
    def dirty(self) -> bool:
        """True while the mask on screen differs from every completed save of it."""
        saved = self._saved_generation
        if self.background:
            saved = max(saved, self.project.autosave_queue.saved_generation(self.key))
        return saved < self._generation

    @property
    def save_error(self) -> SaveError | None:
        """The failure of the latest background save, if it failed."""
        return self.project.autosave_queue.error(self.key) if self.background else self._sync_error

    # -- editing ----------------------------------------------------------------------------
    def apply(self, edit: MaskEdit, *, manual: bool = True, tool: str = "edit") -> None:
        """Apply and record ``edit``, autosave (SaveError if that fails).

        A ``manual`` edit (a person drew it) marks a new or proposed image as edited; a
        re-thresholded proposal is still the model's mask, so it does not. ``tool`` names what
        made the edit in the audit log (brush, eraser, polygon, lasso, fill, an operation, or
        a prompt such as box or click).
        """
        edit.apply_to(self.mask)
        self.undo_stack.push(edit)
        self._changed(mark_edited=manual, tool=tool)

    def undo(self) -> MaskEdit | None:
        """Revert the latest edit; returns it (its rectangle needs a redraw) or None.

        Undoing back to the proposal makes the image ``proposed`` again.
        """
        edit = self.undo_stack.pop_undo()
        if edit is not None:
            edit.revert_on(self.mask)
            self._changed(mark_edited=False, tool="undo", check_proposal=edit not in _THRESHOLD_STEPS)
        return edit

    def redo(self) -> MaskEdit | None:
        edit = self.undo_stack.pop_redo()
        if edit is not None:
            edit.apply_to(self.mask)
            self._changed(mark_edited=False, tool="redo", check_proposal=edit not in _THRESHOLD_STEPS)
        return edit

    def set_from_proposal(self, probability: np.ndarray, threshold: float) -> MaskEdit | None:
        """Replace the mask by ``probability > threshold`` as one undoable edit (not a manual one)."""
        if probability.shape != self.mask.shape:
            raise ValueError(f"proposal shape {probability.shape} differs from mask {self.mask.shape}")
        proposed = (probability > threshold).astype(np.uint8)
        self._proposal_mask = proposed
        edit = diff_edit(self.mask, proposed)
        if edit is not None:
            edit.apply_to(self.mask)
            self.undo_stack.push(edit)
            _THRESHOLD_STEPS.add(edit)
            self._changed(mark_edited=False, tool="threshold", check_proposal=True)
        return edit

    # -- the proposal -----------------------------------------------------------------------
    def proposal_mask(self) -> np.ndarray | None:
        """The stored proposal thresholded at its threshold (None without one of this size)."""
        if self._proposal_mask is False:
            proposal = self.project.load_proposal(self.key)
            fits = proposal is not None and proposal.shape == self.mask.shape
            self._proposal_mask = proposal.binary_mask() if fits and proposal is not None else None
        return self._proposal_mask if isinstance(self._proposal_mask, np.ndarray) else None

    def revert_to_proposal(self) -> MaskEdit | None:
        """Make the mask the proposal again, as ONE undoable step; None if it is already (or
        there is no proposal: see :meth:`proposal_mask`). The image becomes ``proposed`` again
        (a rejected one stays rejected)."""
        proposed = self.proposal_mask()
        if proposed is None:
            return None
        edit = diff_edit(self.mask, proposed)
        if edit is not None:
            edit.apply_to(self.mask)
            self.undo_stack.push(edit)
            self._changed(mark_edited=False, tool="revert", check_proposal=True)
        return edit

    def _changed(self, *, mark_edited: bool, tool: str, check_proposal: bool = False) -> None:
        self._generation = self.project.next_generation()
        errors: list[SaveError] = []
        matches: bool | None = None
        if check_proposal:  # a full comparison: only for undo, redo and revert, never per stroke
            proposed = self.proposal_mask()
            matches = None if proposed is None else bool(np.array_equal(proposed, self.mask))
        status = after_change(self.entry.status, manual=mark_edited, matches_proposal=matches)
        if status is not self.entry.status:
            try:
                self.project.set_status(self.key, status, note=why(status))
            except SaveError as exc:
                errors.append(exc)
        # After the status: the step's mask row follows its status row in the log, whether the
        # row is written here or (background) by the autosave thread.
        try:
            self._autosave(tool)
        except SaveError as exc:
            errors.insert(0, exc)
        if errors:
            raise errors[0]

    # -- saving -----------------------------------------------------------------------------
    def _autosave(self, tool: str) -> None:
        at = utc_now()
        if not self.background:
            try:
                self._write_now()
            finally:
                self.project.record_mask(self.key, self.mask, tool, at)
            return
        queue = self.project.autosave_queue
        previous_error = queue.error(self.key)

        def note(key: str, snapshot: np.ndarray) -> None:
            self.project.record_mask(key, snapshot, tool, at)

        queue.submit(self.key, self._generation, self.mask.copy(), self.project.save_mask, note=note)
        if previous_error is not None:
            raise previous_error

    def _write_now(self) -> Path:
        generation = self._generation
        try:
            path = self.project.save_mask(self.key, self.mask)
        except SaveError as exc:
            self._sync_error = exc
            raise
        self._sync_error = None
        self._saved_generation = max(self._saved_generation, generation)
        return path

    def flush(self, timeout: float | None = None) -> None:
        """Wait for queued autosaves; SaveError if the latest one failed."""
        if self.background:
            self.project.autosave_queue.flush(timeout)
            error = self.project.autosave_queue.error(self.key)
            if error is not None and self.dirty:
                raise error

    def save(self) -> Path:
        """Write the mask now, waiting for queued autosaves first; SaveError on failure."""
        if self.background:
            self.project.autosave_queue.flush()
        return self._write_now()

    def save_to(self, state_dir: Path | str) -> Path:
        """Save the mask, this image's status, findings and comment (and the findings schema) into
        another state folder (for a read-only project).

        ``Project.open(folder, state_dir=...)`` then continues from there. The mask counts as
        saved (``dirty`` False) until the next edit.
        """
        store = StateStore(Path(state_dir), user=self.project.store.user)
        try:
            # A copy, whatever that folder held for this image: not a change of its record there.
            store.commit(self.entry, mask=self.mask, force=True)
            path = store.mask_path(self.key)
            self.project.findings.copy_to(store, Path(state_dir), self.key)
        finally:
            store.close()
        self._saved_generation = max(self._saved_generation, self._generation)
        self.saved_elsewhere = path
        return path
