"""Run by test_kill9_resume.py: a clean parent that forks training children which SIGKILL themselves.

The parent imports torch and the trainer once and never runs a parallel torch op, so each forked
child starts in milliseconds and safely. A child resumes the run in OUT and dies by SIGKILL at a
random moment, chosen in one of two ways, alternately:

* after a random amount of CPU time (in setup, a step, validation or a checkpoint write; CPU time
  rather than wall time, so the kills spread over the same work on a busy machine as on an idle one);
* a random few milliseconds into a randomly chosen checkpoint write, the moment that matters most
  for the pair's atomicity and too short to be hit often by the first way.

After each death the parent reports, as one JSON line on stdout, whether the run folder still
holds a complete checkpoint.

Usage: ``python -m tests.train.kill9_worker DATA OUT KILLS SEED``
"""

from __future__ import annotations

import json
import os
import random
import signal
import sys
import threading
import time
from pathlib import Path

import torch

from meddisseg_core.train import TrainRequest, run_files, run_training
from meddisseg_core.train.config import resolve_config
from meddisseg_core.train.state import CHECKPOINTS, has_latest, latest_weights_path, load_latest


def _config():
    return resolve_config(
        None,
        None,
        {
            "stage": 2,
            "network": "tiny",
            "epochs": 100000,
            "batch_size": 2,
            "progress": False,
            "data": {"image_size": 32, "val_fraction": 0.34, "augment": False},
        },
    )


def _kill_after_cpu_seconds(limit: float) -> None:
    while time.process_time() < limit:  # CPU time of this (forked, so fresh) process
        time.sleep(0.002)
    os.kill(os.getpid(), signal.SIGKILL)


def _kill_inside_a_save(nth: int, delay: float) -> None:
    """SIGKILL ``delay`` seconds after the ``nth`` checkpoint write of this child begins."""
    original = run_files.save_latest
    calls = {"n": 0}

    def save_latest(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == nth:
            threading.Timer(delay, os.kill, (os.getpid(), signal.SIGKILL)).start()
        return original(*args, **kwargs)

    run_files.save_latest = save_latest


def _child(data: Path, out: Path, cpu_limit: float, save: tuple[int, float] | None) -> None:
    if save is None:
        threading.Thread(target=_kill_after_cpu_seconds, args=(cpu_limit,), daemon=True).start()
    else:
        _kill_inside_a_save(*save)
    try:
        run_training(TrainRequest(data, out, _config(), resume=True, events=out / "events.jsonl"))
    finally:
        os._exit(0)  # never return into the parent's code (reported as "exited", not "killed")


def _debris(out: Path) -> set[str]:
    """What a killed save leaves: folders besides the current one, temp files."""
    root = out / CHECKPOINTS
    current = latest_weights_path(out).parent
    found = {str(f) for f in root.iterdir() if f != current} if root.is_dir() else set()
    found |= {str(f) for f in current.glob(".*.tmp")} if current.is_dir() else set()
    return found | {str(f) for f in out.glob(".latest.*.tmp")}


def _report(out: Path, had_checkpoint: bool, status: int, debris_before: set[str]) -> dict[str, object]:
    report: dict[str, object] = {"killed": os.WIFSIGNALED(status), "had_checkpoint": had_checkpoint}
    if has_latest(out):
        try:
            _, payload = load_latest(out)
            report["step"] = payload["progress"]["step"]
            report["resumable"] = True
        except Exception as exc:
            report["resumable"] = False
            report["error"] = str(exc)[:300]
    else:
        report["resumable"] = False
    # New debris (a half-written folder, a temp file) means this child died inside a save.
    report["killed_mid_save"] = bool(_debris(out) - debris_before)
    return report


def main() -> int:
    data, out, kills, seed = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(1)
    torch.optim.Adam([torch.zeros(1, requires_grad=True)])  # import the optimiser's lazy modules now
    rng = random.Random(seed)
    for index in range(kills):
        had_checkpoint = has_latest(out)
        debris_before = _debris(out) if out.is_dir() else set()
        cpu_limit = rng.uniform(0.05, 2.5)
        save = (rng.randint(1, 2), rng.uniform(0.0, 0.05)) if index % 2 else None
        pid = os.fork()
        if pid == 0:
            _child(data, out, cpu_limit, save)
        _, status = os.waitpid(pid, 0)
        print(json.dumps(_report(out, had_checkpoint, status, debris_before)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
