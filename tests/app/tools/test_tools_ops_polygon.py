import numpy as np

from meddisseg_studio.tools import ops


def test_polygon_region_fills_the_inside_only() -> None:
    square = [(10.0, 10.0), (30.0, 10.0), (30.0, 30.0), (10.0, 30.0)]
    box, region = ops.polygon_region(square, (64, 64))
    assert box == (10, 10, 31, 31)
    assert region.all()
    triangle = [(0.0, 0.0), (40.0, 0.0), (0.0, 40.0)]
    _, region = ops.polygon_region(triangle, (64, 64))
    assert region[1, 1] and not region[35, 35]


def test_fewer_than_three_points_is_no_area() -> None:
    assert ops.polygon_region([(1.0, 1.0), (5.0, 5.0)], (16, 16)) is None
    mask = np.zeros((16, 16), np.uint8)
    assert ops.fill_polygon(mask, [(1.0, 1.0), (5.0, 5.0)], 1) is None and mask.sum() == 0


def test_fill_polygon_writes_in_place_and_clips() -> None:
    mask = np.zeros((32, 32), np.uint8)
    box = ops.fill_polygon(mask, [(-5.0, -5.0), (10.0, -5.0), (10.0, 10.0), (-5.0, 10.0)], 1)
    assert box == (0, 0, 11, 11)
    assert mask.sum() == 11 * 11
