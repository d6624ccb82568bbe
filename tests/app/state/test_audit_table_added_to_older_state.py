"""A state database written before the audit log existed gets the table (with its append-only
triggers) at the next writable open; opened read-only, its log reads as empty."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from meddisseg_studio.state import Project


def _drop_audit(db: Path) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        for name in ("audit_no_update", "audit_no_delete", "audit_no_replace"):
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute("DROP TABLE audit")  # as an older version wrote it: entries only
    finally:
        conn.close()


def test_older_state_gets_the_audit_table(flat_folder: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    Project.open(flat_folder, state_dir=state).close()
    _drop_audit(state / "state.sqlite3")

    looking = Project.open(flat_folder, state_dir=state, read_only=True)
    assert looking.history() == []  # read-only: nothing is added, nothing fails
    looking.close()

    project = Project.open(flat_folder, state_dir=state)
    assert project.store.schema_version == 1  # additive, as new columns are: older versions still open it
    project.approve("a.png")
    assert [r.action for r in project.history("a.png")] == ["approve"]
    with pytest.raises(sqlite3.IntegrityError):
        project.store._conn.execute("DELETE FROM audit")
    project.close()
