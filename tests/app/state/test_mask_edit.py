import numpy as np
import pytest

from meddisseg_studio.state import MaskEdit, diff_edit


def test_diff_edit_covers_exactly_the_changed_box_and_round_trips() -> None:
    old = np.zeros((50, 60), np.uint8)
    new = old.copy()
    new[10, 20] = 1
    new[14, 33] = 1
    edit = diff_edit(old, new)
    assert edit is not None
    assert (edit.y0, edit.x0, edit.shape) == (10, 20, (5, 14))
    assert edit.nbytes == 2 * 5 * 14
    work = old.copy()
    edit.apply_to(work)
    assert np.array_equal(work, new)
    edit.revert_on(work)
    assert np.array_equal(work, old)


def test_equal_masks_give_no_edit() -> None:
    mask = np.ones((8, 8), np.uint8)
    assert diff_edit(mask, mask.copy()) is None


def test_patches_are_read_only_and_validated() -> None:
    edit = MaskEdit(0, 0, np.zeros((2, 2), np.uint8), np.ones((2, 2), np.uint8))
    with pytest.raises(ValueError):
        edit.after[0, 0] = 0
    with pytest.raises(ValueError):
        MaskEdit(0, 0, np.zeros((2, 2), np.uint8), np.ones((2, 3), np.uint8))
    with pytest.raises(ValueError):
        edit.apply_to(np.zeros((1, 1), np.uint8))  # the patch would not fit
