"""Cost of the audit log for a brush stroke: the commit on the GUI thread, and the row off it.

A committed stroke (``EditSession.apply`` in the GUI's background-autosave mode) is timed with the
audit log (ours: the snapshot carries a note; the queue's notes thread hashes it and appends the
row) against a baseline in the same run that submits the snapshot without a note (the code
before the log). Two paces: strokes committed one after the other with no pause (a burst, far
faster than a hand; the background threads fall behind), and one stroke every ``--pace`` seconds
(a quick hand). "burst+flush" is the time from the first stroke until every write and row is
done. Then, off the GUI thread: ``mask_sha256`` and ``Project.record_mask`` (sha256 + one
durable INSERT) alone.

Run: ``python benchmarks/bench_stroke_audit.py [--sizes 1024 4096] [--strokes 30] [--pace 0.15]``
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from meddisseg_core.inference.device import cpu_name
from meddisseg_studio.state import EditSession, MaskEdit, Project
from meddisseg_studio.state.audit import mask_sha256


class BaselineSession(EditSession):
    """The autosave as it was before the log: the snapshot alone, no note, no row."""

    def _autosave(self, tool: str) -> None:
        queue = self.project.autosave_queue
        previous_error = queue.error(self.key)
        queue.submit(self.key, self._generation, self.mask.copy(), self.project.save_mask)
        if previous_error is not None:
            raise previous_error


def machine_name() -> str:
    return f"{cpu_name()}, {os.cpu_count()} logical CPUs, {platform.system()} {platform.release()}"


def strokes(size: int, count: int, radius: int = 20) -> list[tuple[int, int, np.ndarray]]:
    rng = np.random.default_rng(size)
    yy, xx = np.mgrid[-radius : radius + 1, -radius : radius + 1]
    disc = (yy**2 + xx**2 <= radius**2).astype(np.uint8)
    spots = rng.integers(radius, size - 3 * radius, (count, 2))
    return [(int(y), int(x), disc) for y, x in spots]


def run(
    session_type: type[EditSession], folder: Path, state: Path, size: int, count: int, pace: float
) -> tuple[list[float], float]:
    project = Project.open(folder, state_dir=state)
    session = session_type(project, "img.png")
    per_stroke = []
    start_all = time.perf_counter()
    for y, x, disc in strokes(size, count):
        h, w = disc.shape
        before = session.mask[y : y + h, x : x + w].copy()
        edit = MaskEdit(y, x, before, np.maximum(before, disc))
        start = time.perf_counter()
        session.apply(edit, tool="brush")
        per_stroke.append(time.perf_counter() - start)
        if pace:
            time.sleep(pace)
    session.flush()
    total = time.perf_counter() - start_all
    rows = sum(1 for r in project.history("img.png") if r.action == "mask")
    expected = count if session_type is EditSession else 0
    if rows != expected:
        raise RuntimeError(f"{session_type.__name__}: {rows} mask rows, expected {expected}")
    project.close()
    return per_stroke, total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1024, 4096])
    parser.add_argument("--strokes", type=int, default=30)
    parser.add_argument("--pace", type=float, default=0.15, help="seconds between strokes in the paced runs")
    args = parser.parse_args(argv)
    print(f"machine: {machine_name()}")
    print(
        f"python {sys.version.split()[0]}, numpy {np.__version__}; {args.strokes} strokes (disc r=20) per run"
    )
    header = (
        f"{'mask':>11}  {'method':<26}{'pace':>7}{'commit median ms':>17}{'p95 ms':>9}{'run+flush s':>13}"
    )
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory(prefix="bench-audit-") as tmp:
        for size in args.sizes:
            folder = Path(tmp) / f"images-{size}"
            folder.mkdir()
            cv2.imwrite(str(folder / "img.png"), np.zeros((size, size, 3), np.uint8))
            for pace in (0.0, args.pace):
                for name, kind in (
                    ("baseline (no log)", BaselineSession),
                    ("ours (row per stroke)", EditSession),
                ):
                    state = Path(tmp) / f"state-{size}-{kind.__name__}-{pace}"
                    times, total = run(kind, folder, state, size, args.strokes, pace)
                    ordered = sorted(times)
                    p95 = ordered[round(0.95 * (len(ordered) - 1))]
                    label = f"{pace:g} s" if pace else "burst"
                    print(
                        f"{size:>5}x{size:<5}  {name:<26}{label:>7}{1000 * statistics.median(times):>17.3f}"
                        f"{1000 * p95:>9.3f}{total:>13.2f}"
                    )
            project = Project.open(folder, state_dir=Path(tmp) / f"state-{size}-rows")
            mask = np.zeros((size, size), np.uint8)
            hashes, records = [], []
            for _ in range(20):
                start = time.perf_counter()
                mask_sha256(mask)
                hashes.append(time.perf_counter() - start)
                start = time.perf_counter()
                project.record_mask("img.png", mask, "brush")
                records.append(time.perf_counter() - start)
            project.close()
            print(
                f"{size:>5}x{size:<5}  off the GUI thread: sha256 {1000 * statistics.median(hashes):.2f} ms, "
                f"sha256 + durable row {1000 * statistics.median(records):.2f} ms (medians of 20)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
