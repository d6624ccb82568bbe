"""Child of test_kill_autosave: edits masks, autosaves, writes statuses and proposals until killed.

Usage: ``python autosave_child.py FOLDER STATE_DIR SEED MODE`` with MODE ``sync`` or ``background``.
Prints, flushed, one line per event:
  ``state <key> <index> <sha1>``  before an edit is applied (the mask state it will produce),
  ``saved <key> <index>``         once a save of that state has completed,
  ``proposal <key> <index>``      once a proposal has been stored.
"""

from __future__ import annotations

import hashlib
import sys
import threading

import numpy as np

from meddisseg_studio.state import AutosaveQueue, EditSession, MaskEdit, Project, Proposal

folder, state_dir, seed, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
background = mode == "background"
rng = np.random.default_rng(seed)
lock = threading.Lock()
generation_to_index: dict[tuple[str, int], int] = {}


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def on_saved(key: str, generation: int, error: object) -> None:
    with lock:
        index = generation_to_index.get((key, generation))
    if error is None and index is not None:
        say(f"saved {key} {index}")


project = Project.open(folder, state_dir=state_dir, take_over="stale")  # the previous child was killed
project.autosave_queue = AutosaveQueue(on_saved=on_saved)
keys = project.keys()
sessions = {key: EditSession(project, key, background=background) for key in keys}
counters = dict.fromkeys(keys, 0)
say("ready")
step = 0
while True:
    key = keys[int(rng.integers(len(keys)))]
    session = sessions[key]
    h, w = session.mask.shape
    y0, x0 = int(rng.integers(h - 8)), int(rng.integers(w - 8))
    y1, x1 = y0 + int(rng.integers(1, h - y0)), x0 + int(rng.integers(1, w - x0))
    before = session.mask[y0:y1, x0:x1].copy()
    after = rng.integers(0, 2, before.shape, dtype=np.uint8)
    edit = MaskEdit(y0, x0, before, after)
    preview = session.mask.copy()
    edit.apply_to(preview)
    index = counters[key]
    counters[key] += 1
    say(f"state {key} {index} {hashlib.sha1(preview.tobytes()).hexdigest()}")
    with lock:
        session.apply(edit)
        generation_to_index[(key, session.generation)] = index
    if not background:
        say(f"saved {key} {index}")
    step += 1
    if step % 3 == 0:  # database transactions interleaved with mask writes
        target = keys[step % len(keys)]
        project.set_status(target, "rejected" if step % 2 else "edited", f"reason {step}")
    if step % 5 == 0:  # proposal files (compressed NPZ) written between mask writes
        probability = rng.random((h, w), dtype=np.float32)
        project.save_proposal(
            key, Proposal(probability, probability * (1 - probability), model_id=f"m{step}")
        )
        say(f"proposal {key} {step}")
