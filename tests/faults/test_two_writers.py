"""Two writers on one folder, past the lease: 100 random interleavings, no lost update, no silent overwrite.

Two real processes (``writer_child.py``) open the same folder for writing, each with the lease
bypassed (as on a share where the lock file is not seen, or the lease was lost), so the record
versions alone keep them apart. The parent drives them through pipes, one command at a time,
in a seeded random order: approve (with a mask), reject, edit the mask, or reload. It keeps a
model of what each copy has seen of each image, and counts:

* silent overwrites: a write accepted although its copy had not seen the image's latest
  accepted write (the lost update of the issue: the other copy's change is gone, unannounced);
* unrescued refusals: a refused write with no rescued file holding what it meant to write;
* false refusals: a write refused although its copy had seen the latest write;
* lost: at the end, an image whose stored state is not its last accepted write.

All must be 0. On the code before record versions every write is accepted, so the silent
overwrites are many (see the report of issue 18 for that run).
"""

from __future__ import annotations

import hashlib
import json
import random
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from meddisseg_studio.state import Project, codec

CHILD = Path(__file__).with_name("writer_child.py")
ROUNDS = 100
KEYS = ("a.png", "b.png", "c.png", "d.png")
OPS = ("approve", "reject", "edit", "reload")
pytestmark = pytest.mark.slow


@dataclass
class Tally:
    accepted: int = 0
    refused: int = 0
    reloads: int = 0
    silent_overwrites: int = 0
    unrescued: int = 0
    false_refusals: int = 0
    lost: int = 0
    problems: list[str] = field(default_factory=list)

    def problem(self, kind: str, text: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        self.problems.append(f"{kind}: {text}")


class Writer:
    def __init__(self, name: str, folder: Path, state: Path, errors: Path) -> None:
        self.name = name
        self._err = open(errors, "w")  # noqa: SIM115 - closed in close()
        self.process = subprocess.Popen(
            [sys.executable, str(CHILD), str(folder), str(state), name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._err,
            text=True,
        )
        self.errors = errors
        assert self.read() == {"ready": True}

    def read(self) -> dict:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, f"writer {self.name} died:\n{self.errors.read_text()}"
        return json.loads(line)

    def ask(self, command: dict) -> dict:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        return self.read()

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.write('{"op": "quit"}\n')
            self.process.stdin.flush()
            self.process.wait(timeout=60)
        self._err.close()


def _sha(mask: np.ndarray) -> str:
    return hashlib.sha1(np.ascontiguousarray(mask, dtype=np.uint8).tobytes()).hexdigest()


def _check_rescued(reply: dict, key: str, tally: Tally) -> None:
    """A refused write must have left rescued JSON naming the image, with the intended mask beside one."""
    files = [Path(name) for name in reply["rescued"]]
    if not files or not all(path.is_file() for path in files):
        tally.problem("unrescued", f"{key}: refused, and no rescued file ({reply['rescued']})")
        return
    masks = []
    for path in files:
        record = json.loads(path.read_text(encoding="utf-8"))
        if record["image"] != key or record["based_on_version"] >= record["stored_version"]:
            tally.problem("unrescued", f"{key}: rescued record does not describe the refusal: {record}")
        if record["mask"]:
            masks.append(_sha(codec.decode_mask_png(path.with_name(record["mask"]))))
    if reply["intended"] is not None and reply["intended"] not in masks:
        tally.problem("unrescued", f"{key}: the refused mask is in none of {files}")


def test_two_writers_past_the_lease_lose_nothing(tmp_path: Path, image_writer) -> None:
    folder, state = tmp_path / "images", tmp_path / "state"
    pixels = np.random.default_rng(0)
    for key in KEYS:
        image_writer(folder / key, pixels.integers(0, 255, (12, 16, 3), dtype=np.uint8))
    writers = [Writer(name, folder, state, tmp_path / f"{name}.err") for name in ("A", "B")]
    rng = random.Random(18)
    tally = Tally()
    accepted_writes = dict.fromkeys(KEYS, 0)  # per image: how many writes were accepted
    seen = {w.name: dict.fromkeys(KEYS, 0) for w in writers}  # per copy: the last of them it has seen
    expected = {key: {"status": "new", "reason": None, "mask": None} for key in KEYS}
    try:
        for round_index in range(ROUNDS):
            writer = rng.choice(writers)
            key, op = rng.choice(KEYS), rng.choices(OPS, weights=(3, 3, 3, 2))[0]
            reply = writer.ask({"op": op, "key": key, "seed": round_index})
            if op == "reload":
                tally.reloads += 1
                seen[writer.name] = dict(accepted_writes)
                continue
            stale = seen[writer.name][key] != accepted_writes[key]
            where = f"round {round_index}: {writer.name} {op} {key}"
            if reply["result"] == "accepted":
                tally.accepted += 1
                if stale:
                    tally.problem("silent_overwrites", f"{where} overwrote a write it had not seen")
                accepted_writes[key] += 1
                seen[writer.name][key] = accepted_writes[key]
                expected[key]["status"], expected[key]["reason"] = reply["status"], reply["reason"]
                if reply["mask"] is not None:
                    expected[key]["mask"] = reply["mask"]
            else:
                tally.refused += 1
                if not stale:
                    tally.problem("false_refusals", f"{where} was refused though it had seen every write")
                _check_rescued(reply, key, tally)
    finally:
        for writer in writers:
            writer.close()

    final = Project.open(folder, state_dir=state, read_only=True)
    for key in KEYS:
        entry = final.entry(key)
        mask = final.store.read_mask(key)
        stored = {
            "status": str(entry.status),
            "reason": entry.reject_reason,
            "mask": None if mask is None else _sha(mask),
        }
        if stored != expected[key]:
            tally.problem("lost", f"{key}: stored {stored}, last accepted write {expected[key]}")
    final.close()
    print(
        f"\ntwo writers, {ROUNDS} rounds: {tally.accepted} accepted, {tally.refused} refused "
        f"(rescued), {tally.reloads} reloads; {tally.silent_overwrites} silent overwrites, "
        f"{tally.lost} lost, {tally.unrescued} unrescued, {tally.false_refusals} false refusals"
    )
    assert (tally.silent_overwrites, tally.lost, tally.unrescued, tally.false_refusals) == (0, 0, 0, 0), (
        tally.problems
    )
    assert tally.accepted > 0 and tally.refused > 0  # both paths ran
