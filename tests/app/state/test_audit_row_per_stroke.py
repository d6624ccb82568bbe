"""Each committed stroke gets its own mask row, even when the autosave thread coalesces several
strokes into one write (the writer is held back here, as a slow disk would)."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from meddisseg_studio.state import AutosaveQueue, EditSession, MaskEdit, Project
from meddisseg_studio.state.audit import mask_sha256


def test_coalesced_strokes_keep_one_row_each(flat_folder: Path, tmp_path: Path) -> None:
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    gate = threading.Event()
    writes: list[int] = []
    save = project.save_mask

    def slow_save(key: str, mask: np.ndarray) -> Path:
        gate.wait(10)
        writes.append(int(mask.sum()))
        return save(key, mask)

    project.save_mask = slow_save  # type: ignore[method-assign]
    project.autosave_queue = AutosaveQueue()
    session = EditSession(project, "a.png")
    expected = []
    for i in range(5):  # the first write waits at the gate; the next four coalesce behind it
        before = session.mask[i : i + 2, 0:2].copy()
        session.apply(MaskEdit(i, 0, before, np.ones_like(before)), tool="brush" if i % 2 else "lasso")
        expected.append(mask_sha256(session.mask))
    gate.set()
    session.flush(10)

    assert len(writes) < 5  # coalesced: fewer writes than strokes
    rows = [r for r in project.history("a.png") if r.action == "mask"]
    assert [r.details["tool"] for r in rows] == ["lasso", "brush", "lasso", "brush", "lasso"]
    assert [r.details["mask_sha256"] for r in rows] == expected
    project.close()
