"""Display window/level maps 8- and 16-bit images to screen uint8 and never alters its input."""

import numpy as np
import pytest

from meddisseg_studio.state.display import DisplayLevels, to_display


def test_unchanged_levels_show_an_8bit_image_as_is() -> None:
    image = np.random.default_rng(0).integers(0, 256, (12, 10, 3), dtype=np.uint8)
    assert to_display(image) is image
    assert DisplayLevels.from_brightness_contrast(0.0, 0.0).is_identity


def test_window_maps_low_to_black_and_high_to_white_on_8bit() -> None:
    image = np.array([[0, 64, 96, 128, 160, 192, 255]], np.uint8)
    before = image.copy()
    shown = to_display(image, DisplayLevels(64 / 255, 192 / 255))
    assert shown.dtype == np.uint8
    assert shown[0].tolist() == [0, 0, 64, 128, 191, 255, 255]
    assert np.array_equal(image, before)  # the input is never touched


def test_16bit_uses_its_own_range_so_12bit_data_is_visible() -> None:
    image = np.array([[100, 1100, 2100, 4095]], np.uint16)  # 12-bit data in a 16-bit file
    shown = to_display(image)
    assert shown[0].tolist() == [0, round(1000 * 255 / 3995), round(2000 * 255 / 3995), 255]
    # Half the range as the window: everything above the middle is white.
    assert to_display(image, DisplayLevels(0.0, 0.5))[0].tolist() == [0, 128, 255, 255]


def test_brightness_and_contrast_move_the_window() -> None:
    brighter = DisplayLevels.from_brightness_contrast(0.5, 0.0)
    steeper = DisplayLevels.from_brightness_contrast(0.0, 0.5)
    assert brighter.level < 0.5 and brighter.width == pytest.approx(1.0)
    assert steeper.level == pytest.approx(0.5) and steeper.width == pytest.approx(0.5)
    assert brighter.brightness == pytest.approx(0.5) and steeper.contrast == pytest.approx(0.5)
    grey = np.full((2, 2), 100, np.uint8)
    assert to_display(grey, brighter)[0, 0] > 100 > to_display(grey, DisplayLevels(0.2, 1.2))[0, 0]


def test_auto_stretches_a_dark_image() -> None:
    image = np.random.default_rng(1).integers(10, 60, (64, 64, 3), dtype=np.uint8)
    levels = DisplayLevels.auto(image)
    assert 10 / 255 <= levels.low < levels.high <= 60 / 255
    shown = to_display(image, levels)
    assert shown.min() == 0 and shown.max() == 255
    assert DisplayLevels.auto(np.full((8, 8), 7, np.uint8)).is_identity  # no spread: unchanged


def test_invalid_levels_are_refused_with_the_values() -> None:
    with pytest.raises(ValueError, match=r"low=0\.5"):
        DisplayLevels(0.5, 0.5)
    with pytest.raises(ValueError, match="nan"):
        DisplayLevels(float("nan"), 1.0)
