"""Launch to interactive window: the installed bundle against the pip install, in the same run.

"Interactive" is measured from outside, the same way for both: the time from starting the program
to the first screenshot of the X display (Xvfb) that shows a painted main window. Qt paints from its
event loop, so a painted window is one that answers input. Runs alternate (bundle, pip, bundle,
...) so that load on the machine affects both alike; prints the medians and their ratio.

Usage: ``python packaging/bench_launch.py --display :99 --folder SAMPLES --bundle CMD --pip CMD [--runs 5]``
Each CMD is the program to run (e.g. ``/opt/meddisseg-studio/meddisseg-studio`` and
``.venv/bin/meddisseg-studio``); it gets FOLDER as its argument, a fresh HOME, and nothing else of
this environment but PATH.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import screen


def launch_seconds(program: str, folder: Path, display: str, timeout: float) -> float:
    with tempfile.TemporaryDirectory(prefix="bench-home-") as home:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "DISPLAY": display}
        start = time.perf_counter()
        process = subprocess.Popen(
            [program, str(folder)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            screen.wait_painted(display, timeout, interval=0.05)
            return time.perf_counter() - start
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            screen.wait_blank(display)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--display", required=True)
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--bundle", required=True, help="the bundle's meddisseg-studio")
    parser.add_argument("--pip", required=True, help="the pip install's meddisseg-studio")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=180.0)
    args = parser.parse_args(argv)
    times: dict[str, list[float]] = {"bundle": [], "pip": []}
    for run in range(args.runs):
        for name in ("bundle", "pip"):
            seconds = launch_seconds(getattr(args, name), args.folder, args.display, args.timeout)
            times[name].append(seconds)
            print(f"run {run + 1} {name:<6} {seconds:6.2f} s", flush=True)
    bundle, pip = statistics.median(times["bundle"]), statistics.median(times["pip"])
    print(f"\n| install | launch to painted window (median of {args.runs}) | runs |")
    print("|---|---|---|")
    for name, median in (("bundle", bundle), ("pip", pip)):
        print(f"| {name} | {median:.2f} s | {', '.join(f'{t:.2f}' for t in times[name])} |")
    print(f"\nratio bundle / pip: {bundle / pip:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
