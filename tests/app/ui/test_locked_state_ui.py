"""Opening a folder whose state another program holds says "in use" and offers read-only viewing.

No "Damaged state" question, no quarantine: the healthy database stays exactly where it is.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

LOCKER = Path(__file__).parents[1] / "state" / "lock_holder_child.py"


def test_locked_folder_offers_read_only(qtbot, window, image_folder: Path, dialogs, monkeypatch) -> None:
    from meddisseg_studio.state import database

    monkeypatch.setattr(database, "LOCK_TIMEOUT_S", 0.2)
    window.open_folder(image_folder)
    project = window.workspace.project
    first = project.entries[0].key
    project.reject(first, "blurred")
    db = project.store.db_path
    window.workspace.close_project()
    before = db.read_bytes()
    locker = subprocess.Popen(
        [sys.executable, str(LOCKER), str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
        dialogs.confirmations.append(True)  # "Open read-only"
        window.open_folder(image_folder)
        asked = dialogs.asked[-1]
        assert asked.startswith("Folder in use") and "another program" in asked
        assert not any("Damaged" in question for question in dialogs.asked)
        opened = window.workspace.project
        assert opened is not None and opened.read_only
        assert opened.entry(first).reject_reason == "blurred"
        assert "read-only" in window.statusBar().currentMessage()
        window.workspace.close_project()

        dialogs.confirmations.append(False)  # "Cancel": nothing opens, nothing moves
        window.open_folder(image_folder)
        assert window.workspace.project is None
    finally:
        assert locker.stdin is not None
        locker.stdin.write("\n")
        locker.stdin.flush()
        locker.wait(timeout=30)
    assert db.read_bytes() == before
    assert not [p for p in db.parent.iterdir() if ".corrupt-" in p.name]
    assert dialogs.errors == []


def test_quarantine_that_cannot_move_the_file_is_reported(
    qtbot, window, image_folder: Path, dialogs, monkeypatch
) -> None:
    """Quarantine on a folder where the file cannot be moved is a message, not an escaped OSError."""
    window.open_folder(image_folder)
    db = window.workspace.project.store.db_path
    window.workspace.close_project()
    db.write_bytes(b"garbage" * 100)

    def read_only_replace(src: object, dst: object) -> None:
        raise OSError(30, "Read-only file system", str(src))

    monkeypatch.setattr(os, "replace", read_only_replace)
    dialogs.confirmations.append(True)  # "Quarantine"
    window.open_folder(image_folder)
    assert window.workspace.project is None
    assert dialogs.errors and "Read-only file system" in dialogs.errors[-1][1]
    assert db.read_bytes() == b"garbage" * 100
