"""Small synthetic project folders for the state tests."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest


def write_image(path: Path, array: np.ndarray) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    ok, buffer = cv2.imencode(path.suffix, array)
    assert ok
    path.write_bytes(buffer.tobytes())
    return path


@pytest.fixture
def flat_folder(tmp_path: Path) -> Path:
    """Three small images of different kinds in a plain folder."""
    folder = tmp_path / "images"
    rng = np.random.default_rng(0)
    write_image(folder / "a.png", rng.integers(0, 255, (24, 32, 3), dtype=np.uint8))
    write_image(folder / "b.JPG", rng.integers(0, 255, (20, 28, 3), dtype=np.uint8))
    write_image(folder / "c.png", rng.integers(0, 255, (16, 16), dtype=np.uint8))
    return folder


@pytest.fixture
def authors_folder(tmp_path: Path) -> Path:
    """The authors' layout: images/ and masks/ with the same file names."""
    root = tmp_path / "dataset"
    rng = np.random.default_rng(1)
    for name in ("x1.png", "x2.png", "x3.png"):
        write_image(root / "images" / name, rng.integers(0, 255, (20, 24, 3), dtype=np.uint8))
    label = np.zeros((20, 24), np.uint8)
    label[5:10, 6:12] = 255
    write_image(root / "masks" / "x1.png", label)
    return root


@pytest.fixture
def image_writer():
    """The helper that writes an array as an image file (by suffix)."""
    return write_image
