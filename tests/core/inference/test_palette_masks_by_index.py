"""Palette (indexed-colour) PNG masks are read by index: index > 0 is foreground, whatever colour the
palette gives it. A VOC-style mask (index 1 = dark red) read as empty, and a 1-bit mask whose
palette maps 0 to white read inverted, when masks were read by brightness. A palette that makes an
index indistinguishable from the background is refused with a message."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from palette_png import write_palette_png

from meddisseg_core.errors import MaskError
from meddisseg_core.imageio import read_mask

INDICES = np.zeros((6, 10), np.uint8)
INDICES[1:4, 2:7] = 1


def test_voc_style_palette(tmp_path: Path) -> None:
    voc = [(0, 0, 0), (128, 0, 0), (0, 128, 0)] + [(0, 0, 0)] * 252 + [(224, 224, 192)]
    indices = INDICES.copy()
    indices[5, 9] = 255  # VOC's "void" border index: not background either
    mask = read_mask(write_palette_png(tmp_path / "voc.png", indices, voc), expected_shape=(6, 10))
    assert np.array_equal(mask, (indices > 0).astype(np.uint8))


def test_one_bit_palette_with_white_background(tmp_path: Path) -> None:
    path = write_palette_png(tmp_path / "bw.png", INDICES, [(255, 255, 255), (0, 0, 0)], bits=1)
    assert np.array_equal(read_mask(path), INDICES)


def test_ambiguous_palette_is_refused(tmp_path: Path) -> None:
    path = write_palette_png(tmp_path / "same.png", INDICES, [(0, 0, 0), (0, 0, 0)])
    with pytest.raises(
        MaskError, match=r"ambiguous palette: index 1 \(foreground\) has the colour of index 0"
    ):
        read_mask(path)


def test_unused_twin_entries_are_fine(tmp_path: Path) -> None:
    # Tools pad palettes to 256 entries with black: harmless while no pixel uses them.
    padded = [(0, 0, 0), (255, 255, 255)] + [(0, 0, 0)] * 254
    assert np.array_equal(read_mask(write_palette_png(tmp_path / "pad.png", INDICES, padded)), INDICES)


@pytest.mark.parametrize("bits", [2, 4])
def test_small_bit_depths(tmp_path: Path, bits: int) -> None:
    indices = INDICES * 3
    path = write_palette_png(
        tmp_path / f"b{bits}.png", indices, [(9, 9, 9), (1, 1, 1), (2, 2, 2), (3, 3, 3)], bits
    )
    assert np.array_equal(read_mask(path), INDICES)


def test_grey_png_still_by_brightness(tmp_path: Path) -> None:
    import cv2

    cv2.imwrite(str(tmp_path / "grey.png"), INDICES * 255)
    assert np.array_equal(read_mask(tmp_path / "grey.png"), INDICES)


def test_every_png_row_filter(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    indices = rng.integers(0, 4, size=(11, 13)).astype(np.uint8)
    palette = [(0, 0, 0), (200, 10, 10), (10, 200, 10), (10, 10, 200)]
    path = write_palette_png(tmp_path / "filters.png", indices, palette, all_filters=True)
    assert np.array_equal(read_mask(path), (indices > 0).astype(np.uint8))
