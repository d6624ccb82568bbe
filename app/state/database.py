"""Opening the project's SQLite database, and telling damage apart from "in use" or "read-only".

Only real damage (a bad or empty header, a failed ``PRAGMA quick_check``, SQLite's own
CORRUPT/NOTADB codes) raises :class:`StateCorruptError`, the one error for which the UI offers
to move the file aside. A lock held by another process raises :class:`StateLockedError` after a
short wait; anything else SQLite refuses (permissions, I/O) raises :class:`StateUnavailableError`.
Neither touches the file.

A read-only open uses the ``mode=ro`` URI. On a read-only medium SQLite cannot create the
``-shm`` index a WAL database needs: a cleanly closed database (no ``-wal`` content) is then
opened ``immutable``, and one with changes still in its ``-wal`` (the last session crashed) is
read from a private copy, so that those changes are seen.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from meddisseg_core.atomic import fsync_dir
from meddisseg_core.errors import MedDisSegError
from meddisseg_studio.state import audit
from meddisseg_studio.state.errors import (
    StateCorruptError,
    StateLockedError,
    StateUnavailableError,
    StateVersionError,
)

DB_NAME = "state.sqlite3"
SCHEMA_VERSION = 1
LOCK_TIMEOUT_S = 3.0  # how long to wait for another program's write to finish before saying "in use"
SQLITE_MAGIC = b"SQLite format 3\x00"
_BUSY, _LOCKED, _CORRUPT, _CANTOPEN, _NOTADB = 5, 6, 11, 14, 26
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
    updated REAL,
    lesions INTEGER,
    lesion_min_area INTEGER,
    version INTEGER
);
CREATE TABLE IF NOT EXISTS findings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    attributes TEXT NOT NULL,
    y0 INTEGER NOT NULL,
    x0 INTEGER NOT NULL,
    height INTEGER NOT NULL,
    width INTEGER NOT NULL,
    footprint BLOB NOT NULL,
    updated REAL
);
CREATE INDEX IF NOT EXISTS findings_by_key ON findings (key);
CREATE TABLE IF NOT EXISTS comments (
    key TEXT PRIMARY KEY,
    comment TEXT NOT NULL,
    updated REAL
);
"""
# Tables added since schema 1 (``findings``, ``comments``: per-lesion values and image comments,
# see state/findings.py) are created by a writable open; older versions never look at them, so
# the version stays 1. A read-only open of an older database may lack them: ``has_table``.
# Columns added since schema 1 (nullable, so older versions still read and write the table; a
# row they rewrite just forgets its lesion count, and its version reads as 0). A writable open
# adds the missing ones, and the audit table (state/audit.py), which older versions never touch.
# ``version``: the record's version, +1 on every write (NULL reads as 0).
ADDED_COLUMNS = (("lesions", "INTEGER"), ("lesion_min_area", "INTEGER"), ("version", "INTEGER"))


@dataclass
class Database:
    """An open connection; ``snapshot`` holds the private copy a read-only open may have needed."""

    connection: sqlite3.Connection
    snapshot: tempfile.TemporaryDirectory[str] | None = field(default=None)

    def close(self) -> None:
        self.connection.close()
        if self.snapshot is not None:
            self.snapshot.cleanup()
            self.snapshot = None


def _code(exc: sqlite3.Error) -> int:
    return int(getattr(exc, "sqlite_errorcode", -1)) & 0xFF  # primary code of an extended one


def classify(exc: sqlite3.Error, path: Path) -> MedDisSegError:
    """The error to show for an SQLite failure on ``path``: locked, corrupt, or unavailable."""
    code = _code(exc)
    if code in (_BUSY, _LOCKED):
        return StateLockedError(path, str(exc))
    if code in (_CORRUPT, _NOTADB):
        return StateCorruptError(path, f"not a usable SQLite database ({exc})")
    return StateUnavailableError(path, str(exc))


def check_header(path: Path) -> None:
    """StateCorruptError if the file is empty or does not start with SQLite's magic bytes."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise StateUnavailableError(path, f"cannot read it ({exc.strerror or exc})") from exc
    if not head:
        raise StateCorruptError(
            path, "the state database is empty (0 bytes), so the review state it held is lost from it"
        )
    if head != SQLITE_MAGIC:
        raise StateCorruptError(path, "not an SQLite database (bad header)")


def _connect(target: str | Path, timeout: float, *, uri: bool = False) -> sqlite3.Connection:
    return sqlite3.connect(target, uri=uri, timeout=timeout, check_same_thread=False, isolation_level=None)


def _quick_check(conn: sqlite3.Connection, path: Path) -> None:
    result = conn.execute("PRAGMA quick_check").fetchall()
    if result != [("ok",)]:
        raise StateCorruptError(path, f"integrity check failed: {result[:3]}")


def _create_schema(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        for statement in filter(None, (s.strip() for s in _SCHEMA.split(";"))):
            conn.execute(statement)
        if conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == 0:
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
        present = table_columns(conn)
        for name, kind in ADDED_COLUMNS:
            if name not in present:
                conn.execute(f"ALTER TABLE entries ADD COLUMN {name} {kind}")
        audit.ensure_schema(conn)  # the append-only log, added to older databases here too
        conn.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()
    return row is not None


def table_columns(conn: sqlite3.Connection) -> set[str]:
    """The columns the ``entries`` table has (an older database may lack the newer ones)."""
    return {row[1] for row in conn.execute("PRAGMA table_info(entries)")}


def _check_version(conn: sqlite3.Connection, path: Path) -> None:
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    version = row[0] if row else None
    if version is None:
        raise StateCorruptError(path, "schema version table is empty")
    if version > SCHEMA_VERSION:
        raise StateVersionError(f"{path}: written by a newer version (schema {version} > {SCHEMA_VERSION})")


def _create_fresh(path: Path, timeout: float) -> None:
    """Build a new, complete database beside ``path`` and link it into place.

    SQLite would create the file empty and fill it later; a crash in between would leave a
    0-byte database, which is (rightly) reported as damaged. Linking never replaces a database
    another copy of the studio has just made.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.new")
    try:
        conn = _connect(tmp, timeout)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            _create_schema(conn)
        finally:
            conn.close()  # the last connection checkpoints and removes the -wal
        with open(tmp, "rb") as stream:
            os.fsync(stream.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        except OSError:  # file systems without hard links (FAT, some shares)
            if not path.exists():
                os.replace(tmp, path)
        fsync_dir(path.parent)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
            with contextlib.suppress(OSError):
                leftover.unlink()


def open_writable(path: Path, timeout: float | None = None) -> Database:
    """Open (creating it complete if missing) for reading and writing; WAL, synchronous=FULL.

    ``timeout``: seconds to wait for another program's lock (default :data:`LOCK_TIMEOUT_S`).
    """
    timeout = LOCK_TIMEOUT_S if timeout is None else timeout
    try:
        if not path.exists():
            _create_fresh(path, timeout)
        check_header(path)
        conn = _connect(path, timeout)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            _quick_check(conn, path)
            _create_schema(conn)  # takes the write lock: a database in use is found here
            _check_version(conn, path)
        except BaseException:
            conn.close()
            raise
    except sqlite3.Error as exc:
        raise classify(exc, path) from exc
    return Database(conn)


def open_read_only(path: Path, timeout: float | None = None) -> Database:
    """Open for reading only; never writes to the state folder. No file: an empty in-memory state."""
    timeout = LOCK_TIMEOUT_S if timeout is None else timeout
    try:
        if not path.exists():
            conn = _connect("file::memory:", timeout, uri=True)
            _create_schema(conn)
            return Database(conn)
        check_header(path)
        database = _open_ro_uri(path, timeout)
        try:
            _quick_check(database.connection, path)
            _check_version(database.connection, path)
        except BaseException:
            database.close()
            raise
    except sqlite3.Error as exc:
        raise classify(exc, path) from exc
    return database


def _open_ro_uri(path: Path, timeout: float) -> Database:
    uri = path.resolve().as_uri()
    try:
        conn = _connect(f"{uri}?mode=ro", timeout, uri=True)
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # opening is lazy: read now
        return Database(conn)
    except sqlite3.OperationalError as exc:
        if _code(exc) != _CANTOPEN:
            raise
    wal = path.with_name(path.name + "-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        # Closed cleanly: the file alone is the whole state, and nothing on this medium changes it.
        return Database(_connect(f"{uri}?mode=ro&immutable=1", timeout, uri=True))
    snapshot = tempfile.TemporaryDirectory(prefix="meddisseg-state-")
    try:
        copy = Path(snapshot.name) / path.name
        shutil.copyfile(path, copy)
        shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        return Database(_connect(copy, timeout), snapshot)  # recovers the -wal into the copy
    except (OSError, sqlite3.Error):
        snapshot.cleanup()
        raise


def damage(path: Path, timeout: float | None = None) -> str | None:
    """Why the database at ``path`` is damaged, or None if it is healthy.

    Raises StateLockedError / StateUnavailableError when that cannot be told (it is in use,
    or unreadable here): only proven damage may lead to moving a database aside.
    """
    try:
        open_read_only(path, timeout).close()
    except StateCorruptError as exc:
        return exc.reason
    return None
