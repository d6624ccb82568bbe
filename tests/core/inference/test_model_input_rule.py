"""One pixel rule for the model's input: ``imageio.to_model_uint8`` (16-bit / 257, rounded), everywhere."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from meddisseg_core.checkpoint import InputConvention
from meddisseg_core.imageio import to_model_uint8
from meddisseg_core.inference.preprocessing import preprocess


def test_sixteen_bit_is_divided_by_257_and_rounded() -> None:
    image = np.array([[[0, 128, 129], [257, 385, 386]], [[65535, 65407, 1000], [3000, 2, 30000]]], np.uint16)
    out = to_model_uint8(image)
    assert out.dtype == np.uint8 and out.shape == (2, 2, 3)
    # 128/257 = 0.498 -> 0; 129/257 = 0.502 -> 1; 385/257 = 1.498 -> 1; 386/257 = 1.502 -> 2
    assert out.tolist() == [[[0, 0, 1], [1, 1, 2]], [[255, 255, 4], [12, 0, 117]]]


def test_eight_bit_rgb_passes_unchanged_and_other_layouts_become_rgb() -> None:
    rgb = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)
    assert np.array_equal(to_model_uint8(rgb), rgb)
    grey = np.array([[0, 514]], np.uint16)
    assert to_model_uint8(grey).tolist() == [[[0, 0, 0], [2, 2, 2]]]
    rgba = np.dstack([rgb, np.full((2, 3), 7, np.uint8)])
    assert np.array_equal(to_model_uint8(rgba), rgb)
    assert to_model_uint8(rgba).flags["C_CONTIGUOUS"]


@pytest.mark.parametrize("bad", [np.zeros((2, 2, 3), np.float32), np.zeros((2, 2, 2), np.uint8)])
def test_other_inputs_are_refused(bad: np.ndarray) -> None:
    with pytest.raises(ValueError):
        to_model_uint8(bad)


def test_predictor_and_trainer_read_through_the_same_rule(tmp_path: Path) -> None:
    """A 16-bit file gives the same 8-bit pixels to inference preprocessing and to the trainer's reader."""
    from meddisseg_core.data.io import read_image_bgr
    from meddisseg_core.imageio import read_image

    rng = np.random.default_rng(0)
    sixteen = rng.integers(0, 4000, (16, 16, 3), dtype=np.uint16)  # dark: a stretch would differ a lot
    path = tmp_path / "scan.png"
    assert cv2.imwrite(str(path), sixteen)
    rule = to_model_uint8(read_image(path))
    assert np.array_equal(read_image_bgr(path)[:, :, ::-1], rule)
    convention = InputConvention(colour_order="RGB", size=(16, 16))
    expected = (rule.astype(np.float64) / 255.0).transpose(2, 0, 1).astype(np.float32)
    assert np.array_equal(preprocess(read_image(path), convention), expected)
