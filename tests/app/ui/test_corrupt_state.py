"""Damaged state is never overwritten silently: the user is offered a quarantine, then it opens."""

from __future__ import annotations

from pathlib import Path


def _state_db(folder: Path) -> Path:
    candidates = [p for p in folder.rglob("*") if p.is_file() and p.suffix in (".sqlite", ".db", ".sqlite3")]
    assert candidates, list(folder.rglob("*"))
    return candidates[0]


def test_corrupt_database_offers_quarantine(qtbot, window, image_folder: Path, dialogs) -> None:
    window.open_folder(image_folder)
    state_dir = window.workspace.project.state_dir
    window.workspace.close_project()
    db = _state_db(state_dir)
    garbage = b"this is not SQLite" * 100
    db.write_bytes(garbage)
    for sidecar in db.parent.glob(db.name + "-*"):
        sidecar.unlink()

    # First refusal: nothing opens and the damaged file stays exactly as it was.
    dialogs.confirmations.append(False)
    window.open_folder(image_folder)
    assert window.workspace.project is None
    assert db.read_bytes() == garbage
    assert any("Quarantine" in q or "damaged" in q.lower() for q in dialogs.asked)

    # Accepting moves it aside (kept, not deleted) and opens with fresh state.
    dialogs.confirmations.append(True)
    window.open_folder(image_folder)
    assert window.workspace.project is not None
    kept = [p for p in state_dir.rglob("*") if p.is_file() and p.read_bytes() == garbage]
    assert kept, "the damaged file must be kept somewhere"
