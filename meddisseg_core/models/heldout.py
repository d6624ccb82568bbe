"""The held-out part of a folder's approved images: chosen once, then kept.

Before/after comparisons are only meaningful on the same images, and an image that was ever
held out must never be trained on (or every later comparison would flatter the new model). So
the choice is written to the project's state folder the first time and reused afterwards:
images approved later all go to training; a held-out image that is no longer approved is
simply skipped.

The verdict of a fine-tune rests on the held-out images a person *corrected* (an unedited
approval is the current model's own proposal, which that model scores 1.0 on by construction).
So the choice is stratified: corrected images are held out in their share of the approved ones,
and at least :data:`MIN_CORRECTED` of them where there are twice as many. A stored choice with
fewer corrected images than that is topped up with corrected images no earlier job trained on.
"""

from __future__ import annotations

import json
import random
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from meddisseg_core.atomic import atomic_write_text
from meddisseg_core.errors import ConfigError

FILE_NAME = "held_out.json"
MIN_APPROVED = 5  # at least 4 to train on and 1 to compare on
MIN_TRAIN = 4  # a top-up of the held-out images never leaves fewer to train on
DEFAULT_FRACTION = 0.2
# Below this many corrected held-out images there is no verdict (said plainly in the result).
MIN_CORRECTED = 3
# An approved mask that differs from the thresholded proposal in more than this fraction of its
# pixels was corrected by a person (edits and prompts both change pixels); a few stray pixels
# (an undone stroke's rounding, a one-pixel nudge) are not a correction.
CORRECTED_TOLERANCE = 0.001


def is_corrected(edited_fraction: float | None) -> bool:
    """Whether an approved image's final mask is a person's correction, from its edited fraction
    (the share of pixels that differ from the proposal when it was approved). None means there
    was no proposal to compare with (a mask drawn by hand or a starting label): not the model's
    own output, so it counts as corrected."""
    return edited_fraction is None or edited_fraction > CORRECTED_TOLERANCE


class HeldOut(NamedTuple):
    keys: tuple[str, ...]
    fraction: float
    created: str
    path: Path


class Partition(NamedTuple):
    train: tuple[str, ...]
    held_out: tuple[str, ...]


def read_held_out(path: Path) -> HeldOut | None:
    """The stored choice, or None when there is none yet; ConfigError if the file is damaged."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        keys = tuple(str(k) for k in data["keys"])
        return HeldOut(keys, float(data["fraction"]), str(data["created"]), path)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(
            f"{path}: the held-out list is damaged ({exc}); move it aside to choose a new one "
            "(earlier before/after numbers will then not be comparable)"
        ) from exc


def held_out_count(approved: int, fraction: float) -> int:
    return min(max(1, round(fraction * approved)), approved - 1)


def _take(keys: Sequence[str], count: int, seed: int) -> list[str]:
    ordered = sorted(keys)
    random.Random(seed).shuffle(ordered)
    return ordered[: max(0, count)]


def stratified_counts(approved: int, corrected: int, fraction: float) -> tuple[int, int]:
    """(corrected, accepted) images to hold out of ``approved``, ``corrected`` of them corrected."""
    total = held_out_count(approved, fraction)
    accepted = approved - corrected
    # Their share, but at least MIN_CORRECTED where half the corrected ones are that many (the
    # other half is what the new model learns from).
    n_corrected = min(max(round(total * corrected / approved), MIN_CORRECTED), corrected // 2)
    n_accepted = min(round(total * accepted / approved), accepted)
    if n_corrected + n_accepted == 0:
        n_accepted = min(1, accepted) if accepted else 0
        n_corrected = 1 - n_accepted
    while n_corrected + n_accepted > approved - 2 and n_accepted > 0:
        n_accepted -= 1  # keep at least two to train on
    return n_corrected, n_accepted


def choose_held_out(
    path: Path,
    approved: Sequence[str],
    fraction: float = DEFAULT_FRACTION,
    seed: int = 0,
    *,
    corrected: Collection[str] = (),
    trained: Collection[str] = (),
) -> HeldOut:
    """The stored held-out keys, or (the first time) a seeded, stratified choice that is then stored.

    ``corrected``: the approved keys a person corrected. ``trained``: keys an earlier job trained
    on, which a top-up of a stored choice never adds.
    """
    existing = read_held_out(path)
    if existing is not None:
        return _top_up(existing, approved, corrected, trained, seed)
    if not 0.0 < fraction < 1.0:
        raise ConfigError(f"the held-out fraction must be between 0 and 1, got {fraction}")
    if len(approved) < MIN_APPROVED:
        raise ConfigError(f"{len(approved)} approved image(s); fine-tuning needs at least {MIN_APPROVED}")
    fixed = set(corrected) & set(approved)
    others = [k for k in approved if k not in fixed]
    n_corrected, n_accepted = stratified_counts(len(approved), len(fixed), fraction)
    keys = tuple(sorted(_take(sorted(fixed), n_corrected, seed) + _take(others, n_accepted, seed)))
    created = datetime.now(UTC).isoformat(timespec="seconds")
    document = {"keys": list(keys), "fraction": fraction, "seed": seed, "created": created}
    atomic_write_text(path, json.dumps(document, indent=1) + "\n")
    return HeldOut(keys, fraction, created, Path(path))


def _top_up(
    held: HeldOut, approved: Sequence[str], corrected: Collection[str], trained: Collection[str], seed: int
) -> HeldOut:
    """A stored choice with too few corrected images gains corrected ones never trained on.

    Adding an image that was never trained on keeps every earlier comparison honest; images are
    never removed, so those comparisons stay reproducible.
    """
    approved_set, kept = set(approved), set(held.keys)
    fixed = set(corrected) & approved_set
    have = len(fixed & kept)
    candidates = sorted(fixed - kept - set(trained))
    room = len(approved_set - kept) - MIN_TRAIN
    wanted = min(MIN_CORRECTED - have, room, len(candidates), max(0, len(fixed) // 2 - have))
    if wanted <= 0:
        return held
    added = _take(candidates, wanted, seed)
    keys = tuple(sorted(kept | set(added)))
    document = {
        "keys": list(keys),
        "fraction": held.fraction,
        "created": held.created,
        "topped_up": {"time": datetime.now(UTC).isoformat(timespec="seconds"), "added": sorted(added)},
    }
    atomic_write_text(held.path, json.dumps(document, indent=1) + "\n")
    return HeldOut(keys, held.fraction, held.created, held.path)


def partition(held_out: HeldOut, approved: Sequence[str]) -> Partition:
    """Approved keys split into (train, held out) by the stored choice."""
    kept = set(held_out.keys)
    train = tuple(k for k in approved if k not in kept)
    return Partition(train, tuple(k for k in approved if k in kept))
