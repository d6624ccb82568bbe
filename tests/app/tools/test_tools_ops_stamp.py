import numpy as np

from meddisseg_studio.tools import ops


def test_point_stamp_is_a_disc_of_the_brush_diameter() -> None:
    mask = np.zeros((64, 64), np.uint8)
    box = ops.stamp_segment(mask, (32.5, 32.5), (32.5, 32.5), 11, 1)
    rows, cols = np.nonzero(mask)
    assert (rows.max() - rows.min() + 1, cols.max() - cols.min() + 1) == (11, 11)
    assert mask[32, 32] == 1 and mask[32, 27] == 1 and mask[27, 27] == 0  # round, not square
    y0, x0, y1, x1 = box
    assert mask[:y0].sum() == mask[y1:].sum() == mask[:, :x0].sum() == mask[:, x1:].sum() == 0


def test_segment_covers_the_path_and_clips_at_the_border() -> None:
    mask = np.zeros((64, 64), np.uint8)
    ops.stamp_segment(mask, (-10.0, 10.0), (70.0, 10.0), 5, 1)
    assert mask[10].all()  # every column crossed, no error outside the image
    assert mask[8:13].sum() == 5 * 64 and mask.sum() == 5 * 64


def test_stamp_outside_changes_nothing() -> None:
    mask = np.zeros((16, 16), np.uint8)
    assert ops.stamp_segment(mask, (100.0, 100.0), (120.0, 100.0), 5, 1) is None
    assert mask.sum() == 0
