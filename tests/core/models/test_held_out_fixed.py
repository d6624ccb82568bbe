"""The held-out images are chosen once and kept; later approvals all go to training."""

from __future__ import annotations

from pathlib import Path

import pytest

from meddisseg_core.errors import ConfigError
from meddisseg_core.models.heldout import choose_held_out, partition


def test_held_out_choice_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "state" / "held_out.json"
    first_batch = [f"img{i:02d}.jpg" for i in range(10)]
    held = choose_held_out(path, first_batch, fraction=0.2, seed=3)
    assert len(held.keys) == 2 and set(held.keys) <= set(first_batch)

    more = [*first_batch, *(f"new{i}.jpg" for i in range(10))]
    again = choose_held_out(path, more, fraction=0.5, seed=99)  # other settings: ignored now
    assert again.keys == held.keys
    train, held_out = partition(again, more)
    assert held_out == held.keys
    assert set(train) == set(more) - set(held.keys) and {f"new{i}.jpg" for i in range(10)} <= set(train)

    # A held-out image that is no longer approved is skipped, never moved to training.
    fewer = [k for k in more if k != held.keys[0]]
    train2, held_out2 = partition(again, fewer)
    assert held_out2 == held.keys[1:] and held.keys[0] not in train2


def test_too_few_approved_is_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="at least 5"):
        choose_held_out(tmp_path / "held_out.json", ["a.jpg", "b.jpg"])
    assert not (tmp_path / "held_out.json").exists()
