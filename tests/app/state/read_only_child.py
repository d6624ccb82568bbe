"""Child process of test_read_only_mount: opens a project on a read-only medium and reports.

Usage: ``python read_only_child.py FOLDER STATE_DIR``. Prints one JSON object: whether the
project opened read-only and why, every status and reject reason, the stored mask's pixel count,
and what happened to an edit (it must fail to save and stay in memory).
"""

from __future__ import annotations

import json
import sys

import numpy as np

from meddisseg_studio.state import EditSession, MaskEdit, Project, SaveError

folder, state_dir = sys.argv[1], sys.argv[2]
report: dict[str, object] = {}
try:
    project = Project.open(folder, state_dir=state_dir)
except Exception as exc:  # reported, so the test shows what went wrong
    report["open_error"] = f"{type(exc).__name__}: {exc}"
else:
    report["read_only"] = project.read_only
    report["reason"] = project.read_only_reason
    report["statuses"] = {e.key: str(e.status) for e in project.entries}
    report["reasons"] = {e.key: e.reject_reason for e in project.entries if e.reject_reason}
    mask = project.load_mask("a.png")
    report["mask_pixels"] = None if mask is None else int(mask.sum())
    session = EditSession(project, "a.png", background=False)
    try:
        session.apply(MaskEdit(0, 0, np.zeros((2, 2), np.uint8), np.ones((2, 2), np.uint8)))
        report["edit"] = "saved"
    except SaveError:
        kept = session.dirty and int(session.mask[:2, :2].sum()) == 4
        report["edit"] = "kept in memory" if kept else "lost"
    project.close()
print(json.dumps(report))
