"""A few real Kvasir-SEG images copied into tmp_path (never into the repository)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

N_IMAGES = 5


@pytest.fixture
def kvasir_copy(kvasir_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    """(folder of N_IMAGES Kvasir images, folder of their masks), both in tmp_path."""
    names = (kvasir_dir / "train.txt").read_text().split()[:N_IMAGES]
    images, masks = tmp_path / "project", tmp_path / "kvasir-masks"
    images.mkdir()
    masks.mkdir()
    for name in names:
        shutil.copyfile(kvasir_dir / "images" / name, images / name)
        shutil.copyfile(kvasir_dir / "masks" / name, masks / name)
    return images, masks
