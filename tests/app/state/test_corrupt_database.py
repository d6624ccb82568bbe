from pathlib import Path

import pytest

from meddisseg_studio.state import Project, StateCorruptError, quarantine_and_reset
from meddisseg_studio.state.store import DB_NAME


def test_garbage_database_is_reported_and_never_overwritten(flat_folder: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    project = Project.open(flat_folder, state_dir=state)
    project.set_status("a.png", "rejected", "blurred")
    project.close()
    db = state / DB_NAME
    garbage = b"this is not a database" * 200
    db.write_bytes(garbage)
    for companion in (state / f"{DB_NAME}-wal", state / f"{DB_NAME}-shm"):
        companion.unlink(missing_ok=True)

    with pytest.raises(StateCorruptError) as caught:
        Project.open(flat_folder, state_dir=state)
    assert caught.value.path == db
    assert db.read_bytes() == garbage


def test_damaged_page_fails_the_integrity_check(flat_folder: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    project = Project.open(flat_folder, state_dir=state)
    for entry in project.entries:
        project.set_status(entry.key, "rejected", "x" * 3000)  # spread rows over several pages
    project.close()
    db = state / DB_NAME
    data = bytearray(db.read_bytes())
    data[100:] = bytes(len(data) - 100)  # keep the header, wipe the pages
    db.write_bytes(bytes(data))
    with pytest.raises(StateCorruptError):
        Project.open(flat_folder, state_dir=state)
    assert db.read_bytes() == bytes(data)


def test_quarantine_moves_the_file_aside_and_a_fresh_state_opens(flat_folder: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    db = state / DB_NAME
    db.write_bytes(b"garbage" * 50)
    with pytest.raises(StateCorruptError) as caught:
        Project.open(flat_folder, state_dir=state)
    moved = quarantine_and_reset(caught.value.path)
    assert moved.read_bytes() == b"garbage" * 50
    assert ".corrupt-" in moved.name
    project = Project.open(flat_folder, state_dir=state)
    assert project.store.integrity_ok()
    assert project.store.schema_version == 1
