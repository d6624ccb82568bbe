"""The on-disk project state: SQLite for entries, PNG masks and NPZ proposals beside it.

Layout of ``state_dir`` (``<folder>/.meddisseg-studio/`` by default)::

    state.sqlite3          entries and schema version (WAL, synchronous=FULL)
    masks/<key>.png        final masks, 0/255, written atomically
    proposals/<key>.npz    compressed float16 probability (+ uncertainty) maps

Nothing damaged is ever overwritten: a corrupt file raises StateCorruptError and stays as
it is until the user chooses :func:`quarantine_and_reset`, which only renames it aside.
"""

from __future__ import annotations

import contextlib
import io
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from meddisseg_core.atomic import atomic_write_bytes
from meddisseg_studio.state import codec
from meddisseg_studio.state.errors import SaveError, StateCorruptError, StateVersionError
from meddisseg_studio.state.model import ImageEntry, Proposal, ReviewStatus

DB_NAME = "state.sqlite3"
SCHEMA_VERSION = 1
_SQLITE_MAGIC = b"SQLite format 3\x00"
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
)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    key TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    reason TEXT,
    dice REAL,
    uncertainty REAL,
    edited_fraction REAL,
    error TEXT,
    model_id TEXT,
    created REAL,
    updated REAL
);
"""


def quarantine_and_reset(path: Path | str) -> Path:
    """Rename a corrupt state file aside (``<name>.corrupt-<timestamp>``) and return the new path.

    For the database its -wal/-shm companions move too, so the next open starts a fresh one.
    Nothing is deleted: the user (or support) can still inspect the old file.
    """
    path = Path(path)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    os.replace(path, target)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.replace(companion, target.with_name(target.name + suffix))
    return target


class StateStore:
    """Entries in SQLite, masks and proposals as files; one transaction per change."""

    def __init__(self, state_dir: Path, *, read_only: bool = False) -> None:
        self.state_dir = Path(state_dir)
        self.read_only = read_only
        self.db_path = self.state_dir / DB_NAME
        self.masks_dir = self.state_dir / "masks"
        self.proposals_dir = self.state_dir / "proposals"
        self._lock = threading.RLock()
        self._conn = self._connect()

    # -- database ---------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        exists = self.db_path.exists()
        if exists:
            self._check_header()
        try:
            if self.read_only:
                target = f"{self.db_path.resolve().as_uri()}?mode=ro" if exists else "file::memory:"
                conn = sqlite3.connect(target, uri=True, check_same_thread=False, isolation_level=None)
            else:
                self.state_dir.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.db_path, check_same_thread=False, isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=FULL")
            result = conn.execute("PRAGMA integrity_check").fetchall()
            if result != [("ok",)]:
                conn.close()
                raise StateCorruptError(self.db_path, f"integrity check failed: {result[:3]}")
            if not self.read_only or not exists:
                self._create_schema(conn)
            self._check_version(conn)
        except sqlite3.DatabaseError as exc:
            raise StateCorruptError(self.db_path, f"not a usable SQLite database ({exc})") from exc
        return conn

    def _check_header(self) -> None:
        try:
            with open(self.db_path, "rb") as stream:
                head = stream.read(len(_SQLITE_MAGIC))
        except OSError as exc:
            raise StateCorruptError(self.db_path, f"cannot read database ({exc.strerror})") from exc
        if head and head != _SQLITE_MAGIC:
            raise StateCorruptError(self.db_path, "not an SQLite database (bad header)")

    @staticmethod
    def _create_schema(conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in filter(None, (s.strip() for s in _SCHEMA.split(";"))):
                conn.execute(statement)
            if conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == 0:
                conn.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _check_version(self, conn: sqlite3.Connection) -> None:
        row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
        version = row[0] if row else None
        if version is None:
            raise StateCorruptError(self.db_path, "schema version table is empty")
        if version > SCHEMA_VERSION:
            raise StateVersionError(
                f"{self.db_path}: written by a newer version (schema {version} > {SCHEMA_VERSION})"
            )

    @property
    def schema_version(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0])

    def integrity_ok(self) -> bool:
        with self._lock:
            return self._conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]

    def load_rows(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            cursor = self._conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM entries")
            return {row[0]: dict(zip(_COLUMNS, row, strict=True)) for row in cursor}

    def save_entry(self, entry: ImageEntry) -> None:
        """Write one entry in its own durable transaction; SaveError on any failure."""
        now = time.time()
        if entry.created is None:
            entry.created = now
        entry.updated = now
        values = (
            entry.key,
            str(entry.status),
            entry.reject_reason,
            entry.proposal_dice,
            entry.uncertainty,
            entry.edited_fraction,
            entry.error,
            entry.model_id,
            entry.created,
            entry.updated,
        )
        placeholders = ", ".join("?" for _ in _COLUMNS)
        with self._lock, self._transaction():
            self._conn.execute(
                f"INSERT OR REPLACE INTO entries ({', '.join(_COLUMNS)}) VALUES ({placeholders})", values
            )

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
            self._conn.close()

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
            "probability": proposal.probability.astype(np.float16),
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


def entry_from_row(entry: ImageEntry, row: dict[str, Any]) -> None:
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
