"""preprocess reproduces the authors' BGR / INTER_LINEAR / divide-by-255 input exactly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from meddisseg_core.imageio import read_image
from meddisseg_core.inference.preprocessing import preprocess, resize_map


def test_matches_authors_pipeline_bit_for_bit(kvasir_dir: Path, toy_convention: Callable[..., Any]) -> None:
    path = sorted((kvasir_dir / "images").glob("*.jpg"))[0]
    bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
    authors = (cv2.resize(bgr, (256, 256)) / 255.0).transpose(2, 0, 1).astype(np.float32)
    ours = preprocess(read_image(path), toy_convention((256, 256)))
    assert ours.dtype == np.float32 and ours.shape == (3, 256, 256)
    np.testing.assert_array_equal(ours, authors)


def test_sixteen_bit_equals_its_eight_bit_version(toy_convention: Callable[..., Any]) -> None:
    rng = np.random.default_rng(0)
    eight = rng.integers(0, 256, (20, 30, 3), dtype=np.uint8)
    sixteen = eight.astype(np.uint16) * 257
    conv = toy_convention((16, 16))
    np.testing.assert_array_equal(preprocess(sixteen, conv), preprocess(eight, conv))


def test_rgb_order_mean_std_and_rectangular_size(toy_convention: Callable[..., Any]) -> None:
    image = np.zeros((8, 8, 3), np.uint8)
    image[..., 0] = 255  # red
    conv = toy_convention((16, 32))
    conv.colour_order, conv.mean, conv.std = "RGB", (0.5, 0.5, 0.5), (0.5, 0.5, 0.5)
    out = preprocess(image, conv)
    assert out.shape == (3, 16, 32)
    np.testing.assert_allclose(out[:, 0, 0], [1.0, -1.0, -1.0])


def test_bad_arrays_are_refused(toy_convention: Callable[..., Any]) -> None:
    with pytest.raises(ValueError, match="H×W×3"):
        preprocess(np.zeros((4, 4, 2), np.uint8), toy_convention())
    with pytest.raises(ValueError, match="float"):
        preprocess(np.zeros((4, 4, 3), np.float32), toy_convention())


def test_resize_map_back_to_original_size() -> None:
    prob = np.linspace(0, 1, 256 * 256, dtype=np.float32).reshape(256, 256)
    out = resize_map(prob, (529, 622))
    assert out.shape == (529, 622) and out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() <= 1.0
