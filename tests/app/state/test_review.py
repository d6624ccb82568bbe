from pathlib import Path

import numpy as np
import pytest

from meddisseg_studio.state import Project, Proposal, ReviewStatus


def _proposal(shape: tuple[int, int], box: tuple[int, int, int, int], unc: float | None = None) -> Proposal:
    prob = np.full(shape, 0.1, np.float32)
    y0, y1, x0, x1 = box
    prob[y0:y1, x0:x1] = 0.9
    uncertainty = None if unc is None else np.full(shape, unc, np.float32)
    return Proposal(prob, uncertainty, model_id="tiny-v1", threshold=0.5)


def test_approve_scores_the_proposal_against_the_final_mask(flat_folder: Path, tmp_path: Path) -> None:
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    project.save_proposal("a.png", _proposal((24, 32), (0, 10, 0, 10)))  # 100 px
    assert project.entry("a.png").status is ReviewStatus.PROPOSED
    final = np.zeros((24, 32), np.uint8)
    final[0:10, 0:5] = 1  # 50 px, all inside the proposal
    project.approve("a.png", final)
    entry = project.entry("a.png")
    assert entry.status is ReviewStatus.APPROVED
    assert entry.proposal_dice == pytest.approx(2 * 50 / 150)
    assert entry.edited_fraction == pytest.approx(50 / (24 * 32))
    assert np.array_equal(project.load_mask("a.png"), final)


def test_approving_an_untouched_proposal_stores_it_as_the_mask(flat_folder: Path, tmp_path: Path) -> None:
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    proposal = _proposal((24, 32), (2, 8, 3, 9))
    project.save_proposal("a.png", proposal)
    project.approve("a.png")
    assert project.entry("a.png").proposal_dice == 1.0
    assert project.entry("a.png").edited_fraction == 0.0
    assert np.array_equal(project.load_mask("a.png"), proposal.binary_mask())


def test_reject_and_status_survive_reopening(flat_folder: Path, tmp_path: Path) -> None:
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    project.reject("b.JPG", "out of focus")
    project.close()
    entry = Project.open(flat_folder, state_dir=tmp_path / "state").entry("b.JPG")
    assert entry.status is ReviewStatus.REJECTED and entry.reject_reason == "out of focus"


def test_queue_orders_by_uncertainty_and_next_unreviewed_skips_reviewed(
    flat_folder: Path, tmp_path: Path
) -> None:
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    project.save_proposal("a.png", _proposal((24, 32), (0, 4, 0, 4), unc=0.1))
    project.save_proposal("b.JPG", _proposal((20, 28), (0, 4, 0, 4), unc=0.6))
    assert project.review_queue() == ["b.JPG", "a.png", "c.png"]  # unscored last
    project.approve("b.JPG")
    assert project.review_queue() == ["a.png", "c.png"]
    assert project.next_unreviewed("a.png") == "c.png"
    assert project.next_unreviewed("c.png") == "a.png"  # wraps around
    project.reject("a.png", "no lesion")
    project.reject("c.png", "no lesion")
    assert project.next_unreviewed("a.png") is None


def test_entropy_score_without_an_uncertainty_map(flat_folder: Path, tmp_path: Path) -> None:
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    project.save_proposal("a.png", Proposal(np.full((24, 32), 0.5, np.float32)))
    project.save_proposal("c.png", Proposal(np.full((16, 16), 0.99, np.float32)))
    assert project.entry("a.png").uncertainty == pytest.approx(1.0)
    assert project.entry("c.png").uncertainty < 0.1
    loaded = project.load_proposal("a.png")
    assert loaded is not None and loaded.uncertainty is None and loaded.shape == (24, 32)


def test_summary_and_listeners(flat_folder: Path, tmp_path: Path) -> None:
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    seen: list[str] = []
    unsubscribe = project.subscribe(seen.append)
    project.save_proposal("a.png", _proposal((24, 32), (0, 10, 0, 10)))
    project.approve("a.png")
    project.reject("b.JPG", "blurred")
    unsubscribe()
    project.reject("c.png", "blurred")
    assert seen == ["a.png", "a.png", "b.JPG"]
    summary = project.summary()
    assert summary.counts[ReviewStatus.APPROVED] == 1
    assert summary.counts[ReviewStatus.REJECTED] == 2
    assert summary.mean_dice_approved == 1.0 and summary.mean_edited_fraction == 0.0
    assert [row.key for row in summary.rows] == ["a.png", "b.JPG", "c.png"]
