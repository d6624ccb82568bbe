"""The "same masks" rule's bounds, and every row that may decide "auto" obeys it."""

from __future__ import annotations

from meddisseg_core.inference.measured import VERDICTS, same_masks


def test_rule_bounds_and_rows() -> None:
    assert same_masks(0.99, 0.95, 0.3) and same_masks(0.999, 0.97, -0.3)
    assert not same_masks(0.989, 0.99, 0.0)  # mean Dice too low
    assert not same_masks(0.999, 0.949, 0.0)  # one image too different
    assert not same_masks(0.999, 0.99, -0.31)  # costs accuracy
    assert not same_masks(0.999, 0.99, None)  # not measured against the ground truth
    for row in VERDICTS:
        if row.eligible and row.runtime == "torch":
            assert row.mean_dice is not None and row.min_dice is not None
            assert same_masks(row.mean_dice, row.min_dice, row.mdsc_delta), row
        assert row.machine and row.date and row.source
