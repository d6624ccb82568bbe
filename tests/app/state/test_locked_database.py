"""A state database locked by another process is "in use", never "Damaged"; read-only viewing works.

The lock is real: a second process holds ``BEGIN IMMEDIATE`` on the database, as another copy
of the studio (or a database browser) would.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from meddisseg_core.errors import MedDisSegError
from meddisseg_studio.state import Project, ReviewStatus, quarantine_and_reset
from meddisseg_studio.state.errors import StateCorruptError, StateLockedError
from meddisseg_studio.state.store import DB_NAME

CHILD = Path(__file__).with_name("lock_holder_child.py")


@pytest.fixture
def reviewed_state(flat_folder: Path, tmp_path: Path) -> Path:
    state = tmp_path / "state"
    project = Project.open(flat_folder, state_dir=state)
    project.reject("a.png", "blurred")
    project.set_status("b.JPG", "approved")
    project.close()
    return state


@pytest.fixture
def held_lock(reviewed_state: Path) -> Iterator[subprocess.Popen[str]]:
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(reviewed_state / DB_NAME)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdin is not None
    try:
        assert child.stdout.readline().strip() == "locked"
        yield child
    finally:
        if child.poll() is None:
            child.stdin.write("\n")
            child.stdin.flush()
            child.wait(timeout=30)


def _statuses(project: Project) -> dict[str, str]:
    return {e.key: str(e.status) for e in project.entries}


def test_locked_database_says_in_use_and_stays_put(
    flat_folder: Path, reviewed_state: Path, held_lock: subprocess.Popen[str]
) -> None:
    db = reviewed_state / DB_NAME
    before = db.read_bytes()
    with pytest.raises(StateLockedError) as caught:
        Project.open(flat_folder, state_dir=reviewed_state, lock_timeout=0.2)
    error = caught.value
    assert not isinstance(error, StateCorruptError)  # the UI must not offer Quarantine
    text = str(error)
    assert "another program" in text and "another copy" in text and "read-only" in text
    assert str(flat_folder) in text or str(reviewed_state) in text
    assert error.path == db
    # Quarantine is refused for a healthy (merely locked) database, whoever asks.
    with pytest.raises(MedDisSegError, match="not damaged"):
        quarantine_and_reset(db)
    assert db.read_bytes() == before
    assert [p.name for p in reviewed_state.iterdir() if ".corrupt-" in p.name] == []


def test_read_only_view_works_while_locked(
    flat_folder: Path, reviewed_state: Path, held_lock: subprocess.Popen[str]
) -> None:
    project = Project.open(flat_folder, state_dir=reviewed_state, read_only=True, lock_timeout=0.2)
    assert project.read_only
    assert _statuses(project) == {"a.png": "rejected", "b.JPG": "approved", "c.png": "new"}
    assert project.entry("a.png").reject_reason == "blurred"
    assert project.load_image("c.png").ndim == 3
    project.close()


def test_after_the_other_program_lets_go_the_folder_opens_writable(
    flat_folder: Path, reviewed_state: Path, held_lock: subprocess.Popen[str]
) -> None:
    with pytest.raises(StateLockedError):
        Project.open(flat_folder, state_dir=reviewed_state, lock_timeout=0.2)
    assert held_lock.stdin is not None
    held_lock.stdin.write("\n")
    held_lock.stdin.flush()
    held_lock.wait(timeout=30)
    project = Project.open(flat_folder, state_dir=reviewed_state, lock_timeout=0.2)
    assert not project.read_only
    assert project.entry("a.png").status is ReviewStatus.REJECTED
    project.set_status("c.png", "edited")
    project.close()
