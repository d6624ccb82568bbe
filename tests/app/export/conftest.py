"""A small reviewed project for the export tests."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from meddisseg_studio.state import Project, Proposal


def _write(path: Path, array: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    ok, buffer = cv2.imencode(path.suffix, array)
    assert ok
    path.write_bytes(buffer.tobytes())


@pytest.fixture
def reviewed_project(tmp_path: Path) -> Project:
    """Five images of odd sizes: four approved (one with an empty mask), one rejected."""
    folder = tmp_path / "images"
    rng = np.random.default_rng(7)
    shapes = {"p1.png": (17, 23), "p2.jpg": (31, 9), "p3.png": (12, 12), "p4.bmp": (1, 5), "p5.png": (8, 8)}
    for name, shape in shapes.items():
        _write(folder / name, rng.integers(0, 255, (*shape, 3), dtype=np.uint8))
    project = Project.open(folder, state_dir=tmp_path / "state")
    for name, shape in shapes.items():
        prob = rng.random(shape).astype(np.float32)
        project.save_proposal(name, Proposal(prob, model_id="tiny", threshold=0.5))
    project.approve("p1.png")
    project.approve("p2.jpg", (rng.random((31, 9)) > 0.3).astype(np.uint8))
    project.approve("p3.png", np.zeros((12, 12), np.uint8))  # nothing to segment
    project.approve("p4.bmp", np.array([[1, 0, 1, 1, 0]], np.uint8))
    project.reject("p5.png", "motion blur, unusable")
    return project
