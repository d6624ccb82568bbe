"""Fault harness: SIGKILL at random moments during autosave; count lost and torn masks (must be 0).

Each round starts a child that edits two images' masks (one small, one large, so some kills
land inside a long write), autosaves them (synchronously or through the background queue),
and writes statuses and proposal files in between; it is killed after a random number of
events. The state is then reopened and every mask checked against what the child reported:

* lost: a mask whose last completed save is neither on disk nor replaced by a later state;
* torn: a mask or proposal file that does not decode, or a database that fails its check.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from meddisseg_studio.state import Project, StateCorruptError

CHILD = Path(__file__).with_name("autosave_child.py")
ROUNDS = 24
pytestmark = pytest.mark.slow


@dataclass
class Tally:
    kills: int = 0
    saves_before_kill: int = 0
    masks_checked: int = 0
    proposals_checked: int = 0
    lost: int = 0
    torn: int = 0
    problems: list[str] = field(default_factory=list)

    def problem(self, kind: str, text: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        self.problems.append(f"{kind}: {text}")


def _parse(lines: list[str]) -> tuple[dict[str, dict[int, str]], dict[str, int]]:
    states: dict[str, dict[int, str]] = {}
    last_saved: dict[str, int] = {}
    for line in lines[1:]:
        parts = line.split()
        if parts[0] == "state":
            states.setdefault(parts[1], {})[int(parts[2])] = parts[3]
        elif parts[0] == "saved":
            last_saved[parts[1]] = max(last_saved.get(parts[1], -1), int(parts[2]))
    return states, last_saved


def _check_round(folder: Path, state: Path, lines: list[str], on_disk: dict[str, str], tally: Tally) -> None:
    states, last_saved = _parse(lines)
    try:
        project = Project.open(folder, state_dir=state, take_over="stale")  # the killed child's lease
    except StateCorruptError as exc:
        tally.problem("torn", f"database: {exc}")
        return
    if not project.store.integrity_ok():
        tally.problem("torn", "database integrity check failed")
    if list((state / "masks").rglob("*.tmp")) or list((state / "proposals").rglob("*.tmp")):
        tally.problem("torn", "temp files of interrupted writes were left after reopening")
    for key in [entry.key for entry in project.entries]:
        saved = last_saved.get(key, -1)
        try:
            mask = project.store.read_mask(key)
        except StateCorruptError as exc:
            tally.problem("torn", f"{key}: {exc}")
            continue
        tally.masks_checked += 1
        if mask is None:
            if saved != -1 or key in on_disk:
                tally.problem("lost", f"{key}: a saved mask is gone")
            continue
        digest = hashlib.sha1(mask.tobytes()).hexdigest()
        allowed = {h for index, h in states.get(key, {}).items() if index >= saved}
        if saved == -1 and key in on_disk:
            allowed.add(on_disk[key])  # nothing saved this round: the previous round's file stays
        if digest not in allowed:
            tally.problem("lost", f"{key}: the stored mask is older than the last completed save ({saved})")
        on_disk[key] = digest
        try:
            proposal = project.load_proposal(key)
        except StateCorruptError as exc:
            tally.problem("torn", f"{key} proposal: {exc}")
            continue
        if proposal is not None:
            tally.proposals_checked += 1
            if proposal.probability.shape != mask.shape or not np.isfinite(proposal.probability).all():
                tally.problem("torn", f"{key}: proposal maps do not match the image")
    project.close()


def test_random_sigkill_during_autosave_loses_and_tears_nothing(
    tmp_path: Path, image_writer, kill_after_lines
) -> None:
    folder = tmp_path / "images"
    image_writer(folder / "small.png", np.zeros((64, 80), np.uint8))
    image_writer(folder / "large.png", np.zeros((768, 1024), np.uint8))
    state = tmp_path / "state"
    rng = random.Random(8)
    tally = Tally()
    on_disk: dict[str, str] = {}
    for round_index in range(ROUNDS):
        mode = "background" if round_index % 2 else "sync"
        args = [str(folder), str(state), str(round_index), mode]
        lines = kill_after_lines(CHILD, args, rng.randint(3, 80))
        tally.kills += 1
        tally.saves_before_kill += sum(line.startswith("saved") for line in lines)
        _check_round(folder, state, lines, on_disk, tally)
    print(
        f"\nautosave fault harness: {tally.kills} SIGKILLs, {tally.saves_before_kill} completed saves, "
        f"{tally.masks_checked} masks and {tally.proposals_checked} proposals checked, "
        f"{tally.lost} lost, {tally.torn} torn"
    )
    assert tally.saves_before_kill > 0
    assert (tally.lost, tally.torn) == (0, 0), tally.problems
