"""The on-disk project state: SQLite for entries, PNG masks and NPZ proposals beside it.

Layout of ``state_dir`` (``<folder>/.meddisseg-studio/`` by default)::

    state.sqlite3          entries and schema version (WAL, synchronous=FULL)
    masks/<key>.png        final masks, 0/255, written atomically
    proposals/<key>.npz    compressed float16 probability (+ uncertainty) maps
    writer.lease           who writes this folder now (see :mod:`.lease`)
    rescued/               changes refused as based on an old version of their record (JSON + PNG)

Every write of an image's record goes through :meth:`StateStore.commit`: one transaction that
checks the record's version against the one the change was based on (``entry.version``), writes
the mask file and the row, and bumps the version. A change based on an older version
is refused (StaleRecordError) and kept under ``rescued/``, never written over the newer state.

Nothing damaged is ever overwritten: a corrupt file raises StateCorruptError and stays as
it is until the user chooses :func:`quarantine_and_reset`, which only renames it aside (and
refuses to for a healthy database). Opening the database is :mod:`.database`'s job.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import TypedDict, cast

import numpy as np

from meddisseg_core.atomic import atomic_write_bytes
from meddisseg_core.errors import MedDisSegError
from meddisseg_studio.state import audit, codec, database
from meddisseg_studio.state.database import DB_NAME, SCHEMA_VERSION
from meddisseg_studio.state.errors import SaveError, StaleRecordError, StateCorruptError
from meddisseg_studio.state.lease import current_user
from meddisseg_studio.state.model import ImageEntry, Proposal, ReviewStatus

__all__ = ["DB_NAME", "RESCUED_DIR", "SCHEMA_VERSION", "StateStore", "entry_from_row", "quarantine_and_reset"]

RESCUED_DIR = "rescued"

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
    "version",
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
    version: int | None  # NULL (rows of older versions) reads as 0


class _ConflictError(Exception):
    def __init__(self, stored: int) -> None:
        super().__init__(stored)
        self.stored = stored


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
        self,
        state_dir: Path,
        *,
        read_only: bool = False,
        lock_timeout: float | None = None,
        user: str | None = None,
    ) -> None:
        self.state_dir = Path(state_dir)
        self.read_only = read_only
        self.user = current_user(user)  # names rescued files
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

    def load_row(self, key: str) -> EntryRow | None:
        """The stored row of ``key`` now, or None."""
        with self._lock:
            present = database.table_columns(self._conn)
            columns = [c for c in _COLUMNS if c in present]
            row = self._conn.execute(
                f"SELECT {', '.join(columns)} FROM entries WHERE key = ?", (key_to_db(key),)
            ).fetchone()
        if row is None:
            return None
        return cast(EntryRow, {**dict.fromkeys(_COLUMNS), **dict(zip(columns, row, strict=True)), "key": key})

    def save_entry(
        self, entry: ImageEntry, *, rescue: bool = True, events: Sequence[audit.AuditEvent] = ()
    ) -> None:
        """Write one entry in its own durable transaction (see :meth:`commit`)."""
        self.commit(entry, rescue=rescue, events=events)

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

    def commit(
        self,
        entry: ImageEntry,
        *,
        mask: np.ndarray | None = None,
        columns: tuple[str, ...] | None = None,
        rescue: bool = True,
        force: bool = False,
        events: Sequence[audit.AuditEvent] = (),
    ) -> None:
        """Write ``entry``, and its mask file, in one durable transaction.

        ``events`` are appended to the audit log in the same transaction: a change and its
        record are stored together or not at all (a refused change records nothing).

        The change is based on ``entry.version``: the stored version must be the same (0 when
        there is no row yet). The row is then written with the version + 1, and ``entry.version``
        follows. Otherwise nothing is written: the change (the entry's fields, the mask) is kept
        under ``rescued/`` (unless ``rescue`` is False) and StaleRecordError is raised. ``columns``:
        only these columns (and ``updated``, ``version``) change in an existing row, so values
        another thread is changing are kept. ``force``: write whatever the stored version (a copy
        into another state folder); ``entry.version`` is then left alone. SaveError on any other
        failure; the entry's fields are not rolled back here (the project does that).
        """
        if self.read_only:
            path = self.mask_path(entry.key) if mask is not None else self.db_path
            raise SaveError(path, "the state folder is read-only")
        png = codec.encode_mask_png(mask) if mask is not None else None  # encoded before taking the lock
        now = time.time()
        with self._lock:
            base = entry.version
            created = entry.created if entry.created is not None else now
            try:
                with self._transaction():
                    row = self._conn.execute(
                        "SELECT COALESCE(version, 0) FROM entries WHERE key = ?", (key_to_db(entry.key),)
                    ).fetchone()
                    stored = None if row is None else int(row[0])
                    if not force and (stored or 0) != base:
                        raise _ConflictError(stored or 0)
                    version = (stored or 0) + 1
                    if png is not None:
                        _write_file(self.mask_path(entry.key), png)
                    values = self._values(entry, created, now, version)
                    if columns is not None and stored is not None:
                        names = (*columns, "updated", "version")
                        self._conn.execute(
                            f"UPDATE entries SET {', '.join(f'{n} = ?' for n in names)} WHERE key = ?",
                            (*(values[n] for n in names), values["key"]),
                        )
                    else:
                        self._conn.execute(
                            f"INSERT OR REPLACE INTO entries ({', '.join(_COLUMNS)}) "
                            f"VALUES ({', '.join('?' for _ in _COLUMNS)})",
                            tuple(values[n] for n in _COLUMNS),
                        )
                    if events:
                        audit.insert(self._conn, events)
            except _ConflictError as conflict:
                rescued, problem = self._rescue(entry, png, base, conflict.stored) if rescue else (None, None)
                raise StaleRecordError(entry.key, base, conflict.stored, rescued, problem) from None
            entry.created, entry.updated = created, now
            if not force:
                entry.version = version

    @staticmethod
    def _values(entry: ImageEntry, created: float, updated: float, version: int) -> dict[str, object]:
        return {
            "key": key_to_db(entry.key),
            "status": str(entry.status),
            "reason": entry.reject_reason,
            "dice": entry.proposal_dice,
            "uncertainty": entry.uncertainty,
            "edited_fraction": entry.edited_fraction,
            "error": entry.error,
            "model_id": entry.model_id,
            "created": created,
            "updated": updated,
            "lesions": entry.lesions,
            "lesion_min_area": entry.lesion_min_area,
            "version": version,
        }

    def _rescue(
        self, entry: ImageEntry, png: bytes | None, based_on: int, stored: int
    ) -> tuple[Path | None, str | None]:
        """Keep a refused change as ``rescued/<stem>-<time>-<user>.json`` (+ ``.png``): (path, None),
        or (None, why not)."""
        folder = self.state_dir / RESCUED_DIR
        stamp = time.strftime("%Y%m%d-%H%M%S")
        try:
            folder.mkdir(exist_ok=True)
            target = _reserve(folder, f"{_safe(_stem(entry.key))}-{stamp}-{_safe(self.user)}")
            mask_file = None
            if png is not None:
                mask_file = target.with_suffix(".png")
                atomic_write_bytes(mask_file, png)
            record = {
                "image": entry.key,
                "based_on_version": based_on,
                "stored_version": stored,
                "user": self.user,
                "host": socket.gethostname(),
                "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "status": str(entry.status),
                "reject_reason": entry.reject_reason,
                "model_id": entry.model_id,
                "mask": mask_file.name if mask_file is not None else None,
                "mask_sha256": hashlib.sha256(png).hexdigest() if png is not None else None,
            }
            text = json.dumps(record, ensure_ascii=False, indent=1) + "\n"
            atomic_write_bytes(target, text.encode("utf-8"))
        except OSError as exc:
            return None, exc.strerror or str(exc)
        return target, None

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

    # -- for state modules with tables of their own (state/findings.py) ---------------------
    @contextlib.contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """The connection inside one durable transaction, under the store's lock; SaveError on failure."""
        with self._lock, self._transaction():
            yield self._conn

    def query(self, table: str, sql: str, params: tuple = ()) -> list[tuple]:
        """Rows of ``sql`` (which reads ``table``); none when an older read-only database lacks it."""
        with self._lock:
            if not database.has_table(self._conn, table):
                return []
            return self._conn.execute(sql, params).fetchall()

    # -- masks ------------------------------------------------------------------------------
    def mask_path(self, key: str) -> Path:
        return self.masks_dir / f"{key}.png"

    def read_mask(self, key: str) -> np.ndarray | None:
        path = self.mask_path(key)
        if not path.exists():
            return None
        return codec.decode_mask_png(path)

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
        # Beside the database: a crashed open's lease, clock and probe temp files. Only old ones:
        # another copy may be creating its own right now (it is refused the lease, but needs them).
        old = time.time() - 3600
        for path in self.state_dir.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < old:
                    path.unlink()
                    removed += 1
        return removed

    # -- proposals --------------------------------------------------------------------------
    def proposal_path(self, key: str) -> Path:
        return self.proposals_dir / f"{key}.npz"

    def write_proposal(self, key: str, proposal: Proposal) -> Path:
        """Write the proposal file (atomic; on a worker thread, so the GUI never waits on the
        compression). Not a versioned change: the record follows with :meth:`commit`."""
        path = self.proposal_path(key)
        if self.read_only:
            raise SaveError(path, "the state folder is read-only")
        _write_file(path, _proposal_bytes(proposal))
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
                    precision=str(data["precision"]) if "precision" in data.files else "",
                )
        except (OSError, ValueError, KeyError, EOFError) as exc:
            raise StateCorruptError(path, f"stored proposal cannot be read ({exc})") from exc


def _write_file(path: Path, data: bytes) -> None:
    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise SaveError(path, exc.strerror or str(exc)) from exc


def _proposal_bytes(proposal: Proposal) -> bytes:
    arrays: dict[str, np.ndarray] = {
        "probability": half_keeping_decision(proposal.probability, proposal.threshold),
        "model_id": np.array(proposal.model_id),
        "threshold": np.array(proposal.threshold, dtype=np.float64),
        "precision": np.array(proposal.precision),
    }
    if proposal.uncertainty is not None:
        arrays["uncertainty"] = proposal.uncertainty.astype(np.float16)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def _safe(text: str) -> str:
    """A file-name-safe form of a key or user name (``sub/a`` -> ``sub__a``)."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", text.replace("/", "__")).lstrip(".")[:80] or "_"


def _stem(key: str) -> str:
    path = PurePosixPath(key)
    return (path.parent / path.stem).as_posix()


def _reserve(folder: Path, stem: str) -> Path:
    """A new ``<stem>[-N].json`` in ``folder``, created empty with O_EXCL (two writers never share it)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for n in range(1, 10_000):
        path = folder / (f"{stem}.json" if n == 1 else f"{stem}-{n}.json")
        try:
            os.close(os.open(path, flags, 0o644))
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"no free name for {stem} in {folder}")


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


def empty_row(key: str) -> EntryRow:
    """The row of an image that has none stored: new, version 0."""
    return cast(EntryRow, {**dict.fromkeys(_COLUMNS), "key": key, "status": ReviewStatus.NEW.value})


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
    entry.version = row["version"] or 0
