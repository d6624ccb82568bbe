"""Real Kvasir-SEG images: review a few, export the authors' layout, and let the trainer open it."""

from pathlib import Path

import cv2
import numpy as np
import pytest

from meddisseg_studio.export import export_authors, export_coco, read_coco_masks
from meddisseg_studio.state import EditSession, MaskEdit, Project, ReviewStatus


@pytest.mark.slow  # imports torch through the trainer's dataset module
def test_kvasir_review_to_training_folder(kvasir_dir: Path, tmp_path: Path) -> None:
    project = Project.open(kvasir_dir, state_dir=tmp_path / "state")
    assert len(project.entries) >= 4 and all(e.has_label for e in project.entries[:4])
    keys = [e.key for e in project.entries[:4]]
    session = EditSession(project, keys[0], background=False)
    h, w = session.mask.shape
    assert (h, w) == project.load_image(keys[0]).shape[:2]
    session.apply(MaskEdit(0, 0, session.mask[:10, :10].copy(), np.ones((10, 10), np.uint8)))
    for key in keys[:3]:
        project.approve(key)
    project.reject(keys[3], "not a polyp")
    assert project.summary().counts[ReviewStatus.APPROVED] == 3

    dest = export_authors(project, tmp_path / "kvasir-reviewed", seed=0)
    coco = read_coco_masks(export_coco(project, tmp_path / "kvasir.json"))
    for key in keys[:3]:
        final = project.load_mask(key)
        assert final is not None and np.array_equal(coco[key], final)
    assert np.array_equal(project.load_mask(keys[0])[:10, :10], np.ones((10, 10), np.uint8))
    assert np.array_equal(project.load_mask(keys[1]), project.load_label(keys[1]))

    from meddisseg_core.data.splits import read_split_file

    train = read_split_file(dest / "train.txt", dest / "images")
    val = read_split_file(dest / "val.txt", dest / "images")
    exported = sorted(Path(k).stem + ".png" for k in keys[:3])
    assert sorted(train + val) == exported
    for name in train + val:
        mask = cv2.imread(str(dest / "masks" / name), cv2.IMREAD_UNCHANGED)
        assert mask.shape == project.load_image(Path(name).stem + ".jpg").shape[:2]

    # Ready for `meddisseg train`: the trainer's own validation accepts the folder as it is.
    from meddisseg_core.data.dataset import DataConfig, open_dataset

    spec = open_dataset(dest, DataConfig(image_size=64))
    assert sorted(spec.split.train + spec.split.val) == exported
