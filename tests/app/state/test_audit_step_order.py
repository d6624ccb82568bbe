"""With the mask rows made in the background, the log still lists each step in order: a status
change (an undo or a revert bringing it, an approval) waits until the earlier steps' mask rows
are written."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from meddisseg_studio.state import AutosaveQueue, EditSession, MaskEdit, Project, Proposal


def test_status_rows_never_overtake_earlier_mask_rows(flat_folder: Path, tmp_path: Path) -> None:
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    prob = np.zeros((24, 32), np.float32)
    prob[5:15, 5:15] = 0.9
    project.save_proposal("a.png", Proposal(prob, model_id="m"))
    queue = project.autosave_queue = AutosaveQueue()
    # A slow hash or disk: each mask row is held back until someone waits for the rows.
    asked = threading.Event()
    record, flush_notes = project.record_mask, queue.flush_notes

    def held_record(key: str, mask: np.ndarray, tool: str, time: str | None = None) -> None:
        asked.wait(10)
        record(key, mask, tool, time)

    def flush_notes_asked(key: str, timeout: float | None = None) -> bool:
        asked.set()
        return flush_notes(key, timeout)

    project.record_mask = held_record  # type: ignore[method-assign]
    queue.flush_notes = flush_notes_asked  # type: ignore[method-assign]
    session = EditSession(project, "a.png")
    before = session.mask[0:3, 0:3].copy()
    session.apply(MaskEdit(0, 0, before, np.ones_like(before)), tool="brush")
    session.revert_to_proposal()
    session.undo()
    after = session.mask[20:23, 20:23].copy()
    session.apply(MaskEdit(20, 20, after, np.ones_like(after)), tool="lasso")
    project.approve("a.png", session.mask.copy())  # at once, as the A key does once the mask is saved
    asked.set()
    session.flush(10)

    steps = [
        (r.action, r.details.get("tool") or r.details.get("to"))
        for r in project.history("a.png")
        if r.action != "propose"
    ]
    assert steps == [
        ("status", "edited"),
        ("mask", "brush"),
        ("status", "proposed"),
        ("mask", "revert"),
        ("status", "edited"),
        ("mask", "undo"),
        ("mask", "lasso"),
        ("approve", None),
    ]
    project.close()
