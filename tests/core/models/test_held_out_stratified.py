"""The held-out choice is stratified: corrected images are represented (at least MIN_CORRECTED
where there are twice as many), and a stored choice with too few of them is topped up with
corrected images that no job ever trained on."""

from __future__ import annotations

import json
from pathlib import Path

from meddisseg_core.models.heldout import (
    MIN_CORRECTED,
    choose_held_out,
    is_corrected,
    partition,
    stratified_counts,
)

APPROVED = [f"img{i:02d}.jpg" for i in range(20)]


def test_corrected_images_are_held_out(tmp_path: Path) -> None:
    corrected = APPROVED[:6]  # 6 of 20 corrected: their share of 4 held out would be 1
    held = choose_held_out(tmp_path / "held_out.json", APPROVED, corrected=corrected)
    assert len(set(held.keys) & set(corrected)) == MIN_CORRECTED
    assert len(set(held.keys) - set(corrected)) == 3  # the accepted ones keep their share
    train, _held_out = partition(held, APPROVED)
    assert len(set(train) & set(corrected)) == 3  # the other half is trained on


def test_without_corrections_the_choice_is_as_before(tmp_path: Path) -> None:
    held = choose_held_out(tmp_path / "held_out.json", APPROVED[:10], seed=3)
    assert len(held.keys) == 2
    assert stratified_counts(10, 0, 0.2) == (0, 2)


def test_a_stored_choice_is_topped_up_never_with_trained_images(tmp_path: Path) -> None:
    path = tmp_path / "held_out.json"
    first = choose_held_out(path, APPROVED[:10])  # no corrections known then
    corrected = [k for k in APPROVED if k not in first.keys][:8]
    trained = set(corrected[:4])  # an earlier job trained on these
    again = choose_held_out(path, APPROVED, corrected=corrected, trained=trained)
    added = set(again.keys) - set(first.keys)
    assert set(first.keys) <= set(again.keys)  # nothing removed: old comparisons still hold
    assert len(added) == MIN_CORRECTED and added <= set(corrected) - trained
    assert json.loads(path.read_text())["topped_up"]["added"] == sorted(added)
    assert choose_held_out(path, APPROVED, corrected=corrected, trained=trained).keys == again.keys


def test_what_counts_as_corrected() -> None:
    assert not is_corrected(0.0) and not is_corrected(0.0005)
    assert is_corrected(0.01) and is_corrected(None)  # None: no proposal to compare with
