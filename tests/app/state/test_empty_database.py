"""A 0-byte state database is damaged: it is reported, kept as it is, and only moved aside on request."""

from __future__ import annotations

from pathlib import Path

import pytest

from meddisseg_studio.state import Project, StateCorruptError, quarantine_and_reset
from meddisseg_studio.state.store import DB_NAME


def test_empty_database_is_reported_and_kept(flat_folder: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    project = Project.open(flat_folder, state_dir=state)
    project.reject("a.png", "blurred")
    project.close()
    db = state / DB_NAME
    db.write_bytes(b"")  # e.g. a sync tool or a full disk truncated it

    with pytest.raises(StateCorruptError) as caught:
        Project.open(flat_folder, state_dir=state)
    assert caught.value.path == db
    assert "empty" in str(caught.value) and "0 bytes" in str(caught.value)
    assert db.exists() and db.stat().st_size == 0  # not silently re-created as fresh state

    moved = quarantine_and_reset(db)  # what the user accepts when asked
    assert moved.exists() and moved.stat().st_size == 0
    fresh = Project.open(flat_folder, state_dir=state)
    assert fresh.entry("a.png").reject_reason is None
    fresh.close()


def test_fresh_state_never_leaves_an_empty_database(flat_folder: Path, tmp_path: Path) -> None:
    """A new database is built aside and put in place complete, so a crash cannot leave 0 bytes."""
    state = tmp_path / "state"
    project = Project.open(flat_folder, state_dir=state)
    assert (state / DB_NAME).stat().st_size > 0
    assert sorted(p.name for p in state.iterdir() if p.name.startswith(".")) == []
    project.close()
