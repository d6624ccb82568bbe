import numpy as np

from meddisseg_studio.tools import ops


def test_flood_region_is_the_connected_same_value_area() -> None:
    mask = np.zeros((32, 32), np.uint8)
    mask[:, 16] = 1  # a wall splits the background in two
    box, region = ops.flood_region(mask, 3.5, 3.5)
    assert box == (0, 0, 32, 16)
    assert region.all()
    box, region = ops.flood_region(mask, 16.2, 5.0)  # the wall itself
    assert box == (0, 16, 32, 17) and region.sum() == 32


def test_flood_is_four_connected_by_default() -> None:
    mask = np.zeros((8, 8), np.uint8)
    mask[2, 2] = mask[3, 3] = 1  # diagonal neighbours
    _, region = ops.flood_region(mask, 2.5, 2.5)
    assert region.sum() == 1
    _, region = ops.flood_region(mask, 2.5, 2.5, connectivity=8)
    assert region.sum() == 2


def test_flood_outside_is_none() -> None:
    assert ops.flood_region(np.zeros((8, 8), np.uint8), -1.0, 3.0) is None
