"""Box and Click in the app: does the window stay responsive while the model runs a prompt?

Usage: ``python benchmarks/bench_prompt_ui.py [--images N] [--clicks K] [--dry-run] [--json]``

On Kvasir-SEG val frames at their original resolution, with the shipped default model, each
frame gets a box (the ground-truth lesion's box enlarged by 5 %) and then ``K`` clicks from the
simulated annotator (the interior point farthest from the boundary of the largest error region,
positive on a miss, negative on a false region). Two ways to run the same prompts:

- **GUI thread (baseline)**: ``segmenter.segment`` called on the GUI thread, as a naive tool would;
- **ours**: the real window (offscreen), ``PromptController.request`` → ``PromptWorker`` thread →
  one undoable edit, as a mouse click does.

A 10 ms QTimer ticks on the GUI thread throughout; the longest gap between two ticks is how long
the window was frozen. Each row uses a fresh segmenter (the core caches crops per image). Latency
is from the request to the applied edit. The accuracy of the prompts is bench_interactive.py's.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
KVASIR = ROOT.parent / "shared" / "data" / "Kvasir-SEG"


class Timed:
    """A segmenter that records how long each ``segment`` call took (on whatever thread)."""

    def __init__(self, segmenter) -> None:
        self.segmenter = segmenter
        self.seconds: list[float] = []

    def segment(self, image, prompts, **kwargs):
        start = time.perf_counter()
        try:
            return self.segmenter.segment(image, prompts, **kwargs)
        finally:
            self.seconds.append(time.perf_counter() - start)


class Ticker:
    """The longest gap between the ticks of a 10 ms timer on the GUI thread."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.longest = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def start(self) -> None:
        self.last, self.longest = time.perf_counter(), 0.0
        self.timer.start()


def next_click(mask: np.ndarray, truth: np.ndarray) -> tuple[int, int, bool] | None:
    """The simulated annotator's next click (``meddisseg_core.interactive.annotator``), or None when right."""
    from meddisseg_core.interactive.annotator import next_click as annotator_click

    click = annotator_click(mask, truth)
    return None if click is None else (click.x, click.y, click.positive)


def gt_box(truth: np.ndarray):
    from meddisseg_core.interactive import Box

    ys, xs = np.nonzero(truth)
    h, w = truth.shape
    mx, my = 0.05 * (xs.max() - xs.min() + 1) / 2, 0.05 * (ys.max() - ys.min() + 1) / 2
    return Box(
        max(0, int(xs.min() - mx)),
        max(0, int(ys.min() - my)),
        min(w, int(xs.max() + 1 + mx)),
        min(h, int(ys.max() + 1 + my)),
    )


# latencies, GUI stalls, time inside segment(), and each prompt's kind ("box" or "click")
Row = tuple[list[float], list[float], list[float], list[str]]


def run_baseline(app, predictor, frames, clicks: int) -> Row:
    from meddisseg_core.interactive import Click, Prompts, make_prompt_segmenter

    segmenter = Timed(make_prompt_segmenter(predictor))
    ticker, latencies, stalls, kinds = Ticker(), [], [], []
    for image, truth in frames:
        mask, prob, prompts = np.zeros(truth.shape, bool), None, Prompts(box=gt_box(truth))
        for step in range(clicks + 1):
            if step:
                found = next_click(mask, truth)
                if found is None:
                    break
                prompts = prompts.with_click(Click(*found))
            ticker.start()
            app.processEvents()
            start = time.perf_counter()
            result = segmenter.segment(image, prompts, mask=mask, probability=prob)  # blocks the GUI
            latencies.append(time.perf_counter() - start)
            kinds.append("click" if step else "box")
            app.processEvents()
            ticker.timer.stop()
            stalls.append(ticker.longest)
            mask, prob = result.mask, result.probability
    return latencies, stalls, segmenter.seconds, kinds


def run_ours(app, predictor, folder: Path, keys: list[str], truths, clicks: int) -> Row:
    from PySide6.QtCore import QEventLoop, QSettings

    from meddisseg_core.interactive import make_prompt_segmenter
    from meddisseg_studio.main_window import MainWindow
    from meddisseg_studio.tools.prompting import PromptRequest
    from meddisseg_studio.widgets.dialogs import ScriptedDialogs

    settings = QSettings(str(folder.parent / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ScriptedDialogs(), load_default_model=False, settings=settings)
    window.resize(1280, 800)
    window.show()
    window.proposals.set_predictor(predictor, "default")
    timed: list[Timed] = []
    window.prompts.segmenter_factory = lambda p: timed.append(Timed(make_prompt_segmenter(p))) or timed[-1]
    window.open_folder(folder)
    window.canvas_slot.build()
    ticker, latencies, stalls, kinds = Ticker(), [], [], []
    loop = QEventLoop()
    window.prompts.busyChanged.connect(lambda busy: None if busy else loop.quit())
    for key, truth in zip(keys, truths, strict=True):
        window.workspace.show_image(key)
        app.processEvents()
        requests = [PromptRequest("box", box=gt_box(truth))]
        for step in range(clicks + 1):
            if step:
                found = next_click(window.workspace.session.mask.astype(bool), truth)
                if found is None:
                    break
                from meddisseg_core.interactive import Click

                requests.append(PromptRequest("click", click=Click(*found)))
            ticker.start()
            start = time.perf_counter()
            window.prompts.request(requests[-1])
            if window.prompts.busy:  # a real event loop that sleeps while idle, not a busy spin
                loop.exec()
            latencies.append(time.perf_counter() - start)
            kinds.append("click" if step else "box")
            ticker.timer.stop()
            stalls.append(ticker.longest)
    window.close()
    return latencies, stalls, [t for segmenter in timed for t in segmenter.seconds], kinds


def p95(values: list[float]) -> float:
    return float(np.percentile(values, 95)) if values else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=3)
    parser.add_argument("--clicks", type=int, default=2)
    parser.add_argument("--dry-run", action="store_true", help="one image, one box, no clicks")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.dry_run:
        args.images, args.clicks = 1, 0

    from PySide6.QtWidgets import QApplication

    from meddisseg_core.inference import Predictor
    from meddisseg_studio.workers.threads import BUDGET

    app = QApplication.instance() or QApplication(sys.argv[:1])
    names = (KVASIR / "val.txt").read_text().split()[: args.images]
    predictor = Predictor.from_path(None)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "frames"
        folder.mkdir()
        frames, truths = [], []
        for name in names:
            (folder / name).write_bytes((KVASIR / "images" / name).read_bytes())
            image = cv2.cvtColor(cv2.imread(str(KVASIR / "images" / name)), cv2.COLOR_BGR2RGB)
            truth = cv2.imread(str(KVASIR / "masks" / name), cv2.IMREAD_GRAYSCALE) > 127
            frames.append((image, truth))
            truths.append(truth)
        import torch

        torch.set_num_threads(BUDGET.inference_threads())  # the same threads as the app's worker
        rows = {
            "GUI thread (baseline)": run_baseline(app, predictor, frames, args.clicks),
            "ours (PromptWorker)": run_ours(app, predictor, folder, names, truths, args.clicks),
        }
    table = {}
    for name, (lat, stall, inside, kinds) in rows.items():
        for kind in ("box", "click"):
            pick = [i for i, k in enumerate(kinds) if k == kind]
            if not pick:
                continue
            table[f"{name} · {kind}"] = {
                "prompts": len(pick),
                "latency_median_s": statistics.median(lat[i] for i in pick),
                "latency_p95_s": p95([lat[i] for i in pick]),
                "gui_stall_median_s": statistics.median(stall[i] for i in pick),
                "gui_stall_max_s": max(stall[i] for i in pick),
                "in_segment_median_s": statistics.median(inside[i] for i in pick),
            }
    if args.json:
        print(json.dumps(table))
        return 0
    print(
        f"{len(names)} Kvasir-SEG val frame(s), box + up to {args.clicks} click(s) each, shipped model, "
        f"{BUDGET.inference_threads()} torch thread(s)"
    )
    print(
        f"{'method':<32} {'prompts':>7} {'latency med':>12} {'p95':>8} "
        f"{'GUI stall med':>14} {'max':>8} {'in segment() med':>17}"
    )
    for name, row in table.items():
        print(
            f"{name:<32} {row['prompts']:>7} {row['latency_median_s']:>11.2f}s {row['latency_p95_s']:>7.2f}s "
            f"{row['gui_stall_median_s']:>13.3f}s {row['gui_stall_max_s']:>7.3f}s "
            f"{row['in_segment_median_s']:>16.2f}s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
