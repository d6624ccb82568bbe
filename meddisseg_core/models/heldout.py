"""The held-out part of a folder's approved images: chosen once, then kept.

Before/after comparisons are only meaningful on the same images, and an image that was ever
held out must never be trained on (or every later comparison would flatter the new model). So
the choice is written to the project's state folder the first time and reused afterwards:
images approved later all go to training; a held-out image that is no longer approved is
simply skipped.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from meddisseg_core.atomic import atomic_write_text
from meddisseg_core.errors import ConfigError

FILE_NAME = "held_out.json"
MIN_APPROVED = 5  # at least 4 to train on and 1 to compare on
DEFAULT_FRACTION = 0.2


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


def choose_held_out(
    path: Path, approved: Sequence[str], fraction: float = DEFAULT_FRACTION, seed: int = 0
) -> HeldOut:
    """The stored held-out keys, or (the first time) a seeded random choice that is then stored."""
    existing = read_held_out(path)
    if existing is not None:
        return existing
    if not 0.0 < fraction < 1.0:
        raise ConfigError(f"the held-out fraction must be between 0 and 1, got {fraction}")
    if len(approved) < MIN_APPROVED:
        raise ConfigError(f"{len(approved)} approved image(s); fine-tuning needs at least {MIN_APPROVED}")
    ordered = sorted(approved)
    random.Random(seed).shuffle(ordered)
    keys = tuple(sorted(ordered[: held_out_count(len(ordered), fraction)]))
    created = datetime.now(UTC).isoformat(timespec="seconds")
    document = {"keys": list(keys), "fraction": fraction, "seed": seed, "created": created}
    atomic_write_text(path, json.dumps(document, indent=1) + "\n")
    return HeldOut(keys, fraction, created, Path(path))


def partition(held_out: HeldOut, approved: Sequence[str]) -> Partition:
    """Approved keys split into (train, held out) by the stored choice."""
    kept = set(held_out.keys)
    train = tuple(k for k in approved if k not in kept)
    return Partition(train, tuple(k for k in approved if k in kept))
