"""Revert to proposal restores the proposal's mask as ONE undo step and makes the image
"proposed"; undoing edits all the way back to the proposal makes it "proposed" too."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from meddisseg_studio.state import EditSession, MaskEdit, Project, Proposal, ReviewStatus


def _stroke(mask: np.ndarray, y: int, x: int) -> MaskEdit:
    before = mask[y : y + 4, x : x + 4].copy()
    return MaskEdit(y, x, before, 1 - before)


def test_revert_is_one_undo_step_and_undo_back_gives_proposed(flat_folder: Path, tmp_path: Path) -> None:
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    prob = np.zeros((24, 32), np.float32)
    prob[6:18, 8:20] = 0.8
    project.save_proposal("a.png", Proposal(prob, model_id="m"))
    proposed = (prob > 0.5).astype(np.uint8)
    session = EditSession(project, "a.png", background=False)
    assert np.array_equal(session.mask, proposed)

    session.apply(_stroke(session.mask, 0, 0), tool="brush")
    session.apply(_stroke(session.mask, 10, 10), tool="eraser")
    edited = session.mask.copy()
    assert project.entry("a.png").status is ReviewStatus.EDITED

    assert session.revert_to_proposal() is not None
    assert np.array_equal(session.mask, proposed)
    assert np.array_equal(project.load_mask("a.png"), proposed)  # saved
    assert project.entry("a.png").status is ReviewStatus.PROPOSED
    assert session.revert_to_proposal() is None  # nothing left to revert

    session.undo()  # ONE step back: the two strokes again
    assert np.array_equal(session.mask, edited)
    assert project.entry("a.png").status is ReviewStatus.EDITED
    session.undo()
    assert project.entry("a.png").status is ReviewStatus.EDITED  # the brush stroke is still there
    session.undo()  # all the way back to the proposal
    assert np.array_equal(session.mask, proposed)
    assert project.entry("a.png").status is ReviewStatus.PROPOSED
    session.redo()  # away from it again
    assert project.entry("a.png").status is ReviewStatus.EDITED

    rows = [(r.action, r.details.get("tool"), r.details.get("to")) for r in project.history("a.png")]
    assert ("mask", "revert", None) in rows
    assert rows.count(("status", None, "proposed")) == 2  # the revert, and the undo back
    project.close()


def test_an_approved_image_reverted_is_proposed_again(flat_folder: Path, tmp_path: Path) -> None:
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    prob = np.zeros((24, 32), np.float32)
    prob[2:9, 2:9] = 0.9
    project.save_proposal("a.png", Proposal(prob, model_id="m"))
    session = EditSession(project, "a.png", background=False)
    session.apply(_stroke(session.mask, 12, 12), tool="polygon")
    project.approve("a.png")
    session.revert_to_proposal()
    entry = project.entry("a.png")
    assert entry.status is ReviewStatus.PROPOSED and not entry.status.reviewed
    project.close()
