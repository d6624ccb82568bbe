"""Proposing, editing, approving and rejecting each leave audit rows, in order, naming the user,
the UTC time, the model (id and sha256) and the mask's sha256."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from meddisseg_studio.state import EditSession, MaskEdit, Project, Proposal
from meddisseg_studio.state.audit import mask_sha256

MODEL_SHA = "ab" * 32


def _paint(mask: np.ndarray, y: int, x: int, value: int) -> MaskEdit:
    before = mask[y : y + 3, x : x + 3].copy()
    return MaskEdit(y, x, before, np.full_like(before, value))


def test_each_change_is_a_row_in_order(flat_folder: Path, tmp_path: Path) -> None:
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    project.user_name = "Dr A. Smith"
    prob = np.zeros((24, 32), np.float32)
    prob[4:12, 4:12] = 0.9
    project.save_proposal(
        "a.png", Proposal(prob, model_id="tiny (tiny-1)"), model_id="tiny-1", model_sha256=MODEL_SHA
    )
    session = EditSession(project, "a.png", background=False)
    session.apply(_paint(session.mask, 0, 0, 1), tool="brush")
    session.apply(_paint(session.mask, 5, 5, 0), tool="eraser")
    after_edits = session.mask.copy()
    project.approve("a.png")
    project.reject("b.JPG", "image quality")

    rows = project.history("a.png")
    assert [(r.action, r.details.get("tool") or r.details.get("to")) for r in rows] == [
        ("propose", None),
        ("status", "edited"),
        ("mask", "brush"),
        ("mask", "eraser"),
        ("approve", None),
    ]
    assert all(r.user == "Dr A. Smith" and r.image == "a.png" for r in rows)
    times = [datetime.fromisoformat(r.time) for r in rows]
    assert all(t.utcoffset() == UTC.utcoffset(None) for t in times)
    assert times == sorted(times)
    propose = rows[0].details
    assert (propose["model"], propose["model_id"], propose["model_sha256"]) == (
        "tiny (tiny-1)",
        "tiny-1",
        MODEL_SHA,
    )
    assert propose["mask_sha256"] == mask_sha256((prob > 0.5).astype(np.uint8))
    assert rows[2].details["mask_sha256"] != rows[3].details["mask_sha256"]
    assert rows[3].details["mask_sha256"] == mask_sha256(after_edits)
    assert rows[4].details["mask_sha256"] == mask_sha256(project.load_mask("a.png"))
    assert rows[4].details["from"] == "edited"

    (reject,) = project.history("b.JPG")
    assert (reject.action, reject.details["reason"], reject.user) == (
        "reject",
        "image quality",
        "Dr A. Smith",
    )
    assert [r.image for r in project.history()] == ["a.png"] * 5 + ["b.JPG"]  # the log, in order
    project.close()
