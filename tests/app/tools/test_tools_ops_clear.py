import numpy as np

from meddisseg_studio.tools import operation_edit, ops


def test_clear_edit_covers_exactly_the_foreground() -> None:
    mask = np.zeros((32, 32), np.uint8)
    mask[4:8, 10:20] = 1
    edit = operation_edit(mask, "clear")
    assert (edit.y0, edit.x0, edit.after.shape) == (4, 10, (4, 10))
    assert edit.before.all() and not edit.after.any()
    assert mask.sum() == 40  # computing the edit does not touch the mask
    assert ops.clear(mask).sum() == 0


def test_clear_of_an_empty_mask_is_no_edit() -> None:
    assert operation_edit(np.zeros((8, 8), np.uint8), "clear") is None
