"""Run by test_kill9_resume.py: a clean parent that forks training children which SIGKILL themselves.

The parent imports torch and the trainer once and never runs a parallel torch op, so each forked
child starts in milliseconds and safely. A child resumes the run in OUT while a watcher thread
sends it SIGKILL once the child has used a random amount of CPU time: in setup, in a step, in
validation or in the middle of a checkpoint write. CPU time rather than wall time, so that the
kills spread over the same work on a busy machine as on an idle one. After each death the parent
reports, as one JSON line on stdout, whether the run folder still holds a complete checkpoint.

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

from meddisseg_core.train import TrainRequest, run_training
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


def _child(data: Path, out: Path, cpu_limit: float) -> None:
    threading.Thread(target=_kill_after_cpu_seconds, args=(cpu_limit,), daemon=True).start()
    try:
        run_training(TrainRequest(data, out, _config(), resume=True, events=out / "events.jsonl"))
    finally:
        os._exit(0)  # never return into the parent's code (reported as "exited", not "killed")


def _report(out: Path, had_checkpoint: bool, status: int) -> dict[str, object]:
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
    folders = list((out / CHECKPOINTS).iterdir()) if (out / CHECKPOINTS).is_dir() else []
    current = latest_weights_path(out).parent
    # Anything besides the current folder (or a temp file in it) is the debris of a killed save.
    debris = [f for f in folders if f != current]
    debris += list(current.glob(".*.tmp")) if current.is_dir() else []
    debris += list(out.glob(".latest.*.tmp"))
    report["killed_mid_save"] = bool(debris)
    return report


def main() -> int:
    data, out, kills, seed = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(1)
    torch.optim.Adam([torch.zeros(1, requires_grad=True)])  # import the optimiser's lazy modules now
    rng = random.Random(seed)
    for _ in range(kills):
        had_checkpoint = has_latest(out)
        delay = rng.uniform(0.02, 1.6)
        pid = os.fork()
        if pid == 0:
            _child(data, out, delay)
        _, status = os.waitpid(pid, 0)
        print(json.dumps(_report(out, had_checkpoint, status)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
