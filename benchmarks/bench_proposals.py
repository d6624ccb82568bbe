"""The app's proposal path against bench_inference's fast path, alone and beside a fine-tuning run.

Usage: ``python benchmarks/bench_proposals.py [--stages 1 2] [--images N] [--repeats R]``

Every row runs in a fresh process (thread settings and OpenMP's wait policy are fixed when torch
starts), on the paper networks with random weights (timing does not depend on the values), fp32
on the CPU:

- **fast path**: ``network.infer`` on one 256×256 tensor, torch's default threads — what
  ``benchmarks/bench_inference.py`` measures. Stage 2 also with its uncertainty branch.
- **app, before**: the real window (offscreen) proposing Kvasir-SEG images through the
  ProposalController, JobQueue, ProposalWorker and Predictor, as before issue 9: torch's default
  threads (one per core) and OpenMP's default (spinning) wait.
- **app, now**: the same with the thread budget of ``workers/threads.py`` (one core left to the
  GUI) and ``OMP_WAIT_POLICY=PASSIVE``, as ``meddisseg-studio`` now starts.

Seconds per image (median over the images; the app rows include decoding the JPEG, resizing
the maps back, saving the proposal and refreshing the shown image). Each is measured alone and
beside a competing "fine-tuning" process (stage-1 training steps, torch's default threads), as
the issue measured. A second table splits the app's time per image into its parts.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KVASIR = ROOT.parent / "shared" / "data" / "Kvasir-SEG" / "images"
CHILD_TIMEOUT_S = 900


# -- children (one configuration each, fresh process) ------------------------------------------
def child_fast(stage: int, repeats: int, uncertainty: bool) -> dict[str, float]:
    import torch

    from meddisseg_core.nn import NetworkConfig, build_network

    torch.manual_seed(0)
    net = build_network(NetworkConfig.paper(stage)).eval()
    x = torch.rand(1, 3, 256, 256)
    times = []
    with torch.inference_mode():
        net.infer(x, with_uncertainty=uncertainty)
        for _ in range(repeats):
            start = time.perf_counter()
            net.infer(x, with_uncertainty=uncertainty)
            times.append(time.perf_counter() - start)
    return {"per_image": statistics.median(times), "threads": torch.get_num_threads()}


def child_app(stage: int, folder: Path, budget: bool) -> dict[str, float]:
    """The real window proposing every image of ``folder``; parts timed by wrapping functions."""
    if budget:
        from meddisseg_studio.workers.threads import passive_openmp_wait

        passive_openmp_wait()  # what meddisseg-studio's main() does before torch loads
    import torch
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    import meddisseg_studio.control.proposals as proposals_module
    from meddisseg_core.checkpoint import InputConvention, ModelMetadata
    from meddisseg_core.checkpoint.load import LoadedModel
    from meddisseg_core.inference import Predictor
    from meddisseg_core.nn import NetworkConfig, build_network
    from meddisseg_studio.main_window import MainWindow
    from meddisseg_studio.state.project import Project
    from meddisseg_studio.widgets.dialogs import ScriptedDialogs

    parts: dict[str, list[float]] = {"decode": [], "predict": [], "network": [], "save_and_show": []}

    def timed(name: str, fn: Callable[..., object]) -> Callable[..., object]:
        def wrapper(*args: object, **kwargs: object) -> object:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                parts[name].append(time.perf_counter() - start)

        return wrapper

    app = QApplication.instance() or QApplication([])
    torch.manual_seed(0)
    net = build_network(NetworkConfig.paper(stage))
    metadata = ModelMetadata(network=net.config, input=InputConvention())
    predictor = Predictor(LoadedModel(net, metadata, folder))
    predictor.predict = timed("predict", predictor.predict)
    predictor._forward = timed("network", predictor._forward)
    Project.load_model_input = timed("decode", Project.load_model_input)  # type: ignore[method-assign]
    controller_class = proposals_module.ProposalController
    controller_class._save_proposal = timed("save_and_show", controller_class._save_proposal)

    settings = QSettings(str(folder.parent / "bench.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ScriptedDialogs(), load_default_model=False, settings=settings)
    window.show()
    window.open_folder(folder)
    window.canvas_slot.build()
    window.proposals.set_predictor(predictor, "bench")
    if not budget:
        window.proposals.budget.inference_threads = lambda: None  # torch's default, as before
    keys = [entry.key for entry in window.workspace.project.entries]

    def run(batch: list[str]) -> float:
        done: list[str] = []
        window.proposals.batchFinished.connect(done.append)
        start = time.perf_counter()
        window.proposals.propose(batch)
        while not done:
            app.processEvents()
            time.sleep(0.001)
        elapsed = time.perf_counter() - start
        window.proposals.batchFinished.disconnect(done.append)
        if "failed" in done[0]:
            raise RuntimeError(done[0])
        return elapsed

    run(keys[:1])  # warm-up: first-call costs (weight folding, allocator) are not per image
    for values in parts.values():
        values.clear()
    total = run(keys)
    window.close()
    result = {name: statistics.median(values) for name, values in parts.items() if values}
    result["per_image"] = total / len(keys)
    result["threads_used"] = float(window.proposals.budget.inference_threads() or torch.get_num_threads())
    return result


COMPETITOR = r"""
import torch
from meddisseg_core.nn import NetworkConfig, build_network
net = build_network(NetworkConfig.paper(1)).train()
opt = torch.optim.SGD(net.parameters(), lr=1e-4)
x = torch.rand(2, 3, 256, 256)
print("ready", flush=True)
while True:
    opt.zero_grad()
    net(x).mask.mean().backward()
    opt.step()
"""


# -- parent ---------------------------------------------------------------------------------------
def run_child(args: list[str], env: dict[str, str]) -> dict[str, float] | None:
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--child", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        return None
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"child {args} failed:\n{done.stderr[-3000:]}")
    return json.loads(lines[-1][len("RESULT") :])


class Competitor:
    """A fine-tuning stand-in: stage-1 training steps with torch's default threads."""

    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", COMPETITOR], env=env, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        self.process.stdout.readline()  # "ready": the network is built, training has begun

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def fmt(value: float | None) -> str:
    return "timeout" if value is None else f"{value:.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stages", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--images", type=int, default=4, help="Kvasir images the app proposes")
    parser.add_argument("--repeats", type=int, default=5, help="fast-path runs (median)")
    parser.add_argument("--no-competitor", action="store_true", help="skip the rows beside a fine-tuning run")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, stage = args.child[0], int(args.child[1])
        if kind == "fast":
            result = child_fast(stage, int(args.child[2]), args.child[3] == "unc")
        else:
            result = child_app(stage, Path(args.child[2]), kind == "app-now")
        print("RESULT" + json.dumps(result))
        return 0

    images = sorted(KVASIR.glob("*.jpg"))[: args.images]
    if len(images) < args.images:
        raise SystemExit(f"needs {args.images} Kvasir-SEG images in {KVASIR}")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    env.pop("OMP_WAIT_POLICY", None)
    env.pop("OMP_NUM_THREADS", None)
    conditions = ["alone"] + ([] if args.no_competitor else ["beside fine-tuning"])
    import torch

    threads = torch.get_num_threads()
    print(f"torch {torch.__version__}, {os.cpu_count()} CPUs, torch default threads {threads}")
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    parts_rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for stage in args.stages:
            folder = Path(tmp) / f"stage{stage}" / "images"
            folder.mkdir(parents=True)
            for image in images:
                shutil.copy(image, folder / image.name)
            rows: list[tuple[str, list[str]]] = []
            fast = ["fast", str(stage), str(args.repeats)]
            configs = [("fast path (bench_inference), mask only", [*fast, "mask"])]
            if stage == 2:
                configs.append(("fast path + uncertainty branch", [*fast, "unc"]))
            configs += [
                ("app, before (default threads, spinning wait)", ["app-before", str(stage), str(folder)]),
                ("app, now (thread budget, passive wait)", ["app-now", str(stage), str(folder)]),
            ]
            results: dict[str, list[dict[str, float] | None]] = {label: [] for label, _ in configs}
            for condition in conditions:
                competitor = Competitor(env) if condition != "alone" else None
                try:
                    for label, child_args in configs:
                        results[label].append(run_child(child_args, env))
                finally:
                    if competitor is not None:
                        competitor.stop()
            for label, _ in configs:
                rows.append((label, [fmt(r["per_image"] if r else None) for r in results[label]]))
            now_alone = results["app, now (thread budget, passive wait)"][0]
            if now_alone:
                parts_rows.append((stage, now_alone))
            widths = [max(len(label) for label, _ in rows), *[max(len(c), 7) for c in conditions]]
            print(f"\nStage {stage}: s per image (paper net, fp32 CPU, {args.images} Kvasir-SEG images)")
            print("  ".join(h.ljust(w) for h, w in zip(["path", *conditions], widths, strict=True)))
            print("  ".join("-" * w for w in widths))
            for label, cells in rows:
                print("  ".join(c.ljust(w) for c, w in zip([label, *cells], widths, strict=True)))
    if parts_rows:
        print("\nWhere the app's time per image goes (app, now, alone; medians, seconds)")
        print("stage  per image  decode  predict  of which network  save+show (GUI thread)  threads")
        for stage, r in parts_rows:
            cells = (r["per_image"], r.get("decode", 0), r.get("predict", 0), r.get("network", 0))
            print(
                f"{stage:<5}  {cells[0]:<9.3f}  {cells[1]:<6.3f}  {cells[2]:<7.3f}  {cells[3]:<15.3f}  "
                f"{r.get('save_and_show', 0):<22.3f}  {int(r['threads_used'])}"
            )
    print("\nload average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
