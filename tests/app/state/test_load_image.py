from pathlib import Path

import numpy as np
import pytest

from meddisseg_core.errors import ImageReadError, ImageTooLargeError
from meddisseg_studio.state import Project


def test_kinds_of_images_come_back_as_display_rgb_uint8(tmp_path: Path, image_writer) -> None:
    folder = tmp_path / "imgs"
    ramp = np.linspace(0, 4095, 12 * 10).reshape(12, 10).astype(np.uint16)  # 12-bit data in 16 bits
    image_writer(folder / "deep.png", ramp)
    image_writer(folder / "grey.png", np.full((5, 7), 80, np.uint8))
    rgba = np.zeros((6, 6, 4), np.uint8)
    rgba[..., 2] = 200  # red in BGRA order
    image_writer(folder / "alpha.png", rgba)
    project = Project.open(folder, state_dir=tmp_path / "state")

    deep = project.load_image("deep.png")
    assert deep.dtype == np.uint8 and deep.shape == (12, 10, 3)
    assert deep.min() == 0 and deep.max() == 255  # stretched, not divided into darkness
    grey = project.load_image("grey.png")
    assert grey.shape == (5, 7, 3) and np.all(grey == 80)
    alpha = project.load_image("alpha.png")
    assert alpha.shape == (6, 6, 3) and np.all(alpha[..., 0] == 200) and np.all(alpha[..., 2] == 0)


def test_unreadable_image_records_a_persisted_error(tmp_path: Path, image_writer) -> None:
    folder = tmp_path / "imgs"
    image_writer(folder / "good.png", np.zeros((4, 4, 3), np.uint8))
    (folder / "broken.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    project = Project.open(folder, state_dir=tmp_path / "state")
    with pytest.raises(ImageReadError):
        project.load_image("broken.jpg")
    assert project.entry("broken.jpg").error
    assert project.next_unreviewed() == "good.png"
    project.close()
    reopened = Project.open(folder, state_dir=tmp_path / "state")
    assert "broken.jpg" in (reopened.entry("broken.jpg").error or "")


def test_too_large_image_is_refused_and_recorded(tmp_path: Path, image_writer) -> None:
    folder = tmp_path / "imgs"
    image_writer(folder / "big.png", np.zeros((40, 50, 3), np.uint8))
    project = Project.open(folder, state_dir=tmp_path / "state", max_pixels=1000)
    with pytest.raises(ImageTooLargeError):
        project.load_image("big.png")
    assert project.entry("big.png").error
