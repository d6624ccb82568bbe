"""The audit log is append-only: SQLite refuses every UPDATE and DELETE of its rows (an INSERT
OR REPLACE or an upsert of an existing row too), from this program's own connection and from any
other one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from meddisseg_studio.state import Project
from meddisseg_studio.state.audit import APPEND_ONLY


def test_update_and_delete_of_audit_rows_are_refused(flat_folder: Path, tmp_path: Path) -> None:
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    project.user_name = "Dr A. Smith"
    project.approve("a.png")
    project.reject("b.JPG", "not a lesion")
    before = [r.as_dict() for r in project.history()]
    assert [r["action"] for r in before] == ["approve", "reject"]

    # The program's own connection cannot rewrite history either.
    own = project.store._conn
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        own.execute("UPDATE audit SET user = 'someone else'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        own.execute("DELETE FROM audit WHERE action = 'reject'")
    project.close()

    other = sqlite3.connect(tmp_path / "state" / "state.sqlite3", isolation_level=None)
    try:
        for statement in (
            "UPDATE audit SET time = '1970-01-01T00:00:00+00:00'",
            "DELETE FROM audit",
            "INSERT OR REPLACE INTO audit (id, time, user, action) VALUES (1, 't', 'forger', 'approve')",
            "INSERT INTO audit (id, time, user, action) VALUES (2, 't', 'u', 'x') "
            "ON CONFLICT (id) DO UPDATE SET user = 'forger'",
        ):
            with pytest.raises(sqlite3.IntegrityError) as refused:
                other.execute(statement)
            assert APPEND_ONLY in str(refused.value)
        other.execute(  # appending is what the log is for
            "INSERT INTO audit (time, user, image, action, details) VALUES ('t', 'u', NULL, 'note', '{}')"
        )
    finally:
        other.close()

    again = Project.open(flat_folder, state_dir=tmp_path / "state")
    after = [r.as_dict() for r in again.history()]
    assert after[:2] == before  # untouched
    assert after[2]["action"] == "note"
    again.close()
