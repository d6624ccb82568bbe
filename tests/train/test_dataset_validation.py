"""A bad dataset fails up front with a message naming the offending file."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from meddisseg_core.data import DataConfig, open_dataset
from meddisseg_core.errors import DatasetError


def _first(root: Path) -> str:
    return sorted(p.name for p in (root / "images").iterdir())[0]


def test_missing_mask_names_the_file(small_dataset: Path) -> None:
    name = _first(small_dataset)
    (small_dataset / "masks" / name).unlink()
    with pytest.raises(DatasetError, match=rf"no mask for image '{name}'"):
        open_dataset(small_dataset, DataConfig())


def test_wrong_size_mask_names_the_file_and_sizes(small_dataset: Path) -> None:
    name = _first(small_dataset)
    cv2.imwrite(str(small_dataset / "masks" / name), np.zeros((10, 12), np.uint8))
    with pytest.raises(DatasetError, match=rf"{name}: mask is 12x10 but its image is 80x72"):
        open_dataset(small_dataset, DataConfig())


def test_unreadable_image_names_the_file(small_dataset: Path) -> None:
    name = _first(small_dataset)
    (small_dataset / "images" / name).write_bytes(b"not an image at all")
    with pytest.raises(DatasetError, match=name):
        open_dataset(small_dataset, DataConfig())


def test_split_name_without_image_names_split_and_line(small_dataset: Path) -> None:
    names = sorted(p.name for p in (small_dataset / "images").iterdir())
    (small_dataset / "train.txt").write_text("\n".join(names[:3]) + "\nmissing.jpg\n")
    (small_dataset / "val.txt").write_text("\n".join(names[3:]) + "\n")
    with pytest.raises(DatasetError, match=r"train\.txt:4: 'missing\.jpg' has no image"):
        open_dataset(small_dataset, DataConfig())


def test_missing_masks_folder(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    with pytest.raises(DatasetError, match="masks: folder missing"):
        open_dataset(tmp_path, DataConfig())
