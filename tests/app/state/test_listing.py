from pathlib import Path

import numpy as np

from meddisseg_studio.state import Project, ReviewStatus


def test_suffixes_case_insensitive_and_hidden_and_other_files_skipped(
    flat_folder: Path, image_writer
) -> None:
    write_image = image_writer
    (flat_folder / "notes.txt").write_text("not an image")
    write_image(flat_folder / "sub" / "d.TIFF", np.zeros((4, 4), np.uint16))
    write_image(flat_folder / ".hidden" / "e.png", np.zeros((4, 4), np.uint8))
    write_image(flat_folder / "f.bmp", np.zeros((4, 4, 3), np.uint8))
    project = Project.open(flat_folder)
    assert project.keys() == ["a.png", "b.JPG", "c.png", "f.bmp", "sub/d.TIFF"]
    assert project.state_dir == flat_folder.resolve() / ".meddisseg-studio"
    assert all(e.status is ReviewStatus.NEW for e in project.entries)


def test_authors_layout_gives_starting_labels(authors_folder: Path) -> None:
    project = Project.open(authors_folder)
    assert project.keys() == ["x1.png", "x2.png", "x3.png"]
    first = project.entry("x1.png")
    assert first.has_label and first.status is ReviewStatus.NEW
    assert not project.entry("x2.png").has_label
    mask = project.load_mask("x1.png")
    assert mask is not None and mask.dtype == np.uint8
    assert set(np.unique(mask)) == {0, 1} and int(mask.sum()) == 5 * 6
    assert project.load_mask("x2.png") is None
