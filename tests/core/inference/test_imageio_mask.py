"""read_mask thresholds at 128, checks the size; write_mask_png writes 0/255 PNG."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from meddisseg_core.errors import MaskError
from meddisseg_core.imageio import read_mask, read_mask_grey, write_mask_png


def test_eight_bit_threshold_is_128(tmp_path: Path) -> None:
    cv2.imwrite(str(tmp_path / "m.png"), np.array([[0, 127, 128, 255]], np.uint8))
    np.testing.assert_array_equal(read_mask(tmp_path / "m.png"), [[0, 0, 1, 1]])


def test_sixteen_bit_is_scaled(tmp_path: Path) -> None:
    cv2.imwrite(str(tmp_path / "m.png"), np.array([[0, 32000, 33000, 65535]], np.uint16))
    mask = read_mask(tmp_path / "m.png")
    assert mask.dtype == np.uint8
    np.testing.assert_array_equal(mask, [[0, 0, 1, 1]])


def test_zero_one_label_png_is_not_read_as_empty(tmp_path: Path) -> None:
    cv2.imwrite(str(tmp_path / "m.png"), np.array([[0, 1, 1]], np.uint8))
    np.testing.assert_array_equal(read_mask(tmp_path / "m.png"), [[0, 1, 1]])


def test_noisy_colour_jpeg_mask(tmp_path: Path) -> None:
    truth = np.zeros((32, 32), np.uint8)
    truth[8:24, 8:24] = 255
    colour = cv2.cvtColor(truth, cv2.COLOR_GRAY2BGR)
    cv2.imwrite(str(tmp_path / "m.jpg"), colour, [cv2.IMWRITE_JPEG_QUALITY, 75])
    mask = read_mask(tmp_path / "m.jpg")
    assert mask.shape == (32, 32)
    assert np.count_nonzero(mask != (truth > 0)) == 0


def test_wrong_size_names_both_shapes(tmp_path: Path) -> None:
    cv2.imwrite(str(tmp_path / "m.png"), np.zeros((10, 20), np.uint8))
    with pytest.raises(MaskError, match=r"10×20.*12×20"):
        read_mask(tmp_path / "m.png", expected_shape=(12, 20))


def test_unreadable_mask_is_a_mask_error(tmp_path: Path) -> None:
    (tmp_path / "m.png").write_bytes(b"garbage")
    with pytest.raises(MaskError, match=r"m\.png"):
        read_mask(tmp_path / "m.png")


def test_grey_matches_authors_cv2_read(kvasir_dir: Path) -> None:
    path = sorted((kvasir_dir / "masks").glob("*.jpg"))[0]
    np.testing.assert_array_equal(read_mask_grey(path), cv2.imread(str(path), cv2.IMREAD_GRAYSCALE))


def test_write_mask_png_roundtrip(tmp_path: Path) -> None:
    mask = np.zeros((5, 6), np.uint8)
    mask[1:3, 2:5] = 1
    target = tmp_path / "out" / "m.png"
    write_mask_png(target, mask)
    raw = cv2.imread(str(target), cv2.IMREAD_UNCHANGED)
    assert raw.dtype == np.uint8 and raw.ndim == 2
    assert set(np.unique(raw)) == {0, 255}
    np.testing.assert_array_equal(read_mask(target), mask)
    assert [p.name for p in target.parent.iterdir()] == ["m.png"]  # no temp file left behind
