"""The fine-tune dialog's speed estimate: how long it takes, and how close it lands.

Usage: ``python benchmarks/bench_estimate.py [--stage 2] [--size 256] [--batch-size 4] [--steps 2]``

Rows, in the same run, each a real ``meddisseg models estimate`` child process as the app starts
it (wall time includes the child's Python and torch start-up):

* ``estimate (ours)``: the default, answering within ``--max-seconds`` 15 (small timed steps,
  scaled to the job's side and batch);
* ``full-size steps (before)``: what the estimate did before issue 19, a warm-up and ``--steps``
  steps of the whole batch at the job's side. Its step time is the reference the scaled
  estimate is compared with.

The network is the paper's (random weights: the time does not depend on the values). The
child gets one OpenMP thread, as the app's CPU jobs do on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time


def run(args: list[str]) -> tuple[float, dict]:
    env = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "meddisseg_core", "models", "estimate", *args],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    wall = time.perf_counter() - began
    return wall, json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", type=int, choices=(1, 2), default=2)
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--steps", type=int, default=2, help="timed full-size steps of the reference")
    options = parser.parse_args()
    common = ["--stage", str(options.stage), "--network", "paper", "--scope", "all", "--device", "cpu"]
    common += ["--image-size", str(options.size), "--batch-size", str(options.batch_size)]
    rows = []
    wall, ours = run([*common, "--max-seconds", "15"])
    rows.append(("estimate (ours)", wall, ours))
    wall, full = run([*common, "--max-seconds", "1e9", "--steps", str(options.steps)])
    rows.append(("full-size steps (before)", wall, full))
    reference = full["seconds_per_step"]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, load {load:.1f}; stage "
          f"{options.stage} paper network, {options.batch_size} x {options.size}x{options.size}")
    print("| method | wall time of the estimate | timed | s per step | vs full-size steps |")
    print("|---|---|---|---|---|")
    for name, wall, result in rows:
        timed = f"{result['measured_batch']} x {result['measured_size']} px"
        ratio = result["seconds_per_step"] / reference
        print(f"| {name} | {wall:.1f} s | {timed} | {result['seconds_per_step']:.1f} | {ratio:.2f}x |")


if __name__ == "__main__":
    main()
