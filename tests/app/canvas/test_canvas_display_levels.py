"""Window/level changes what the canvas draws, never the image array, the mask or the maps."""

import numpy as np

from meddisseg_studio.state.display import DisplayLevels


def test_levels_change_the_drawn_image_only(rig) -> None:
    canvas = rig.canvas
    source = np.random.default_rng(0).integers(40, 121, (256, 256, 3), dtype=np.uint8)
    kept = source.copy()
    canvas.set_image(source)
    assert np.array_equal(canvas.displayed_image(), source)
    rig.mask[10:20, 10:20] = 1
    mask_before = rig.mask.copy()

    canvas.set_display_levels(DisplayLevels(40 / 255, 120 / 255))
    shown = canvas.displayed_image()
    assert shown.min() == 0 and shown.max() == 255  # stretched for the eye
    assert np.array_equal(source, kept) and np.array_equal(rig.mask, mask_before)

    auto = canvas.auto_display_levels()
    assert auto == canvas.display_levels and 40 / 255 <= auto.low < auto.high <= 120 / 255
    canvas.set_display_levels(DisplayLevels())
    assert np.array_equal(canvas.displayed_image(), source)


def test_16bit_image_is_shown_through_the_same_levels(rig) -> None:
    image = np.zeros((256, 256, 3), np.uint16)
    image[:, 128:] = 4000  # 12-bit data
    rig.canvas.set_image(image)
    shown = rig.canvas.displayed_image()
    assert shown.dtype == np.uint8 and shown[0, 0, 0] == 0 and shown[0, 200, 0] == 255
    rig.canvas.set_display_levels(DisplayLevels(0.0, 2.0))  # half contrast
    assert rig.canvas.displayed_image()[0, 200, 0] == 128
