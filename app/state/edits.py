"""Rectangular mask patches: the unit of editing and of undo."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class MaskEdit:
    """A change of the mask inside the rectangle at (y0, x0) of ``before.shape``.

    ``before`` and ``after`` are uint8 patches of the same 2-D shape. They are stored as
    read-only views so an edit kept on the undo stack cannot be altered by accident.
    """

    y0: int
    x0: int
    before: np.ndarray
    after: np.ndarray

    def __post_init__(self) -> None:
        before = np.asarray(self.before)
        after = np.asarray(self.after)
        if before.ndim != 2 or before.shape != after.shape:
            raise ValueError(
                f"MaskEdit patches must be 2-D and of one shape, got {before.shape} and {after.shape}"
            )
        if self.y0 < 0 or self.x0 < 0:
            raise ValueError(f"MaskEdit origin must be non-negative, got ({self.y0}, {self.x0})")
        before = before.astype(np.uint8, copy=False).view()
        after = after.astype(np.uint8, copy=False).view()
        before.flags.writeable = False
        after.flags.writeable = False
        object.__setattr__(self, "before", before)
        object.__setattr__(self, "after", after)
        object.__setattr__(self, "y0", int(self.y0))
        object.__setattr__(self, "x0", int(self.x0))

    @property
    def shape(self) -> tuple[int, int]:
        return (int(self.before.shape[0]), int(self.before.shape[1]))

    @property
    def nbytes(self) -> int:
        """Memory held by the two patches (what the undo budget counts)."""
        return int(self.before.nbytes + self.after.nbytes)

    def _window(self, mask: np.ndarray) -> tuple[slice, slice]:
        h, w = self.shape
        if self.y0 + h > mask.shape[0] or self.x0 + w > mask.shape[1]:
            raise ValueError(f"MaskEdit at ({self.y0}, {self.x0}) of size {h}x{w} exceeds mask {mask.shape}")
        return slice(self.y0, self.y0 + h), slice(self.x0, self.x0 + w)

    def apply_to(self, mask: np.ndarray) -> None:
        """Write ``after`` into ``mask`` in place."""
        mask[self._window(mask)] = self.after

    def revert_on(self, mask: np.ndarray) -> None:
        """Write ``before`` into ``mask`` in place (undo)."""
        mask[self._window(mask)] = self.before


def diff_edit(old_mask: np.ndarray, new_mask: np.ndarray, *, y0: int = 0, x0: int = 0) -> MaskEdit | None:
    """The smallest rectangular edit turning ``old_mask`` into ``new_mask``; None if equal.

    The two may be patches of a larger mask whose top-left corner is at (``y0``, ``x0``); the
    edit is then placed there. Its patches are copies: later changes to the inputs (a live mask)
    never reach it.
    """
    if old_mask.shape != new_mask.shape or old_mask.ndim != 2:
        raise ValueError(
            f"diff_edit needs two 2-D masks of one shape, got {old_mask.shape} and {new_mask.shape}"
        )
    changed = old_mask != new_mask
    rows = np.flatnonzero(changed.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(changed[rows[0] : rows[-1] + 1].any(axis=0))
    r0, r1 = int(rows[0]), int(rows[-1]) + 1
    c0, c1 = int(cols[0]), int(cols[-1]) + 1
    return MaskEdit(y0 + r0, x0 + c0, old_mask[r0:r1, c0:c1].copy(), new_mask[r0:r1, c0:c1].copy())
