"""A background writer for mask autosaves, so PNG encoding never runs on the GUI thread.

Per key only the newest snapshot waits: a burst of brush strokes on a 4096×4096 mask costs
one write, not one per stroke. Every write is atomic (temp, fsync, replace), so the file on
disk is always some complete snapshot that was on screen, never a torn mix, and the latest
completed write is what a crash leaves behind.

A snapshot may carry a ``note`` (the audit log's record of the edit step that made it). Notes
are never coalesced: each runs, in submission order, on a second thread of its own, so that a
slow write (a large PNG, a network share) neither delays them nor makes them keep a snapshot
alive for long (a note hashes its snapshot, which hashlib does without holding the GIL).
:meth:`AutosaveQueue.flush` waits for both.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from meddisseg_studio.state.errors import SaveError

_log = logging.getLogger(__name__)

Writer = Callable[[str, "np.ndarray"], object]  # a string: numpy may load after the first paint
SavedCallback = Callable[[str, int, SaveError | None], None]
Note = Callable[[str, "np.ndarray"], object]  # (key, the snapshot the edit step left)


@dataclass
class _Job:
    generation: int
    snapshot: np.ndarray
    write: Writer


class AutosaveQueue:
    """Coalescing background writer. ``on_saved(key, generation, error)`` runs on the worker thread."""

    def __init__(self, on_saved: SavedCallback | None = None) -> None:
        self._on_saved = on_saved
        self._cond = threading.Condition()
        self._pending: OrderedDict[str, _Job] = OrderedDict()
        self._in_flight: str | None = None
        self._saved: dict[str, int] = {}
        self._errors: dict[str, SaveError] = {}
        self._thread: threading.Thread | None = None
        self._notes: deque[tuple[str, np.ndarray, Note]] = deque()
        self._noting: str | None = None  # the key whose note runs now
        self._notes_thread: threading.Thread | None = None
        self._closed = False

    def submit(
        self, key: str, generation: int, snapshot: np.ndarray, write: Writer, *, note: Note | None = None
    ) -> None:
        """Queue ``snapshot`` (the caller's own copy, never changed after) as the state of ``key``
        at ``generation``; ``note(key, snapshot)`` runs once, even if a newer snapshot replaces
        this one before it is written."""
        with self._cond:
            if self._closed:
                raise RuntimeError("AutosaveQueue is closed")
            self._pending[key] = _Job(generation, snapshot, write)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="meddisseg-autosave", daemon=True)
                self._thread.start()
            if note is not None:
                self._notes.append((key, snapshot, note))
                if self._notes_thread is None:
                    self._notes_thread = threading.Thread(
                        target=self._run_notes, name="meddisseg-autosave-notes", daemon=True
                    )
                    self._notes_thread.start()
            self._cond.notify_all()

    def saved_generation(self, key: str) -> int:
        with self._cond:
            return self._saved.get(key, 0)

    def error(self, key: str) -> SaveError | None:
        """The failure of the latest finished write of ``key`` (cleared by a later success)."""
        with self._cond:
            return self._errors.get(key)

    def forget_error(self, key: str) -> None:
        """Drop the failure recorded for ``key`` (its record was reloaded: that edit is gone from view)."""
        with self._cond:
            self._errors.pop(key, None)

    def is_pending(self, key: str) -> bool:
        """True while a snapshot or a note of ``key`` waits or runs."""
        with self._cond:
            noting = self._noting == key or any(k == key for k, _s, _n in self._notes)
            return key in self._pending or self._in_flight == key or noting

    def flush_notes(self, key: str, timeout: float | None = None) -> bool:
        """Wait until the notes of ``key`` have run (not its writes); False on timeout."""
        with self._cond:
            return self._cond.wait_for(
                lambda: self._noting != key and all(k != key for k, _s, _n in self._notes), timeout
            )

    def _idle(self) -> bool:
        return not self._pending and self._in_flight is None and not self._notes and self._noting is None

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every queued snapshot is written (or failed) and every note has run;
        False on timeout."""
        with self._cond:
            return self._cond.wait_for(self._idle, timeout)

    def close(self, timeout: float | None = None) -> bool:
        done = self.flush(timeout)
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        for thread in (self._thread, self._notes_thread):
            if thread is not None:
                thread.join(timeout)
        return done

    def _run_notes(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._notes or self._closed)
                if not self._notes:
                    return
                key, snapshot, note = self._notes.popleft()
                self._noting = key
            try:
                note(key, snapshot)
            except Exception:  # a note records an edit: it must never stop the notes thread
                _log.exception("autosave note failed for %s", key)
            del snapshot  # freed now, not when the next note arrives
            with self._cond:
                self._noting = None
                self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending or self._closed)
                if not self._pending:
                    return
                key, job = self._pending.popitem(last=False)
                self._in_flight = key
            error: SaveError | None = None
            try:
                job.write(key, job.snapshot)
            except SaveError as exc:
                error = exc
            except OSError as exc:
                error = SaveError(key, exc.strerror or str(exc))
            except Exception as exc:  # never let the writer thread die: report instead
                _log.exception("autosave of %s failed", key)
                error = SaveError(key, repr(exc))
            with self._cond:
                if error is None:
                    self._saved[key] = max(self._saved.get(key, 0), job.generation)
                    self._errors.pop(key, None)
                else:
                    self._errors[key] = error
                self._in_flight = None
                self._cond.notify_all()
            if self._on_saved is not None:
                try:
                    self._on_saved(key, job.generation, error)
                except Exception:
                    _log.exception("autosave callback failed for %s", key)
