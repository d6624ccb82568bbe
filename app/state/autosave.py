"""A background writer for mask autosaves, so PNG encoding never runs on the GUI thread.

Per key only the newest snapshot waits: a burst of brush strokes on a 4096×4096 mask costs
one write, not one per stroke. Every write is atomic (temp, fsync, replace), so the file on
disk is always some complete snapshot that was on screen, never a torn mix, and the latest
completed write is what a crash leaves behind.

A snapshot may carry a ``note`` (the audit log's record of the edit step that made it): notes
are never coalesced. A job that replaces a waiting one takes over the waiting one's notes, each
with its own snapshot, and after the write they run in order on the worker thread.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from meddisseg_studio.state.errors import SaveError

_log = logging.getLogger(__name__)

Writer = Callable[[str, "np.ndarray"], object]  # a string: numpy may load after the first paint
SavedCallback = Callable[[str, int, SaveError | None], None]
Note = Callable[[str, "np.ndarray"], object]  # (key, the snapshot the step left), after the write


@dataclass
class _Job:
    generation: int
    snapshot: np.ndarray
    write: Writer
    notes: list[tuple[np.ndarray, Note]]


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
        self._closed = False

    def submit(
        self, key: str, generation: int, snapshot: np.ndarray, write: Writer, *, note: Note | None = None
    ) -> None:
        """Queue ``snapshot`` (the caller's own copy) as the state of ``key`` at ``generation``.

        ``note(key, snapshot)`` runs on the worker after the write, even when this snapshot's
        write is skipped because a newer one replaced it.
        """
        with self._cond:
            if self._closed:
                raise RuntimeError("AutosaveQueue is closed")
            waiting = self._pending.get(key)
            notes = list(waiting.notes) if waiting is not None else []
            if note is not None:
                notes.append((snapshot, note))
            self._pending[key] = _Job(generation, snapshot, write, notes)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="meddisseg-autosave", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def saved_generation(self, key: str) -> int:
        with self._cond:
            return self._saved.get(key, 0)

    def error(self, key: str) -> SaveError | None:
        """The failure of the latest finished write of ``key`` (cleared by a later success)."""
        with self._cond:
            return self._errors.get(key)

    def is_pending(self, key: str) -> bool:
        with self._cond:
            return key in self._pending or self._in_flight == key

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every queued snapshot is written (or failed); False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._pending and self._in_flight is None, timeout)

    def close(self, timeout: float | None = None) -> bool:
        done = self.flush(timeout)
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
        return done

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
            for snapshot, note in job.notes:
                try:
                    note(key, snapshot)
                except Exception:  # a note is a record of the edit: never let it stop the writer
                    _log.exception("autosave note failed for %s", key)
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
