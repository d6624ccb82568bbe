"""MaskEdit's contract at its edges: bounds, origin checks, immutability, identity, smallest diff box."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from meddisseg_studio.state.edits import MaskEdit, diff_edit


def _patch(h: int, w: int, value: int = 1) -> np.ndarray:
    return np.full((h, w), value, np.uint8)


def test_edit_exactly_at_the_bottom_right_corner_fits_and_one_more_does_not() -> None:
    mask = np.zeros((5, 8), np.uint8)  # not square: rows and columns must not be mixed up
    MaskEdit(3, 6, _patch(2, 2, 0), _patch(2, 2)).apply_to(mask)
    assert mask[3:, 6:].all() and mask.sum() == 4
    with pytest.raises(ValueError, match="exceeds"):
        MaskEdit(4, 0, _patch(2, 1, 0), _patch(2, 1)).apply_to(mask)
    with pytest.raises(ValueError, match="exceeds"):
        MaskEdit(0, 7, _patch(1, 2, 0), _patch(1, 2)).revert_on(mask)
    with pytest.raises(ValueError, match="exceeds"):
        MaskEdit(0, 5, _patch(6, 1, 0), _patch(6, 1)).apply_to(mask)


@pytest.mark.parametrize(("y0", "x0"), [(-1, 0), (0, -1), (-1, -1)])
def test_negative_origin_is_refused(y0: int, x0: int) -> None:
    with pytest.raises(ValueError, match="non-negative"):
        MaskEdit(y0, x0, _patch(1, 1, 0), _patch(1, 1))


def test_patches_are_read_only_and_the_edit_is_frozen() -> None:
    edit = MaskEdit(0, 0, _patch(2, 2, 0), _patch(2, 2))
    with pytest.raises(ValueError):
        edit.before[0, 0] = 1
    with pytest.raises(ValueError):
        edit.after[0, 0] = 0
    with pytest.raises(dataclasses.FrozenInstanceError):
        edit.y0 = 3  # type: ignore[misc]


def test_edits_compare_by_identity_and_are_hashable() -> None:
    # Two edits with equal patches are still two undo steps; numpy arrays cannot decide ==.
    a = MaskEdit(0, 0, _patch(2, 2, 0), _patch(2, 2))
    b = MaskEdit(0, 0, _patch(2, 2, 0), _patch(2, 2))
    assert a != b and a == a
    assert len({a, b}) == 2


def test_diff_box_includes_a_change_only_in_the_last_changed_row() -> None:
    old = np.zeros((6, 7), np.uint8)
    new = old.copy()
    new[1, 1] = new[2, 2] = new[4, 5] = 1  # the widest column is only in the last changed row
    edit = diff_edit(old, new)
    assert edit is not None
    assert (edit.y0, edit.x0, edit.shape) == (1, 1, (4, 5))
    rebuilt = old.copy()
    edit.apply_to(rebuilt)
    assert np.array_equal(rebuilt, new)


def test_diff_refuses_masks_of_other_shapes_or_dimensions() -> None:
    with pytest.raises(ValueError, match="2-D masks of one shape"):
        diff_edit(np.zeros((3, 4), np.uint8), np.zeros((4, 3), np.uint8))
    with pytest.raises(ValueError, match="2-D masks of one shape"):
        diff_edit(np.zeros((2, 3, 4), np.uint8), np.ones((2, 3, 4), np.uint8))
