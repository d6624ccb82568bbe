"""The authors' layout: one PNG name per pair, pixel-identical images, lossless masks, split lists."""

from pathlib import Path

import cv2
import numpy as np
import pytest

from meddisseg_studio.export import ExportError, export_authors, split_names
from meddisseg_studio.state import Project

APPROVED = ["p1.png", "p2.jpg", "p3.png", "p4.bmp"]


def test_layout_masks_and_split_files(reviewed_project: Project, tmp_path: Path) -> None:
    dest = export_authors(reviewed_project, tmp_path / "ds", val_fraction=0.25, seed=3)
    names = [Path(n).stem + ".png" for n in APPROVED]
    assert sorted(p.name for p in (dest / "images").iterdir()) == names
    assert sorted(p.name for p in (dest / "masks").iterdir()) == names
    for key, name in zip(APPROVED, names, strict=True):
        source = reviewed_project.entry(key).path
        exported = (dest / "images" / name).read_bytes()
        assert exported.startswith(b"\x89PNG")
        if source.suffix == ".png":
            assert exported == source.read_bytes()  # a PNG original is copied byte for byte
        original = cv2.imread(str(source), cv2.IMREAD_UNCHANGED)
        assert np.array_equal(cv2.imdecode(np.frombuffer(exported, np.uint8), cv2.IMREAD_UNCHANGED), original)
        data = (dest / "masks" / name).read_bytes()
        assert data.startswith(b"\x89PNG")
        grey = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
        assert set(np.unique(grey)) <= {0, 255}
        assert np.array_equal(grey // 255, reviewed_project.load_mask(key))
    train = (dest / "train.txt").read_text()
    val = (dest / "val.txt").read_text()
    assert train.endswith("\n") and val.endswith("\n")
    assert sorted(train.split() + val.split()) == names and len(val.split()) == 1
    again = export_authors(reviewed_project, tmp_path / "ds2", val_fraction=0.25, seed=3)
    assert (again / "val.txt").read_text() == val  # seeded: the same split every time


def test_split_needs_two_images() -> None:
    with pytest.raises(ExportError):
        split_names(["only.png"], 0.2, 0)
    train, val = split_names([f"{i}.png" for i in range(10)], 0.2, 1)
    assert len(val) == 2 and not set(train) & set(val)
