from pathlib import Path

import cv2
import numpy as np
import pytest

from meddisseg_studio.export import ExportError, export_authors, split_names
from meddisseg_studio.state import Project


def test_layout_masks_and_split_files(reviewed_project: Project, tmp_path: Path) -> None:
    dest = export_authors(reviewed_project, tmp_path / "ds", val_fraction=0.25, seed=3)
    approved = ["p1.png", "p2.jpg", "p3.png", "p4.bmp"]
    assert sorted(p.name for p in (dest / "images").iterdir()) == approved
    assert sorted(p.name for p in (dest / "masks").iterdir()) == [Path(n).stem + ".png" for n in approved]
    for name in approved:
        entry = reviewed_project.entry(name)
        assert (dest / "images" / name).read_bytes() == entry.path.read_bytes()
        data = (dest / "masks" / (Path(name).stem + ".png")).read_bytes()
        assert data.startswith(b"\x89PNG")
        grey = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
        assert set(np.unique(grey)) <= {0, 255}
        assert np.array_equal(grey // 255, reviewed_project.load_mask(name))
    train = (dest / "train.txt").read_text()
    val = (dest / "val.txt").read_text()
    assert train.endswith("\n") and val.endswith("\n")
    assert sorted(train.split() + val.split()) == approved and len(val.split()) == 1
    again = export_authors(reviewed_project, tmp_path / "ds2", val_fraction=0.25, seed=3)
    assert (again / "val.txt").read_text() == val  # seeded: the same split every time


def test_split_needs_two_images() -> None:
    with pytest.raises(ExportError):
        split_names(["only.png"], 0.2, 0)
    train, val = split_names([f"{i}.png" for i in range(10)], 0.2, 1)
    assert len(val) == 2 and not set(train) & set(val)
