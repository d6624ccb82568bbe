import numpy as np
import pytest
from meddisseg_studio.tools import ops

from meddisseg_core.errors import MaskError


def test_edit_is_cropped_to_changes_and_copies() -> None:
    before = np.zeros((20, 20), np.uint8)
    after = before.copy()
    after[5, 7] = after[9, 12] = 1
    edit = ops.make_edit(100, 200, before, after)
    assert (edit.y0, edit.x0, edit.after.shape) == (105, 207, (5, 6))
    after[5, 7] = 0  # later changes to the live array do not reach the edit
    assert edit.after[0, 0] == 1


def test_unchanged_is_none_and_shapes_must_match() -> None:
    a = np.zeros((4, 4), np.uint8)
    assert ops.make_edit(0, 0, a, a.copy()) is None
    with pytest.raises(MaskError):
        ops.changed_box(a, np.zeros((4, 5), np.uint8))


def test_apply_edit_and_undo_round_trip() -> None:
    mask = np.zeros((10, 10), np.uint8)
    target = mask.copy()
    target[2:4, 3:6] = 1
    edit = ops.edit_between(mask, target)
    ops.apply_edit(mask, edit)
    assert np.array_equal(mask, target)
    ops.apply_edit(mask, edit, undo=True)
    assert mask.sum() == 0
