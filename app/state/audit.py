"""The append-only audit log: who changed what, when, in the folder's state database.

One row per event in the ``audit`` table of ``state.sqlite3``: ``id`` (the order), ``time``
(UTC, ISO 8601), ``user`` (:func:`~.identity.current_user`), ``image`` (its key; NULL for
events of the whole folder: imports, exports, an accepted model), ``action`` and ``details``
(a JSON object). Rows are only ever inserted: SQLite triggers refuse every UPDATE and DELETE
(and an INSERT OR REPLACE of an existing row), so no SQLite client, this program included,
rewrites history by accident. (Whoever may write the file can still drop the table: the log
records work, it is no defence against someone forging it.) The table is added to an older database by the
next writable open (as new columns are, see :mod:`.database`); an older version of the app
simply does not write it.

Actions and their details:

==============  ==========================================================================
``approve``     ``from`` (status), ``mask_sha256``, ``dice``
``reject``      ``from``, ``reason``
``status``      ``from``, ``to``, ``reason`` (e.g. "changed after approval", "back to proposed")
``mask``        ``tool`` (brush, eraser, polygon, lasso, fill, an operation, box, click, undo,
                redo, revert, threshold…), ``mask_sha256``, ``shape``
``propose``     ``model`` (the name shown), ``model_id`` and ``model_sha256`` (the registry's
                record: its id and the sha256 of the model file), ``threshold``, ``mask_sha256``
``import``      ``source`` (format), ``path``, ``as``, ``count``, ``skipped``, ``failed``
``export``      ``format``, ``dest``, ``count`` (images), ``files``
``model``       ``event`` "accepted", ``model_id``, ``model_sha256``, ``base_id``, scores
``finding``     ``change`` (set, discard, import); set: ``lesion``, ``attribute``, ``before``, ``after``
``comment``     ``before``, ``after`` (the image's comment; :mod:`.findings`)
==============  ==========================================================================

``mask_sha256`` is the sha256 of the mask's pixels: H×W bytes of 0/1, row by row (the exported
0/255 PNGs hold the same pixels; a PNG file's own bytes depend on its encoder).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

TABLE = "audit"
APPEND_ONLY = "the audit log is append-only: its rows are never changed or deleted"
APPROVE, REJECT, STATUS, MASK, PROPOSE = "approve", "reject", "status", "mask", "propose"
IMPORT, EXPORT, MODEL = "import", "export", "model"
FINDING, COMMENT = "finding", "comment"

_STATEMENTS = (
    f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time TEXT NOT NULL,
        user TEXT NOT NULL,
        image TEXT,
        action TEXT NOT NULL,
        details TEXT NOT NULL DEFAULT '{{}}'
    )""",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_image ON {TABLE} (image, id)",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END""",
    # INSERT OR REPLACE of an existing id deletes that row without firing DELETE triggers.
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_no_replace BEFORE INSERT ON {TABLE}
        WHEN EXISTS (SELECT 1 FROM {TABLE} WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END""",
)


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the table, its index and the append-only triggers if missing (inside the caller's
    transaction; statements with a trigger body cannot go through a split on ``;``)."""
    for statement in _STATEMENTS:
        conn.execute(statement)


def has_table(conn: sqlite3.Connection) -> bool:
    """False for a database written before the log existed (opened read-only, so not upgraded)."""
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)).fetchone()
    return row is not None


def utc_now() -> str:
    """Now, UTC, ISO 8601 with milliseconds (``2026-12-06T04:40:12.123+00:00``)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def mask_sha256(mask: np.ndarray) -> str:
    """The sha256 of ``mask``'s pixels as H×W bytes of 0/1, row-major (see the module docstring)."""
    pixels = np.ascontiguousarray(mask, dtype=np.uint8)
    if pixels.size and int(pixels.max()) > 1:  # a 0/255 mask hashes as its 0/1 pixels
        pixels = (pixels > 0).astype(np.uint8)
    return hashlib.sha256(memoryview(pixels).cast("B")).hexdigest()


@dataclass(frozen=True)
class AuditEvent:
    """One row to append (``id`` is given by the database)."""

    action: str
    image: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)
    user: str = ""
    time: str = field(default_factory=utc_now)


@dataclass(frozen=True)
class AuditRecord:
    """One row of the log as read back."""

    id: int
    time: str
    user: str
    image: str | None
    action: str
    details: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "time": self.time,
            "user": self.user,
            "image": self.image,
            "action": self.action,
            "details": self.details,
        }


def _key_to_db(key: str | None) -> str | bytes | None:
    if key is None:
        return None
    from .store import key_to_db  # the store imports this module: resolved at call time

    return key_to_db(key)


def _key_from_db(value: str | bytes | None) -> str | None:
    if value is None:
        return None
    return value.decode("utf-8", "surrogateescape") if isinstance(value, bytes) else value


def insert(conn: sqlite3.Connection, events: Iterable[AuditEvent]) -> None:
    """Append ``events`` (inside the caller's transaction)."""
    conn.executemany(
        f"INSERT INTO {TABLE} (time, user, image, action, details) VALUES (?, ?, ?, ?, ?)",
        [
            (e.time, e.user, _key_to_db(e.image), e.action, json.dumps(dict(e.details), sort_keys=True))
            for e in events
        ],
    )


ALL = object()  # select(): every row, folder events included


def select(
    conn: sqlite3.Connection, image: str | object | None = ALL, actions: Iterable[str] | None = None
) -> list[AuditRecord]:
    """The rows in order: all of them, those of one image, or (``image=None``) the folder's own;
    with ``actions``, only rows of those actions."""
    if not has_table(conn):
        return []
    where: list[str] = []
    params: list[object] = []
    if image is None:
        where.append("image IS NULL")
    elif image is not ALL:
        where.append("image = ?")
        params.append(_key_to_db(str(image)))
    if actions is not None:
        wanted = list(actions)
        where.append(f"action IN ({', '.join('?' for _ in wanted)})")
        params.extend(wanted)
    query = f"SELECT id, time, user, image, action, details FROM {TABLE}"
    if where:
        query += " WHERE " + " AND ".join(where)
    rows = conn.execute(query + " ORDER BY id", params).fetchall()
    return [
        AuditRecord(int(i), str(t), str(u), _key_from_db(k), str(a), _details(d)) for i, t, u, k, a, d in rows
    ]


def _details(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:  # written by hand or by a broken tool: shown, not fatal
        return {"unreadable": str(text)}
    return value if isinstance(value, dict) else {"value": value}
