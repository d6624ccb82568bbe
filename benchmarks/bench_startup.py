"""Start-up time of the real app against an empty PySide6 window, started the same way.

Usage: ``python benchmarks/bench_startup.py [--repeats N] [--images N] [--platform offscreen|xcb]``

Each run is a fresh ``python`` process (cold interpreter, warm disk cache), timed from just
before the process is spawned to the first paint of its main window. The app opens a folder of
synthetic sample images (``resources/samples/make_samples.py``) with fresh preferences and no
default model, exactly as ``meddisseg-studio FOLDER`` does. The baseline is a bare
``QMainWindow`` shown by the same driver. Runs alternate between the two so that machine load
affects both alike. For the app it also reports when the canvas shows the first image (the
canvas imports pyqtgraph after the window is up) and when the background model loader is done
(it imports torch; with no default model installed it ends after naming the device).
The bar (issue 9): the app's first window at most 3x the empty window's.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "resources" / "samples"))
from make_samples import write_samples  # noqa: E402 - a script beside the package, not installed

BAR = 3.0

# Runs in the child. Times are seconds since BENCH_T0 (wall clock, taken by the parent just
# before spawning, so interpreter start-up counts).
DRIVER = r"""
import json, os, sys, time
T0 = float(os.environ["BENCH_T0"])
mode, folder = sys.argv[1], sys.argv[2]
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
times = {}

def now():
    return time.time() - T0

def poll(window, tries=3000):
    # The app: wait (without blocking the loop) for the image on the canvas and the loader's end.
    canvas = window.canvas_slot.canvas
    if canvas is not None and canvas.mask is not None and "canvas" not in times:
        times["canvas"] = now()
    if not window.proposals.loading and window._shown_once and "model" not in times and tries < 2990:
        times["model"] = now()
    if ("canvas" in times and "model" in times) or tries <= 0:
        window.close()
        return
    QTimer.singleShot(5, lambda: poll(window, tries - 1))

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and isinstance(watched, QMainWindow) and "window" not in times:
            times["window"] = now()
            times["torch_at_window"] = "torch" in sys.modules
            if mode == "empty":
                QTimer.singleShot(0, watched.close)
            else:
                QTimer.singleShot(0, lambda: poll(watched))
        return False

probe = FirstPaint()
app.installEventFilter(probe)
if mode == "empty":
    window = QMainWindow()
    window.setWindowTitle("empty")
    window.resize(1024, 700)
    window.show()
    app.exec()
else:
    from meddisseg_studio.main import main
    main([folder])
print("BENCH" + json.dumps(times))
"""


def run_once(mode: str, folder: Path, env: dict[str, str]) -> dict[str, float]:
    env = dict(env, BENCH_T0=repr(time.time()))
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, mode, str(folder)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("BENCH")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{mode} run failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return json.loads(lines[-1][len("BENCH") :])


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):6.3f} s  (min {min(values):.3f}, max {max(values):.3f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--images", type=int, default=4)
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "images"
        write_samples(folder, args.images)
        env = dict(os.environ, QT_QPA_PLATFORM=args.platform, MEDDISSEG_HOME=str(Path(tmp) / "home"))
        env["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")  # fresh preferences, never the user's
        env.pop("MEDDISSEG_MODEL", None)
        # As installed for users: pip compiles the package's byte code at install time and the
        # bundle ships it, so a start never recompiles the sources. A shell that sets
        # PYTHONDONTWRITEBYTECODE would make the app (not the empty window, whose PySide6 is
        # compiled) recompile ~140 modules at every start; the warm-up runs below write the cache.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        run_once("empty", folder, env)  # warm the disk cache for both
        run_once("app", folder, env)
        empty: list[float] = []
        app: dict[str, list[float]] = {"window": [], "canvas": [], "model": []}
        torch_early = False
        for _ in range(args.repeats):
            empty.append(run_once("empty", folder, env)["window"])
            times = run_once("app", folder, env)
            torch_early |= bool(times.get("torch_at_window"))
            for key in app:
                if key in times:
                    app[key].append(times[key])

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\nStart-up to the first painted window ({args.repeats} runs each, {args.images} images,")
    print(f"QT_QPA_PLATFORM={args.platform}, {os.cpu_count()} CPUs: {cpu}, load average {load:.1f})\n")
    print(f"{'':38s}median    ")
    print(f"{'empty QMainWindow':38s}{summary(empty)}")
    print(f"{'Med-DisSeg Studio: window shown':38s}{summary(app['window'])}")
    if app["canvas"]:
        print(f"{'  ... first image on the canvas':38s}{summary(app['canvas'])}")
    if app["model"]:
        print(f"{'  ... model loader done (torch)':38s}{summary(app['model'])}")
    ratio = statistics.median(app["window"]) / statistics.median(empty)
    verdict = "met" if ratio <= BAR else "NOT met"
    print(f"\nwindow shown / empty window: {ratio:.2f}x (bar <= {BAR:.0f}x: {verdict})")
    print(f"torch imported before the window was shown: {'YES' if torch_early else 'no'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
