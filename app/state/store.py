"""The on-disk project state: SQLite for entries, PNG masks and NPZ proposals beside it.

Layout of ``state_dir`` (``<folder>/.meddisseg-studio/`` by default)::

    state.sqlite3          entries and schema version (WAL, synchronous=FULL)
    masks/<key>.png        final masks, 0/255, written atomically
    proposals/<key>.npz    compressed float16 probability (+ uncertainty) maps

Nothing damaged is ever overwritten: a corrupt file raises StateCorruptError and stays as
it is until the user chooses :func:`quarantine_and_reset`, which only renames it aside (and
refuses to for a healthy database). Opening the database is :mod:`.database`'s job.
"""

from __future__ import annotations

import contextlib
import io
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TypedDict, cast

import numpy as np

from meddisseg_core.atomic import atomic_write_bytes
from meddisseg_core.errors import MedDisSegError
from meddisseg_studio.state import audit, codec, database
from meddisseg_studio.state.database import DB_NAME, SCHEMA_VERSION
from meddisseg_studio.state.errors import SaveError, StateCorruptError
from meddisseg_studio.state.model import ImageEntry, Proposal, ReviewStatus

__all__ = ["DB_NAME", "SCHEMA_VERSION", "StateStore", "entry_from_row", "quarantine_and_reset"]

_COLUMNS = (
    "key",
    "status",
    "reason",
    "dice",
    "uncertainty",
    "edited_fraction",
    "error",
    "model_id",
    "created",
    "updated",
    "lesions",
    "lesion_min_area",
)


class EntryRow(TypedDict):
    """One row of the ``entries`` table, by column (see ``database._SCHEMA``); a column that an
    older database lacks reads as None."""

    key: str
    status: str  # NOT NULL; a value this version does not know reads as "new"
    reason: str | None
    dice: float | None
    uncertainty: float | None
    edited_fraction: float | None
    error: str | None
    model_id: str | None
    created: float | None
    updated: float | None
    lesions: int | None
    lesion_min_area: int | None


def quarantine_and_reset(path: Path | str) -> Path:
    """Rename a corrupt state file aside (``<name>.corrupt-<timestamp>``) and return the new path.

    For the database its -wal/-shm companions move too, so the next open starts a fresh one.
    Nothing is deleted: the user (or support) can still inspect the old file. A database is
    moved only when it is proven damaged: for a healthy one this raises MedDisSegError, for one
    that cannot be checked here StateLockedError / StateUnavailableError, and it stays where it
    is. SaveError if the file cannot be moved (a read-only folder).
    """
    path = Path(path)
    if path.name == DB_NAME and path.exists() and database.damage(path) is None:
        raise MedDisSegError(
            f"{path}: not damaged (its integrity check passes), so it is not moved aside; "
            "a healthy state database is never quarantined"
        )
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    try:
        os.replace(path, target)
        for suffix in ("-wal", "-shm"):
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                os.replace(companion, target.with_name(target.name + suffix))
    except OSError as exc:
        raise SaveError(path, f"cannot move the damaged file aside ({exc.strerror or exc})") from exc
    return target


class StateStore:
    """Entries in SQLite, masks and proposals as files; one transaction per change.

    Opening raises StateCorruptError only for real damage, StateLockedError when another
    process holds the database for longer than ``lock_timeout`` seconds, and
    StateUnavailableError when it cannot be opened here (see :mod:`.database`).
    """

    def __init__(
        self, state_dir: Path, *, read_only: bool = False, lock_timeout: float | None = None
    ) -> None:
        self.state_dir = Path(state_dir)
        self.read_only = read_only
        self.db_path = self.state_dir / DB_NAME
        self.masks_dir = self.state_dir / "masks"
        self.proposals_dir = self.state_dir / "proposals"
        self._lock = threading.RLock()
        opener = database.open_read_only if read_only else database.open_writable
        self._database = opener(self.db_path, lock_timeout)
        self._conn = self._database.connection

    @property
    def schema_version(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0])

    def integrity_ok(self) -> bool:
        with self._lock:
            return self._conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]

    def load_rows(self) -> dict[str, EntryRow]:
        """Every stored entry by key (keys as :func:`key_from_db` gives them back)."""
        with self._lock:
            present = database.table_columns(self._conn)  # a read-only older database may lack some
            columns = [c for c in _COLUMNS if c in present]
            cursor = self._conn.execute(f"SELECT {', '.join(columns)} FROM entries")
            empty = dict.fromkeys(_COLUMNS)
            # The column types are the schema's (SQLite itself does not enforce them).
            return {
                key_from_db(row[0]): cast(
                    EntryRow, {**empty, **dict(zip(columns, row, strict=True)), "key": key_from_db(row[0])}
                )
                for row in cursor
            }

    def save_entry(self, entry: ImageEntry, events: Sequence[audit.AuditEvent] = ()) -> None:
        """Write one entry in its own durable transaction; SaveError on any failure.

        ``events`` are appended to the audit log in the same transaction: a change and its
        record are stored together or not at all.
        """
        now = time.time()
        placeholders = ", ".join("?" for _ in _COLUMNS)
        # Values are read under the lock: the autosave thread may be recording a lesion count.
        with self._lock:
            if entry.created is None:
                entry.created = now
            entry.updated = now
            values = (
                key_to_db(entry.key),
                str(entry.status),
                entry.reject_reason,
                entry.proposal_dice,
                entry.uncertainty,
                entry.edited_fraction,
                entry.error,
                entry.model_id,
                entry.created,
                entry.updated,
                entry.lesions,
                entry.lesion_min_area,
            )
            with self._transaction():
                self._conn.execute(
                    f"INSERT OR REPLACE INTO entries ({', '.join(_COLUMNS)}) VALUES ({placeholders})", values
                )
                if events:
                    audit.insert(self._conn, events)

    def append_audit(self, events: Sequence[audit.AuditEvent]) -> None:
        """Append ``events`` to the audit log in one durable transaction; SaveError on failure."""
        with self._lock, self._transaction():
            audit.insert(self._conn, events)

    def audit_rows(
        self, image: str | object | None = audit.ALL, actions: Sequence[str] | None = None
    ) -> list[audit.AuditRecord]:
        """The audit log in order: every row, one image's (its key), or the folder's (None);
        only ``actions`` when given."""
        with self._lock:
            return audit.select(self._conn, image, actions)

    def save_lesions(self, entry: ImageEntry, count: int, min_area: int) -> None:
        """Record the lesion count of ``entry``'s stored mask (any thread); SaveError on failure.

        Only these two columns change, so a status written meanwhile by the GUI thread is kept.
        """
        with self._lock:
            entry.lesions, entry.lesion_min_area = count, min_area
            with self._transaction():
                cursor = self._conn.execute(
                    "UPDATE entries SET lesions = ?, lesion_min_area = ? WHERE key = ?",
                    (count, min_area, key_to_db(entry.key)),
                )
            if cursor.rowcount == 0:  # no row yet: write the whole entry
                self.save_entry(entry)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        if self.read_only:
            raise SaveError(self.db_path, "the state folder is read-only")
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise SaveError(self.db_path, str(exc)) from exc
        try:
            yield
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")
            raise SaveError(self.db_path, str(exc)) from exc
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        with self._lock:
            self._database.close()

    # -- masks ------------------------------------------------------------------------------
    def mask_path(self, key: str) -> Path:
        return self.masks_dir / f"{key}.png"

    def read_mask(self, key: str) -> np.ndarray | None:
        path = self.mask_path(key)
        if not path.exists():
            return None
        return codec.decode_mask_png(path)

    def write_mask(self, key: str, mask: np.ndarray) -> Path:
        """Encode and write atomically (temp, fsync, replace); SaveError names path and reason."""
        path = self.mask_path(key)
        if self.read_only:
            raise SaveError(path, "the state folder is read-only")
        data = codec.encode_mask_png(mask)
        try:
            atomic_write_bytes(path, data)
        except OSError as exc:
            raise SaveError(path, exc.strerror or str(exc)) from exc
        return path

    def stored_mask_keys(self) -> list[str]:
        """Keys that have a stored mask; temp files of interrupted writes are not masks."""
        if not self.masks_dir.is_dir():
            return []
        keys = []
        for path in self.masks_dir.rglob("*.png"):
            if path.name.startswith(".") or not path.is_file():
                continue
            keys.append(path.relative_to(self.masks_dir).as_posix()[: -len(".png")])
        return sorted(keys)

    def check_masks(self) -> list[StateCorruptError]:
        """Decode every stored mask; the damaged ones, as errors naming their files."""
        problems = []
        for key in self.stored_mask_keys():
            try:
                codec.decode_mask_png(self.mask_path(key))
            except StateCorruptError as exc:
                problems.append(exc)
        return problems

    def remove_stale_temp_files(self) -> int:
        """Delete temp files left by writes interrupted by a crash (never complete files)."""
        if self.read_only:
            return 0
        removed = 0
        for folder in (self.masks_dir, self.proposals_dir):
            if not folder.is_dir():
                continue
            for path in folder.rglob(".*.tmp"):
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed += 1
        return removed

    # -- proposals --------------------------------------------------------------------------
    def proposal_path(self, key: str) -> Path:
        return self.proposals_dir / f"{key}.npz"

    def write_proposal(self, key: str, proposal: Proposal) -> Path:
        path = self.proposal_path(key)
        if self.read_only:
            raise SaveError(path, "the state folder is read-only")
        arrays: dict[str, np.ndarray] = {
            "probability": half_keeping_decision(proposal.probability, proposal.threshold),
            "model_id": np.array(proposal.model_id),
            "threshold": np.array(proposal.threshold, dtype=np.float64),
        }
        if proposal.uncertainty is not None:
            arrays["uncertainty"] = proposal.uncertainty.astype(np.float16)
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)
        try:
            atomic_write_bytes(path, buffer.getvalue())
        except OSError as exc:
            raise SaveError(path, exc.strerror or str(exc)) from exc
        return path

    def read_proposal(self, key: str) -> Proposal | None:
        path = self.proposal_path(key)
        if not path.exists():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                uncertainty = data["uncertainty"].astype(np.float32) if "uncertainty" in data.files else None
                return Proposal(
                    probability=data["probability"].astype(np.float32),
                    uncertainty=uncertainty,
                    model_id=str(data["model_id"]),
                    threshold=float(data["threshold"]),
                )
        except (OSError, ValueError, KeyError, EOFError) as exc:
            raise StateCorruptError(path, f"stored proposal cannot be read ({exc})") from exc


def half_keeping_decision(probability: np.ndarray, threshold: float) -> np.ndarray:
    """A float16 copy of ``probability`` that thresholds at ``threshold`` exactly as the float32 map.

    Rounding to float16 moves values by up to 2.4e-4 near 0.5, which flips the odd pixel across
    the threshold; those pixels get the nearest float16 on their own side instead. So the stored
    proposal gives, at the threshold it was made with, the same mask as ``meddisseg predict``.
    """
    t32 = np.float32(threshold)  # numpy compares a float32 map with a Python float in float32
    half = probability.astype(np.float16)
    above = probability > t32
    wrong = (half.astype(np.float32) > t32) != above
    if wrong.any():
        t16 = np.float16(threshold)
        up = t16 if np.float32(t16) > t32 else np.nextafter(t16, np.float16(np.inf))
        down = t16 if np.float32(t16) <= t32 else np.nextafter(t16, np.float16(-np.inf))
        half[wrong & above] = up
        half[wrong & ~above] = down
    return half


def key_to_db(key: str) -> str | bytes:
    """The database's form of an image key.

    Keys are file names as Python decodes them: on Linux a name that is not valid UTF-8 keeps
    its odd bytes as lone surrogates, which SQLite's text cannot hold. Such a key is stored as a
    BLOB of the name's bytes (SQLite never finds a BLOB equal to a TEXT, so no other name can
    collide with it); every other key stays TEXT, as databases written before have them.
    """
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        return key.encode("utf-8", "surrogateescape")
    return key


def key_from_db(value: str | bytes) -> str:
    """The image key of a database ``key`` value (inverse of :func:`key_to_db`)."""
    return value.decode("utf-8", "surrogateescape") if isinstance(value, bytes) else value


def entry_from_row(entry: ImageEntry, row: EntryRow) -> None:
    """Copy a database row onto an entry built from the folder listing."""
    try:
        entry.status = ReviewStatus(row["status"])
    except ValueError:
        entry.status = ReviewStatus.NEW
    entry.reject_reason = row["reason"]
    entry.proposal_dice = row["dice"]
    entry.uncertainty = row["uncertainty"]
    entry.edited_fraction = row["edited_fraction"]
    entry.error = row["error"]
    entry.model_id = row["model_id"]
    entry.created = row["created"]
    entry.updated = row["updated"]
    entry.lesions = row["lesions"]
    entry.lesion_min_area = row["lesion_min_area"]
