"""Child of test_two_writers: one copy of the studio writing a folder, one command per line on stdin.

Usage: ``python writer_child.py FOLDER STATE_DIR NAME``. The writer's lease is bypassed on
purpose: each child uses a lease file of its own name, as on a share where the other's lock file
is not seen (or the lease was lost), so the record versions are what keeps the two apart.

Prints ``{"ready": true}``, then answers each JSON command ``{"op", "key", "seed"}`` with one JSON
line: ``result`` ("accepted", "refused" or "done"), the entry's ``status`` and ``reason`` after
it, the sha1 of the mask it wrote (``mask``, None when none was written) or meant to write
(``intended``), and for a refusal the ``rescued`` files. Ops: ``approve`` (a random mask),
``reject``, ``edit`` (a random mask through an EditSession, as a brush stroke; odd seeds autosave
on the background thread), ``reload`` (close
and open again: this copy now sees everything stored). Runs on older code too (no lease, no
versions), so the same test shows what that code does.
"""

from __future__ import annotations

import hashlib
import json
import sys

import numpy as np

from meddisseg_studio.state import EditSession, Project
from meddisseg_studio.state.edits import diff_edit

try:
    from meddisseg_studio.state import lease

    lease.LEASE_NAME = f"writer-{sys.argv[3]}.lease"  # the other copy's lease file is not seen
except ImportError:  # code before the lease
    pass
try:
    from meddisseg_studio.state.errors import StaleRecordError
except ImportError:  # code before record versions: nothing is ever refused

    class StaleRecordError(Exception):  # type: ignore[no-redef]
        rescued = None


folder, state_dir = sys.argv[1], sys.argv[2]


def sha(mask: np.ndarray) -> str:
    return hashlib.sha1(np.ascontiguousarray(mask, dtype=np.uint8).tobytes()).hexdigest()


def random_mask(project: Project, key: str, seed: int) -> np.ndarray:
    h, w = project.image_shape(key)
    return np.random.default_rng(seed).integers(0, 2, (h, w), dtype=np.uint8)


def edit(project: Project, key: str, seed: int, reply: dict, refusals: list) -> None:
    """A brush stroke over the whole image; odd seeds autosave in the background, as the app does."""
    background = seed % 2 == 1
    session = EditSession(project, key, background=background)
    change = diff_edit(session.mask, random_mask(project, key, seed))
    if change is None:
        return
    preview = session.mask.copy()
    change.apply_to(preview)
    reply["intended"] = sha(preview)
    try:
        session.apply(change)  # the mask (or its queueing) and the status change
    except StaleRecordError as exc:
        refusals.append(exc)
    if background:
        project.autosave_queue.flush()
        error = project.autosave_queue.error(key)
        if isinstance(error, StaleRecordError):
            refusals.append(error)
    if not refusals:
        reply["mask"] = sha(session.mask)


def run(project: Project, command: dict) -> dict:
    op, key, seed = command["op"], command.get("key"), command.get("seed", 0)
    reply: dict = {"result": "accepted", "mask": None, "intended": None, "rescued": []}
    refusals: list = []
    try:
        if op == "approve":
            mask = random_mask(project, key, seed)
            reply["intended"] = sha(mask)
            project.approve(key, mask)
            reply["mask"] = sha(mask)
        elif op == "reject":
            project.reject(key, f"reason {seed}")
        elif op == "edit":
            edit(project, key, seed, reply, refusals)
        else:
            raise ValueError(f"unknown op {op!r}")
    except StaleRecordError as exc:
        refusals.append(exc)
    if refusals:
        reply.update(result="refused", mask=None, rescued=[str(e.rescued) for e in refusals if e.rescued])
    entry = project.entry(key)
    reply.update(status=str(entry.status), reason=entry.reject_reason)
    return reply


def main() -> None:
    project = Project.open(folder, state_dir=state_dir)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        if command["op"] == "quit":
            break
        if command["op"] == "reload":
            project.close()
            project = Project.open(folder, state_dir=state_dir)
            reply: dict = {"result": "done"}
        else:
            reply = run(project, command)
        print(json.dumps(reply), flush=True)
    project.close()


main()
