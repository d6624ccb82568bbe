"""Tools build their edits with ``state.edits.diff_edit`` at the patch's origin; cropped, copied, undoable."""

import numpy as np
import pytest

from meddisseg_studio.state.edits import diff_edit


def test_edit_is_cropped_to_changes_placed_at_origin_and_copied() -> None:
    before = np.zeros((20, 20), np.uint8)
    after = before.copy()
    after[5, 7] = after[9, 12] = 1
    edit = diff_edit(before, after, y0=100, x0=200)
    assert (edit.y0, edit.x0, edit.shape) == (105, 207, (5, 6))
    after[5, 7] = 0  # later changes to the live array do not reach the edit
    assert edit.after[0, 0] == 1


def test_unchanged_is_none_and_shapes_must_match() -> None:
    a = np.zeros((4, 4), np.uint8)
    assert diff_edit(a, a.copy(), y0=3, x0=3) is None
    with pytest.raises(ValueError, match="one shape"):
        diff_edit(a, np.zeros((4, 5), np.uint8))


def test_apply_and_revert_round_trip() -> None:
    mask = np.zeros((10, 10), np.uint8)
    target = mask.copy()
    target[2:4, 3:6] = 1
    edit = diff_edit(mask, target)
    edit.apply_to(mask)
    assert np.array_equal(mask, target)
    edit.revert_on(mask)
    assert mask.sum() == 0
