"""Fault harness: SIGKILL at random moments during exports; count lost and torn masks (must be 0).

A child exports a reviewed project over and over (authors' layout and COCO JSON, alternating)
and is killed after a random number of progress events. Then:

* every *published* export (a destination without ``.partial``) must be complete: each approved
  image's mask present (else lost) and equal to the approved mask (else torn), images copied
  byte for byte, split files readable by the trainer's reader;
* unpublished output only ever sits under a ``.partial-`` name (counted, not an error);
* the project state the export read from reopens with every approved mask intact.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from meddisseg_core.data.io import mask_path_for
from meddisseg_core.data.splits import read_split_file
from meddisseg_core.errors import MedDisSegError
from meddisseg_core.imageio import read_mask
from meddisseg_studio.export import read_coco_masks
from meddisseg_studio.state import Project

CHILD = Path(__file__).with_name("export_child.py")
ROUNDS = 20
N_IMAGES = 8
pytestmark = pytest.mark.slow


@dataclass
class Tally:
    kills: int = 0
    published: int = 0
    partial_left: int = 0
    masks_checked: int = 0
    lost: int = 0
    torn: int = 0
    problems: list[str] = field(default_factory=list)

    def problem(self, kind: str, text: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        self.problems.append(f"{kind}: {text}")


def _reviewed_project(folder: Path, state: Path, image_writer) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(3)
    for i in range(N_IMAGES):
        image_writer(folder / f"img{i}.png", rng.integers(0, 255, (240, 320, 3), dtype=np.uint8))
    project = Project.open(folder, state_dir=state)
    expected = {}
    for i, key in enumerate(project.keys()):
        mask = np.zeros((240, 320), np.uint8)
        mask[10 + i : 120 + 10 * i, 20 + 3 * i : 200 + 5 * i] = 1
        project.approve(key, mask)
        expected[key] = mask
    project.close()
    return expected


def _check_authors(dest: Path, folder: Path, expected: dict[str, np.ndarray], tally: Tally) -> None:
    for key, mask in expected.items():
        image = dest / "images" / key
        if not image.is_file():
            tally.problem("lost", f"{dest.name}: image {key} missing")
        elif image.read_bytes() != (folder / key).read_bytes():
            tally.problem("torn", f"{dest.name}: image {key} differs from the original")
        path = mask_path_for(dest / "masks", key)
        if not path.is_file():
            tally.problem("lost", f"{dest.name}: mask of {key} missing")
            continue
        tally.masks_checked += 1
        try:
            ok = np.array_equal(read_mask(path, mask.shape), mask)
        except MedDisSegError as exc:
            tally.problem("torn", f"{dest.name}: {exc}")
            continue
        if not ok:
            tally.problem("torn", f"{dest.name}: mask of {key} differs from the approved one")
    try:
        names = read_split_file(dest / "train.txt", dest / "images") + read_split_file(
            dest / "val.txt", dest / "images"
        )
    except MedDisSegError as exc:
        tally.problem("torn", f"{dest.name}: {exc}")
        return
    if sorted(names) != sorted(expected):
        tally.problem("lost", f"{dest.name}: split files list {sorted(names)}")


def _check_coco(dest: Path, expected: dict[str, np.ndarray], tally: Tally) -> None:
    try:
        masks = read_coco_masks(dest)
    except (OSError, ValueError, KeyError, json.JSONDecodeError) as exc:
        tally.problem("torn", f"{dest.name}: {type(exc).__name__}: {exc}")
        return
    for key, mask in expected.items():
        if key not in masks:
            tally.problem("lost", f"{dest.name}: no annotation for {key}")
            continue
        tally.masks_checked += 1
        if not np.array_equal(masks[key], mask):
            tally.problem("torn", f"{dest.name}: mask of {key} differs from the approved one")


def _check_state(folder: Path, state: Path, expected: dict[str, np.ndarray], tally: Tally) -> None:
    project = Project.open(folder, state_dir=state, take_over="stale")  # the killed child's lease
    for key, mask in expected.items():
        stored = project.store.read_mask(key)
        if stored is None:
            tally.problem("lost", f"state: the approved mask of {key} is gone")
        elif not np.array_equal(stored, mask):
            tally.problem("torn", f"state: the approved mask of {key} changed")
    project.close()


def test_random_sigkill_during_export_loses_and_tears_nothing(
    tmp_path: Path, image_writer, kill_after_lines
) -> None:
    folder, state, out = tmp_path / "images", tmp_path / "state", tmp_path / "exports"
    expected = _reviewed_project(folder, state, image_writer)
    rng = random.Random(11)
    tally = Tally()
    first = 0
    checked: set[str] = set()
    for _ in range(ROUNDS):
        lines = kill_after_lines(CHILD, [str(folder), str(state), str(out), str(first)], rng.randint(1, 40))
        tally.kills += 1
        _check_state(folder, state, expected, tally)
        for path in sorted(out.iterdir()) if out.is_dir() else []:
            if ".partial-" in path.name or path.name in checked:
                continue
            checked.add(path.name)
            tally.published += 1
            if path.is_dir():
                _check_authors(path, folder, expected, tally)
            else:
                _check_coco(path, expected, tally)
        started = [int(line.split()[1]) for line in lines if line.startswith("progress")]
        first = max([first - 1, *started]) + 1  # never reuse a destination the child may have started
    tally.partial_left = sum(".partial-" in p.name for p in out.iterdir())
    print(
        f"\nexport fault harness: {tally.kills} SIGKILLs, {tally.published} published exports checked "
        f"({tally.masks_checked} masks), {tally.partial_left} unpublished .partial left, "
        f"{tally.lost} lost, {tally.torn} torn"
    )
    assert tally.published > 0 and tally.partial_left > 0  # kills landed both between and inside exports
    assert (tally.lost, tally.torn) == (0, 0), tally.problems
