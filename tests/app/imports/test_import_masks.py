"""Importing a folder of masks: matched by name, reviewed work protected, bad files reported."""

from pathlib import Path

import cv2
import numpy as np

from meddisseg_core.imageio import read_mask
from meddisseg_studio.imports import ImportAs, import_masks
from meddisseg_studio.state import Project, ReviewStatus


def test_kvasir_masks_become_proposals(kvasir_copy: tuple[Path, Path], tmp_path: Path) -> None:
    images, masks = kvasir_copy
    project = Project.open(images, state_dir=tmp_path / "state")
    report = import_masks(project, masks)
    assert sorted(report.imported) == sorted(project.keys()) and len(report.imported) == 5
    assert report.failed == [] and report.skipped == []
    for key in list(project.keys()):
        expected = read_mask(masks / key)
        assert np.array_equal(project.load_mask(key), expected)
        proposal = project.load_proposal(key)
        assert proposal is not None and np.array_equal(proposal.binary_mask(), expected)
        assert proposal.model_id == "import:masks"
        assert project.entry(key).status is ReviewStatus.PROPOSED


def test_edited_and_approved_masks_are_kept_unless_forced(
    kvasir_copy: tuple[Path, Path], tmp_path: Path
) -> None:
    images, masks = kvasir_copy
    project = Project.open(images, state_dir=tmp_path / "state")
    edited, approved, rejected, *rest = project.keys()
    mine = np.zeros(project.image_shape(edited), np.uint8)
    project.save_mask(edited, mine)
    project.set_status(edited, ReviewStatus.EDITED)
    project.approve(approved, np.zeros(project.image_shape(approved), np.uint8))
    project.reject(rejected, "not a polyp")

    report = import_masks(project, masks, as_status=ImportAs.APPROVED)
    assert sorted(report.imported) == sorted(rest)
    assert {key for key, _ in report.skipped} == {edited, approved, rejected}
    assert all("--force" in reason for _, reason in report.skipped)
    assert not project.load_mask(edited).any() and not project.load_mask(approved).any()
    assert project.entry(rejected).status is ReviewStatus.REJECTED
    assert all(project.entry(key).status is ReviewStatus.APPROVED for key in rest)

    forced = import_masks(project, masks, as_status=ImportAs.APPROVED, force=True)
    assert sorted(forced.imported) == sorted(project.keys()) and forced.skipped == []
    assert np.array_equal(project.load_mask(edited), read_mask(masks / edited))


def test_bad_files_are_reported_one_by_one_and_the_rest_imported(
    kvasir_copy: tuple[Path, Path], tmp_path: Path
) -> None:
    images, masks = kvasir_copy
    project = Project.open(images, state_dir=tmp_path / "state")
    keys = project.keys()
    cv2.imwrite(str(masks / keys[0]), np.zeros((7, 9), np.uint8))  # wrong size
    (masks / keys[1]).write_bytes(b"not an image at all")  # unreadable
    cv2.imwrite(str(masks / "stranger.png"), np.zeros((5, 5), np.uint8))  # no such image
    (masks / "notes.txt").write_text("ignored: not an image file")

    report = import_masks(project, masks)
    failed = dict(report.failed)
    assert set(failed) == {keys[0], keys[1], "stranger.png"}
    assert "7" in failed[keys[0]] and "9" in failed[keys[0]]  # both sizes are named
    assert "no image" in failed["stranger.png"]
    assert sorted(report.imported) == sorted(keys[2:])
    assert project.load_mask(keys[0]) is None and project.entry(keys[0]).status is ReviewStatus.NEW
