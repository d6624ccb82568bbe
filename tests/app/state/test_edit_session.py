from pathlib import Path

import numpy as np

from meddisseg_studio.state import EditSession, MaskEdit, Project, Proposal, ReviewStatus


def _stroke(y: int, x: int) -> MaskEdit:
    return MaskEdit(y, x, np.zeros((3, 3), np.uint8), np.ones((3, 3), np.uint8))


def test_edit_autosaves_marks_edited_and_undo_redo_round_trip(flat_folder: Path, tmp_path: Path) -> None:
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    session = EditSession(project, "a.png", background=False)
    assert session.mask.shape == (24, 32) and not session.dirty and not session.can_undo
    session.apply(_stroke(2, 2))
    assert project.entry("a.png").status is ReviewStatus.EDITED
    assert not session.dirty
    assert np.array_equal(project.load_mask("a.png"), session.mask)
    session.apply(_stroke(10, 10))
    assert session.undo() is not None
    assert session.mask[10:13, 10:13].sum() == 0 and session.can_redo
    assert np.array_equal(project.load_mask("a.png"), session.mask)  # undo is saved too
    session.redo()
    assert session.mask[10:13, 10:13].sum() == 9
    assert session.redo() is None


def test_background_autosave_reaches_disk_after_flush(flat_folder: Path, tmp_path: Path) -> None:
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    session = EditSession(project, "a.png")
    for i in range(10):
        session.apply(_stroke(i, 2 * i))
    session.flush()
    assert not session.dirty
    assert np.array_equal(project.load_mask("a.png"), session.mask)
    project.close()
    again = Project.open(flat_folder, state_dir=tmp_path / "state")
    assert np.array_equal(again.load_mask("a.png"), session.mask)


def test_set_from_proposal_is_one_undoable_edit(flat_folder: Path, tmp_path: Path) -> None:
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    prob = np.zeros((24, 32), np.float32)
    prob[4:9, 5:15] = 0.8
    project.save_proposal("a.png", Proposal(prob, threshold=0.5))
    session = EditSession(project, "a.png", background=False)
    assert session.mask.sum() == 50  # starts from the proposal, not an edit
    assert project.entry("a.png").status is ReviewStatus.PROPOSED
    edit = session.set_from_proposal(prob, 0.9)
    assert edit is not None and session.mask.sum() == 0
    assert project.entry("a.png").status is ReviewStatus.PROPOSED  # still the model's mask
    session.undo()
    assert session.mask.sum() == 50 and not session.can_undo
    project.approve("a.png", session.mask)
    session.apply(_stroke(0, 0))
    # The approval described the mask before this stroke (test_changed_after_approval.py).
    assert project.entry("a.png").status is ReviewStatus.CHANGED


def test_undo_history_survives_switching_images(flat_folder: Path, tmp_path: Path) -> None:
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    first = EditSession(project, "a.png", background=False)
    first.apply(_stroke(1, 1))
    EditSession(project, "c.png", background=False).apply(_stroke(0, 0))
    back = EditSession(project, "a.png", background=False)
    assert back.mask[1:4, 1:4].sum() == 9 and back.can_undo
    back.undo()
    assert back.mask.sum() == 0
