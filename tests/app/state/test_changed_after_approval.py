"""Editing an approved image makes it "changed after approval": unreviewed, stored, re-approvable."""

from pathlib import Path

import numpy as np
import pytest

from meddisseg_studio.state import EditSession, MaskEdit, Project, Proposal, ReviewStatus
from meddisseg_studio.state.review import after_change


def _proposal() -> Proposal:
    prob = np.zeros((24, 32), np.float32)
    prob[0:10, 0:10] = 0.9  # 100 px
    return Proposal(prob, None, model_id="m", threshold=0.5)


def _paint(y: int, x: int, h: int, w: int, mask: np.ndarray) -> MaskEdit:
    before = mask[y : y + h, x : x + w].copy()
    return MaskEdit(y, x, before, np.ones_like(before))


def test_edit_after_approval_marks_changed_and_reapproval_recomputes_dice(
    flat_folder: Path, tmp_path: Path
) -> None:
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    project.save_proposal("a.png", _proposal())
    project.approve("a.png")
    assert project.entry("a.png").proposal_dice == 1.0

    session = EditSession(project, "a.png", background=False)
    session.apply(_paint(0, 10, 10, 10, session.mask))  # 100 more pixels
    entry = project.entry("a.png")
    assert entry.status is ReviewStatus.CHANGED and entry.status.label == "changed after approval"
    assert not entry.status.reviewed
    assert project.next_unreviewed("c.png") == "a.png"
    assert "a.png" in project.review_queue()

    project.approve("a.png")
    entry = project.entry("a.png")
    assert entry.status is ReviewStatus.APPROVED
    assert entry.proposal_dice == pytest.approx(2 * 100 / 300)  # recomputed on the new mask
    assert np.array_equal(project.load_mask("a.png"), session.mask)


def test_undo_past_the_approval_also_counts_as_a_change(flat_folder: Path, tmp_path: Path) -> None:
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    session = EditSession(project, "a.png", background=False)
    session.apply(_paint(2, 2, 4, 4, session.mask))
    project.approve("a.png")
    assert session.undo() is not None  # the approved stroke is gone again
    assert project.entry("a.png").status is ReviewStatus.CHANGED


def test_changed_status_survives_reopening(flat_folder: Path, tmp_path: Path) -> None:
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    project.approve("b.JPG")
    session = EditSession(project, "b.JPG", background=False)
    session.apply(_paint(1, 1, 3, 3, session.mask))
    project.close()
    again = Project.open(flat_folder, state_dir=tmp_path / "state")
    assert again.entry("b.JPG").status is ReviewStatus.CHANGED
    assert again.summary().counts[ReviewStatus.CHANGED] == 1


def test_status_rule_table() -> None:
    s = ReviewStatus
    assert after_change(s.NEW, manual=True) is s.EDITED
    assert after_change(s.PROPOSED, manual=False) is s.PROPOSED  # re-threshold keeps "proposed"
    assert after_change(s.APPROVED, manual=False) is s.CHANGED
    assert after_change(s.CHANGED, manual=True) is s.CHANGED
    assert after_change(s.REJECTED, manual=True) is s.REJECTED
