"""SIGKILL during autosave loses at most the edits after the last completed save, never a file."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from meddisseg_studio.state import Project

# The fault harness's child (it also writes statuses and proposals between mask saves).
CHILD = Path(__file__).parents[2] / "faults" / "autosave_child.py"
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")


def _run_and_kill(folder: Path, state: Path, seed: int, mode: str, lines_before_kill: int) -> list[str]:
    errors = state.parent / f"child-{seed}.err"
    with open(errors, "w") as err_stream:
        child = subprocess.Popen(
            [sys.executable, str(CHILD), str(folder), str(state), str(seed), mode],
            stdout=subprocess.PIPE,
            stderr=err_stream,
            text=True,
        )
    assert child.stdout is not None
    lines: list[str] = []
    try:
        while len(lines) < lines_before_kill:
            line = child.stdout.readline()
            if not line:
                break
            lines.append(line.strip())
        os.kill(child.pid, signal.SIGKILL)
        # Read through the same buffered stream: lines it already holds were reported too.
        lines += [line for line in child.stdout.read().splitlines() if line]
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
    err = errors.read_text()
    assert lines and lines[0] == "ready", err
    assert child.returncode == -signal.SIGKILL, err
    return lines


def _check_reopened(folder: Path, state: Path, lines: list[str], previous: dict[str, str]) -> None:
    """``previous``: the digest each key had on disk before this round (updated in place)."""
    states: dict[str, dict[int, str]] = {}
    last_saved: dict[str, int] = {}
    for line in lines[1:]:
        parts = line.split()
        if parts[0] == "state":
            states.setdefault(parts[1], {})[int(parts[2])] = parts[3]
        elif parts[0] == "saved":
            last_saved[parts[1]] = max(last_saved.get(parts[1], -1), int(parts[2]))
    # The killed child left its lease: stale (its pid is gone), taken over as the app would after asking.
    project = Project.open(folder, state_dir=state, take_over="stale")  # StateCorruptError fails the test
    assert project.store.integrity_ok()
    assert set(project.store.stored_mask_keys()) <= set(project.keys())
    assert not list((state / "masks").rglob("*.tmp"))  # leftovers of torn writes are cleaned away
    for key in [entry.key for entry in project.entries]:
        saved = last_saved.get(key, -1)
        mask = project.store.read_mask(key)
        if mask is None:
            assert saved == -1 and key not in previous, f"{key}: a saved mask did not survive"
            continue
        digest = hashlib.sha1(mask.tobytes()).hexdigest()
        allowed = {h for index, h in states.get(key, {}).items() if index >= saved}
        if saved == -1 and key in previous:
            allowed.add(previous[key])  # nothing saved this round: the last round's file stays
        previous[key] = digest
        assert digest in allowed, f"{key}: stored mask is not the last saved state ({saved}) or a later one"
    project.close()


@pytest.mark.slow
def test_sigkill_during_autosave_keeps_the_last_saved_state(tmp_path: Path, image_writer) -> None:
    folder = tmp_path / "images"
    image_writer(folder / "small.png", np.zeros((64, 80), np.uint8))
    image_writer(folder / "large.png", np.zeros((768, 1024), np.uint8))
    state = tmp_path / "state"
    rng = random.Random(1234)
    on_disk: dict[str, str] = {}
    saves_seen = 0
    for round_index in range(6):
        mode = "background" if round_index % 2 else "sync"
        lines = _run_and_kill(
            folder, state, seed=round_index, mode=mode, lines_before_kill=rng.randint(3, 80)
        )
        _check_reopened(folder, state, lines, on_disk)
        saves_seen += sum(line.startswith("saved") for line in lines)
    assert saves_seen > 0  # the rounds did get past some completed saves before the kill
