"""A review project: the images of a folder and their review state."""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import tempfile
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from meddisseg_core.errors import DatasetError, ImageReadError
from meddisseg_core.imageio import to_model_uint8
from meddisseg_studio.state import audit, codec, scoring
from meddisseg_studio.state.audit import AuditEvent, AuditRecord, mask_sha256
from meddisseg_studio.state.autosave import AutosaveQueue
from meddisseg_studio.state.errors import SaveError, StaleRecordError, UnknownImageError
from meddisseg_studio.state.findings import FindingsBook
from meddisseg_studio.state.identity import current_user
from meddisseg_studio.state.lease import Holder, Lease
from meddisseg_studio.state.lesions import DEFAULT_MIN_LESION_AREA, count_lesions
from meddisseg_studio.state.listing import FolderLayout, label_for, list_images, list_labels
from meddisseg_studio.state.model import ImageEntry, Proposal, ReviewStatus, Summary
from meddisseg_studio.state.store import StateStore, empty_row, entry_from_row
from meddisseg_studio.state.undo import UndoHistory

STATE_DIR_NAME = ".meddisseg-studio"
READ_ONLY_ON_REQUEST = "opened read-only on request"
_log = logging.getLogger(__name__)
Listener = Callable[[str], None]


def state_dir_for(folder: Path | str, state_dir: Path | str | None = None) -> Path:
    """The state folder ``Project.open(folder, state_dir)`` uses (resolved)."""
    if state_dir is not None:
        return Path(state_dir).expanduser().resolve()
    return Path(folder).expanduser().resolve() / STATE_DIR_NAME


def probe_writable(state_dir: Path) -> str | None:
    """None if ``state_dir`` can be created and written, else why not (for the user).

    os.access alone lies on some network shares and for root, so a real file is written too.
    """
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"cannot create {state_dir}: {exc.strerror or exc}"
    if not os.access(state_dir, os.W_OK):
        return f"{state_dir} is not writable"
    try:
        fd, name = tempfile.mkstemp(prefix=".probe-", suffix=".tmp", dir=state_dir)
        try:
            os.write(fd, b"probe")
            os.fsync(fd)
        finally:
            os.close(fd)
            os.unlink(name)
    except OSError as exc:
        return f"cannot write in {state_dir}: {exc.strerror or exc}"
    return None


@dataclass(frozen=True)
class PreparedProposal:
    """A proposal already written to its file, waiting to be recorded in the entry."""

    key: str
    model_id: str
    uncertainty: float
    threshold: float = 0.5
    mask_sha256: str | None = None  # of the proposal thresholded at ``threshold`` (the audit log)


class Project:
    """Images of one folder, their masks, proposals and review status. No Qt.

    Build with :meth:`open`. Listeners registered with :meth:`subscribe` are called with the
    key of every entry that changes, on the thread that made the change.
    """

    def __init__(
        self,
        layout: FolderLayout,
        state_dir: Path,
        store: StateStore,
        entries: list[ImageEntry],
        read_only_reason: str | None,
        max_pixels: int,
        min_lesion_area: int = DEFAULT_MIN_LESION_AREA,
        lease: Lease | None = None,
    ) -> None:
        self.layout = layout
        self.folder = layout.folder
        self.state_dir = state_dir
        self.store = store
        self.entries = entries
        self.read_only_reason = read_only_reason
        self.max_pixels = max_pixels
        # Lesion counts of saved masks use this minimum area (the app passes its preference).
        self.min_lesion_area = min_lesion_area
        self.undo_history = UndoHistory()
        self._by_key = {e.key: e for e in entries}
        self._listeners: list[Listener] = []
        self._autosave: AutosaveQueue | None = None
        self._generations = itertools.count(1)
        self._image_cache: tuple[str, np.ndarray] | None = None
        # Who the audit log names: None means identity.current_user() at each change.
        self.user_name: str | None = None
        # The writer's lease (None when read-only); let go on close, or when this object is dropped.
        self.lease = lease
        self._let_go = weakref.finalize(self, lease.release) if lease is not None else None
        # Made now, not on first use: the export worker and the GUI thread both read it.
        self.findings = FindingsBook(store, state_dir, self.user)

    @classmethod
    def open(
        cls,
        folder: Path | str,
        state_dir: Path | str | None = None,
        *,
        max_pixels: int = codec.DEFAULT_MAX_PIXELS,
        read_only: bool = False,
        lock_timeout: float | None = None,
        min_lesion_area: int = DEFAULT_MIN_LESION_AREA,
        user: str | None = None,
        take_over: Holder | Literal["stale"] | None = None,
    ) -> Project:
        """List the folder's images (no decoding) and load their state.

        Raises StateCorruptError only for a damaged database (left untouched),
        StateLockedError when another program holds it for more than ``lock_timeout`` seconds
        (default ``database.LOCK_TIMEOUT_S``)
        (open again with ``read_only=True`` to look), StateUnavailableError when it cannot be
        opened here, and DatasetError when ``folder`` is not a folder. A state folder that
        cannot be written opens read-only (``mode=ro``): ``read_only`` is True,
        ``read_only_reason`` says why, and edits stay in memory. ``read_only=True`` asks for
        that whatever the folder allows, and writes nothing at all there. Stored lesion counts
        made with another ``min_lesion_area`` are not shown (``entry.lesions`` None) until the
        mask is saved again.

        A writable open takes the folder's writer lease (:mod:`.lease`, ``user`` names us, default
        the OS user): while another open holds it, StateLeasedError names the holder (a subclass
        of StateLockedError, so read-only is offered the same way). ``take_over``: the holder of a
        stale lease, as that error gave it, to take the folder over (ask the user first), or
        ``"stale"`` for whichever lease is stale now (a script restarting after its own crash). A
        read-only open takes no lease.
        """
        folder = Path(folder).expanduser().resolve()
        if not folder.is_dir():
            raise DatasetError(f"{folder}: not a folder")
        state = state_dir_for(folder, state_dir)
        reason = READ_ONLY_ON_REQUEST if read_only else probe_writable(state)
        lease = Lease.acquire(state, user=user, take_over=take_over) if reason is None else None
        try:
            project = cls._load(folder, state, reason, lease, user, lock_timeout, max_pixels, min_lesion_area)
        except BaseException:
            if lease is not None:
                lease.release()
            raise
        return project

    @classmethod
    def _load(
        cls,
        folder: Path,
        state: Path,
        reason: str | None,
        lease: Lease | None,
        user: str | None,
        lock_timeout: float | None,
        max_pixels: int,
        min_lesion_area: int,
    ) -> Project:
        store = StateStore(state, read_only=reason is not None, lock_timeout=lock_timeout, user=user)
        layout = FolderLayout.detect(folder)
        labels = list_labels(layout)
        rows = store.load_rows()
        entries = []
        for key, path, error in list_images(layout, skip=frozenset({state})):
            entry = ImageEntry(key=key, path=path, label_path=label_for(labels, key))
            row = rows.get(key)
            if row is not None:
                entry_from_row(entry, row)
                if entry.lesion_min_area != min_lesion_area:
                    entry.lesions = None
            if error is not None:  # what the listing sees now beats what was stored
                entry.error = error
            entries.append(entry)
        store.remove_stale_temp_files()
        return cls(layout, state, store, entries, reason, max_pixels, min_lesion_area, lease)

    # -- lookup -----------------------------------------------------------------------------
    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    def entry(self, key: str) -> ImageEntry:
        try:
            return self._by_key[key]
        except KeyError:
            raise UnknownImageError(key) from None

    def keys(self) -> list[str]:
        return [e.key for e in self.entries]

    def __len__(self) -> int:
        return len(self.entries)

    # -- listeners --------------------------------------------------------------------------
    def subscribe(self, callback: Listener) -> Callable[[], None]:
        """Call ``callback(key)`` on every change; returns a function that unsubscribes."""
        self._listeners.append(callback)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(callback)

        return unsubscribe

    def _notify(self, key: str) -> None:
        for callback in list(self._listeners):
            try:
                callback(key)
            except Exception:  # a broken listener must not undo a saved change
                _log.exception("project listener failed for %s", key)

    def _persist(
        self,
        entry: ImageEntry,
        previous: dict[str, object],
        events: tuple[AuditEvent, ...] = (),
        **files: object,
    ) -> None:
        """Commit ``entry`` (with ``mask=``, ``columns=``: see ``StateStore.commit``) and its audit
        ``events`` in one transaction; on failure its fields go back to ``previous`` and SaveError
        (StaleRecordError) is raised."""
        if events and self._autosave is not None:
            # The mask rows of earlier edit steps (made off the GUI thread) first: the log of an
            # image lists its steps in order. Rarely a wait: a status changes far less often.
            self._autosave.flush_notes(entry.key)
        try:
            self.store.commit(entry, events=events, **files)  # type: ignore[arg-type]
        except SaveError:
            for name, value in previous.items():
                setattr(entry, name, value)
            raise
        self._notify(entry.key)

    # -- audit log --------------------------------------------------------------------------
    def user(self) -> str:
        """The name the next change is recorded under."""
        return self.user_name or current_user()

    def event(self, action: str, key: str | None, **details: object) -> AuditEvent:
        """An audit event of ``key`` (None: the whole folder) by :meth:`user`, now."""
        return AuditEvent(action, key, details, self.user())

    def record(self, *events: AuditEvent) -> None:
        """Append ``events`` to the audit log (nothing for a read-only project); SaveError on failure."""
        if events and not self.read_only:
            self.store.append_audit(events)

    def record_quietly(self, *events: AuditEvent) -> None:
        """:meth:`record` for work that is done already (an export written): a failure is logged."""
        try:
            self.record(*events)
        except SaveError as exc:
            _log.warning("audit log not written (%s): %s", ", ".join(e.action for e in events), exc)

    def record_mask(self, key: str, mask: np.ndarray, tool: str, time: str | None = None) -> None:
        """Record that ``tool`` made ``key``'s mask ``mask`` (at ``time``, default now); runs on the
        autosave thread too, so the hash is computed off the GUI thread. Failures are logged."""
        event = self.event(audit.MASK, key, tool=tool, mask_sha256=mask_sha256(mask), shape=list(mask.shape))
        if time is not None:
            event = AuditEvent(event.action, event.image, event.details, event.user, time)
        self.record_quietly(event)

    def flush_records(self, timeout: float | None = None) -> bool:
        """Wait until queued autosaves and the audit rows of edit steps are written; False on timeout."""
        return self._autosave.flush(timeout) if self._autosave is not None else True

    def history(
        self, key: str | object | None = audit.ALL, actions: tuple[str, ...] | None = None
    ) -> list[AuditRecord]:
        """The audit log in order: all of it, one image's (its key) or the folder's own (None);
        only the rows of ``actions`` when given."""
        return self.store.audit_rows(key, actions)

    # -- pixels -----------------------------------------------------------------------------
    def load_image(self, key: str) -> np.ndarray:
        """RGB uint8 for display. A failure is recorded in ``entry.error`` and re-raised."""
        entry = self.entry(key)
        if self._image_cache is not None and self._image_cache[0] == key:
            return self._image_cache[1]
        try:
            rgb = codec.to_display_rgb(codec.read_image(entry.path, self.max_pixels))
        except ImageReadError as exc:
            self._record_error(entry, str(exc))
            raise
        if entry.error is not None:
            self._record_error(entry, None)
        self._image_cache = (key, rgb)
        return rgb

    def load_model_input(self, key: str) -> np.ndarray:
        """The image as the model sees it: RGB uint8 by ``imageio.to_model_uint8`` (16-bit / 257).

        Never the display image (whose 16-bit contrast is a view setting), so a proposal made
        here equals ``meddisseg predict``'s. Safe on a worker thread: nothing is cached or
        recorded; an unreadable file raises ImageReadError.
        """
        return to_model_uint8(codec.read_image(self.entry(key).path, self.max_pixels))

    def _record_error(self, entry: ImageEntry, message: str | None) -> None:
        entry.error = message
        if not self.read_only:
            try:
                self.store.save_entry(entry, rescue=False)  # housekeeping: never worth a rescued file
            except SaveError:
                _log.warning("could not record the error of %s", entry.key)
        self._notify(entry.key)

    def image_shape(self, key: str) -> tuple[int, int]:
        rgb = self.load_image(key)
        return (int(rgb.shape[0]), int(rgb.shape[1]))

    def load_label(self, key: str) -> np.ndarray | None:
        """The starting label from the authors' masks/ folder, as H×W uint8 0/1, or None."""
        entry = self.entry(key)
        return codec.read_label(entry.label_path) if entry.label_path is not None else None

    def load_mask(self, key: str) -> np.ndarray | None:
        """The saved mask, else the starting label, as H×W uint8 0/1; None if neither exists."""
        self.entry(key)
        mask = self.store.read_mask(key)
        return mask if mask is not None else self.load_label(key)

    def current_mask(self, key: str) -> np.ndarray | None:
        """What the reviewer sees: the saved mask, else the label, else the thresholded proposal."""
        mask = self.load_mask(key)
        if mask is None:
            proposal = self.load_proposal(key)
            mask = proposal.binary_mask() if proposal is not None else None
        return mask

    def save_mask(self, key: str, mask: np.ndarray) -> Path:
        """Write the mask now (atomic) with its lesion count, as one versioned change of the record.

        SaveError if it cannot be written, StaleRecordError (the mask then kept under
        ``rescued/``) if another copy changed the record since this one read it. Runs on the
        autosave thread too: the count is computed there, off the GUI.
        """
        entry = self.entry(key)
        previous = {"lesions": entry.lesions, "lesion_min_area": entry.lesion_min_area}
        try:
            entry.lesions = count_lesions(mask, self.min_lesion_area)
            entry.lesion_min_area = self.min_lesion_area
        except ValueError as exc:  # the mask is still saved; only its count is unknown
            _log.warning("lesion count of %s not recorded: %s", key, exc)
        self._persist(entry, previous, mask=mask, columns=("lesions", "lesion_min_area"))
        return self.store.mask_path(key)

    def load_proposal(self, key: str) -> Proposal | None:
        self.entry(key)
        return self.store.read_proposal(key)

    def save_proposal(
        self,
        key: str,
        proposal: Proposal,
        *,
        model_id: str | None = None,
        model_sha256: str | None = None,
        record: bool = True,
    ) -> None:
        """Store a proposal and its uncertainty score; a new image becomes ``proposed``.

        The audit log gets a ``propose`` row naming the model (``proposal.model_id`` as shown,
        and the registry's ``model_id`` and file ``model_sha256`` when known); ``record=False``
        for a proposal that is only re-thresholded (the same model's).
        """
        prepared = self.prepare_proposal(key, proposal)
        self.record_proposal(prepared, model_id=model_id, model_sha256=model_sha256, record=record)

    def prepare_proposal(self, key: str, proposal: Proposal) -> PreparedProposal:
        """The slow half of :meth:`save_proposal`, safe on a worker thread: compress and write the
        proposal file (atomic), score its uncertainty, hash its mask for the audit log. No entry
        changes and nobody is notified, so the project's state is still only changed by
        :meth:`record_proposal` on one thread."""
        self.entry(key)  # an unknown key fails here, before anything is written
        self.store.write_proposal(key, proposal)
        score = scoring.uncertainty_score(proposal.probability, proposal.uncertainty)
        return PreparedProposal(
            key, proposal.model_id, score, proposal.threshold, mask_sha256(proposal.binary_mask())
        )

    def record_proposal(
        self,
        prepared: PreparedProposal,
        *,
        model_id: str | None = None,
        model_sha256: str | None = None,
        record: bool = True,
    ) -> None:
        """Record a proposal written by :meth:`prepare_proposal` (quick: one database row, and its
        ``propose`` row in the audit log unless ``record`` is False; see :meth:`save_proposal`)."""
        entry = self.entry(prepared.key)
        previous = {"uncertainty": entry.uncertainty, "model_id": entry.model_id, "status": entry.status}
        entry.uncertainty = prepared.uncertainty
        entry.model_id = prepared.model_id
        if entry.status is ReviewStatus.NEW:
            entry.status = ReviewStatus.PROPOSED
        events: tuple[AuditEvent, ...] = ()
        if record:
            events = (
                self.event(
                    audit.PROPOSE,
                    prepared.key,
                    model=prepared.model_id,
                    model_id=model_id,
                    model_sha256=model_sha256,
                    threshold=prepared.threshold,
                    mask_sha256=prepared.mask_sha256,
                ),
            )
        self._persist(entry, previous, events)

    # -- autosave ---------------------------------------------------------------------------
    @property
    def autosave_queue(self) -> AutosaveQueue:
        """The background mask writer shared by this project's edit sessions (made on first use)."""
        if self._autosave is None:
            self._autosave = AutosaveQueue()
        return self._autosave

    @autosave_queue.setter
    def autosave_queue(self, queue: AutosaveQueue) -> None:
        """Install a queue of one's own, e.g. with an ``on_saved`` callback; before any edit."""
        if self._autosave is not None:
            self._autosave.close()
        self._autosave = queue

    def next_generation(self) -> int:
        """A number that grows with every change of any mask of this project."""
        return next(self._generations)

    def close(self) -> None:
        """Write what is queued, close the database, then let go of the writer's lease."""
        try:
            if self._autosave is not None:
                self._autosave.close()
            self.store.close()
        finally:
            if self._let_go is not None:
                self._let_go()

    def reload(self, key: str) -> list[Path]:
        """Re-read ``key``'s record as stored now (after a StaleRecordError), and forget its undo steps.

        Queued autosaves are written first: being based on the old version, they are refused and
        rescued, never written over the newer record; returns the files they were rescued to.
        Later changes are based on what is read here.
        """
        entry = self.entry(key)
        rescued: list[Path] = []
        if self._autosave is not None:
            self._autosave.flush()
            error = self._autosave.error(key)
            if isinstance(error, StaleRecordError) and error.rescued is not None:
                rescued.append(error.rescued)
            self._autosave.forget_error(key)  # refused and rescued: not an unsaved edit any more
        row = self.store.load_row(key)
        if row is None:
            row = empty_row(key)
        entry_from_row(entry, row)
        if entry.lesion_min_area != self.min_lesion_area:
            entry.lesions = None
        self.undo_history.stack(key).clear()
        self._image_cache = None
        self._notify(key)
        return rescued

    # -- review -----------------------------------------------------------------------------
    def set_status(
        self, key: str, status: ReviewStatus | str, reason: str | None = None, *, note: str | None = None
    ) -> None:
        """Set the status (``reason``: a rejection's); ``note`` says why for the audit log."""
        entry = self.entry(key)
        status = ReviewStatus(status)
        previous = {"status": entry.status, "reject_reason": entry.reject_reason}
        entry.status = status
        entry.reject_reason = reason if status is ReviewStatus.REJECTED else None
        events: tuple[AuditEvent, ...] = ()
        if (entry.status, entry.reject_reason) != (previous["status"], previous["reject_reason"]):
            was = str(previous["status"])
            if status is ReviewStatus.REJECTED:
                events = (self.event(audit.REJECT, key, reason=entry.reject_reason, **{"from": was}),)
            else:
                events = (self.event(audit.STATUS, key, to=str(status), reason=note, **{"from": was}),)
        self._persist(entry, previous, events)

    def reject(self, key: str, reason: str) -> None:
        self.set_status(key, ReviewStatus.REJECTED, reason)

    def approve(self, key: str, mask: np.ndarray | None = None) -> None:
        """Approve ``mask`` (default: the current mask) as final, and score the proposal against it.

        The final mask is written first, so an approved image always has a mask on disk.
        Dice and edited fraction compare it with the proposal thresholded at its threshold.
        """
        entry = self.entry(key)
        if mask is None:
            mask = self.current_mask(key)
        if mask is None:  # nothing drawn, no label, no proposal: the image has no lesion
            mask = np.zeros(self.image_shape(key), np.uint8)
        proposal = self.load_proposal(key)
        previous = {
            "status": entry.status,
            "reject_reason": entry.reject_reason,
            "proposal_dice": entry.proposal_dice,
            "edited_fraction": entry.edited_fraction,
            "lesions": entry.lesions,
            "lesion_min_area": entry.lesion_min_area,
        }
        entry.lesions, entry.lesion_min_area = count_lesions(mask, self.min_lesion_area), self.min_lesion_area
        if proposal is not None and proposal.shape == mask.shape:
            proposed = proposal.binary_mask()
            entry.proposal_dice = scoring.dice(proposed, mask)
            entry.edited_fraction = scoring.edited_fraction(proposed, mask)
        else:
            entry.proposal_dice = None
            entry.edited_fraction = None
        was = str(entry.status)
        entry.status = ReviewStatus.APPROVED
        entry.reject_reason = None
        event = self.event(
            audit.APPROVE, key, mask_sha256=mask_sha256(mask), dice=entry.proposal_dice, **{"from": was}
        )
        self._persist(entry, previous, (event,), mask=mask)

    def next_unreviewed(self, after_key: str | None = None) -> str | None:
        """The next image (in listing order, wrapping) neither approved nor rejected nor unreadable."""
        start = 0
        if after_key is not None:
            keys = [e.key for e in self.entries]
            with contextlib.suppress(ValueError):
                start = keys.index(after_key) + 1
        n = len(self.entries)
        for offset in range(n):
            entry = self.entries[(start + offset) % n]
            if entry.key != after_key and not entry.status.reviewed and entry.error is None:
                return entry.key
        return None

    def review_queue(self) -> list[str]:
        """Unreviewed readable images, most uncertain first (unscored ones last, in order)."""
        todo = [e for e in self.entries if not e.status.reviewed and e.error is None]
        scored = sorted((e for e in todo if e.uncertainty is not None), key=lambda e: -e.uncertainty)
        return [e.key for e in scored] + [e.key for e in todo if e.uncertainty is None]

    def summary(self) -> Summary:
        return Summary.from_entries(self.entries)
