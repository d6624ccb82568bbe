"""Prompted correction on Kvasir-SEG val: clicks to 85/90 % IoU and box IoU, ours against baselines.

Usage: ``python benchmarks/bench_interactive.py [--images N] [--methods ours grabcut none ...]
[--json] [--dry-run] [--cache DIR]``

The simulated annotator is the standard one of the interactive-segmentation literature (RITM and
its successors), with the error region chosen by area as the issue words it: the next click goes
to the interior point farthest from the boundary (the image border counts as boundary) of the
largest connected error region, positive on a missed region, negative on a false one; at most
20 clicks; IoU at the image's original resolution. NoC@85/NoC@90 is the number of clicks until
the IoU first reaches 85/90 % (0 when the start already does, 20 when never). A trajectory
stops early once it reached 90 % with at least 5 clicks (the reported figures need no more).

Two starts: the model's proposal (probability > 0.5 of the full-frame pass, computed once per
image) and an empty mask (the first click is then positive). In both, and for the boxes, the
proposal's map is passed as ``probability``, as the app does once an image has been proposed.
Box prompts: for every ground-truth lesion (8-connected component of at least 64 px) its
bounding box enlarged by 5 % and each side jittered by ±5 % of the box's size (seed 0), applied
to an empty mask; IoU inside the box.

Methods (each a PromptSegmenter; a method without its own box algorithm reports the box with
``cv2.grabCut(GC_INIT_WITH_RECT)``, "none" with the proposal):

- ``ours``: what ``make_prompt_segmenter`` ships: the learned refiner
  (``resources/models/click_refiner.safetensors``; ``MEDDISSEG_REFINER=file`` measures another)
  for clicks and boxes.
- ``local``: the hand-made methods that ship when no refiner is installed (a local watershed per
  click; the box's crop map blended with an inscribed ellipse).
- ``grabcut``: plain ``cv2.grabCut`` with the same clicks and no model prior (see
  ``interactive_methods.py``), on the frame downscaled to 200 px on its long side, 3 iterations
  (mask upscaled): at 320 px and 5 iterations a call took 1.5 s on the busy machine.
- ``grabcut-prior``: the issue's measured variant, GrabCut over the whole frame seeded with the
  current mask/probability (PR_FGD where p >= 0.5), also at 200 px.
- ``none``: no correction (clicks change nothing).
- further alternatives we tried (``interactive_methods.METHODS``).

Latency is wall time per prompt call on this machine at the original resolution, the proposal's
full-frame pass excluded (the app has it already). ``--cache DIR`` keeps network outputs on disk
between runs (for developing methods); latencies measured with it are meaningless.
``--proposal-cache DIR`` keeps only the full-frame proposals (never timed), so a rerun on a busy
machine skips 120 network passes while boxes and clicks still run live.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from interactive_methods import METHODS, DiskCachedPredictor, build_method  # noqa: E402

from meddisseg_core.inference.device import cpu_name  # noqa: E402
from meddisseg_core.interactive import Box, PromptResult, Prompts, annotator  # noqa: E402
from meddisseg_core.interactive.annotator import next_click  # noqa: E402

KVASIR = ROOT.parent / "shared" / "data" / "Kvasir-SEG"
MAX_CLICKS = 20
REPORT_AFTER = (1, 3, 5)
MIN_LESION_PX = 64
DEFAULT_METHODS = ("ours", "local", "grabcut", "grabcut-prior", "none")
# Methods with a box algorithm of their own; the other click methods share ours (not run twice).
BOX_METHODS = frozenset({"ours", "local", "grabcut", "grabcut-prior", "none"})


# -- the simulated annotator -------------------------------------------------------------------
def iou(pred: np.ndarray, gt: np.ndarray) -> float:
    union = np.count_nonzero(pred | gt)
    return 1.0 if union == 0 else np.count_nonzero(pred & gt) / union


@dataclass
class Trajectory:
    ious: list[float]  # index k: IoU after k clicks (index 0: the start)
    latencies: list[float] = field(default_factory=list)

    def noc(self, threshold: float) -> int:
        for k, value in enumerate(self.ious):
            if value >= threshold:
                return k
        return MAX_CLICKS

    def iou_after(self, k: int) -> float:
        return self.ious[min(k, len(self.ious) - 1)]  # stopped early: the last value holds


def run_clicks(
    segmenter: object, image: np.ndarray, gt: np.ndarray, mask: np.ndarray, prob: np.ndarray | None
) -> Trajectory:
    trajectory = Trajectory([iou(mask, gt)])
    prompts = Prompts()
    for k in range(1, MAX_CLICKS + 1):
        click = next_click(mask, gt)
        if click is None:  # perfect: every further click is unnecessary
            trajectory.ious.append(1.0)
            break
        prompts = prompts.with_click(click)
        start = time.perf_counter()
        result: PromptResult = segmenter.segment(image, prompts, mask=mask, probability=prob)  # type: ignore[attr-defined]
        trajectory.latencies.append(time.perf_counter() - start)
        mask, prob = result.mask, result.probability
        trajectory.ious.append(iou(mask, gt))
        if k >= max(REPORT_AFTER) and trajectory.ious[-1] >= 0.9:
            break
    return trajectory


def lesion_boxes(gt: np.ndarray, rng: np.random.Generator) -> list[Box]:
    """Each lesion's box enlarged by 5 % and jittered by ±5 % per side, clipped to the image."""
    return annotator.lesion_boxes(gt, rng, min_area=MIN_LESION_PX)


# -- the run -----------------------------------------------------------------------------------
def load_val(folder: Path, limit: int | None) -> list[tuple[str, np.ndarray, np.ndarray]]:
    from meddisseg_core.imageio import read_image, read_mask

    names = [n.strip() for n in (folder / "val.txt").read_text().splitlines() if n.strip()]
    if limit is not None:
        names = names[:limit]
    items = []
    for name in names:
        image = read_image(folder / "images" / name)
        gt = read_mask(folder / "masks" / name, image.shape[:2]).astype(bool)
        items.append((name, image, gt))
    return items


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def evaluate(
    method: str, predictor: object, items: list, proposals: dict, seed: int, box_images: int | None = None
) -> dict:
    segmenter = build_method(method, predictor)
    rows: dict[str, list[Trajectory]] = {"proposal": [], "empty": []}
    box_ious: list[float] = []
    box_latencies: list[float] = []
    rng = np.random.default_rng(seed)
    for index, (name, image, gt) in enumerate(items):
        prob = proposals[name]
        boxes = method in BOX_METHODS and (box_images is None or index < box_images)
        if method == "none":
            rows["proposal"].append(Trajectory([iou(prob > 0.5, gt)] * 2))
            rows["empty"].append(Trajectory([0.0] * 2))
        else:
            rows["proposal"].append(run_clicks(segmenter, image, gt, prob > 0.5, prob))
            rows["empty"].append(run_clicks(segmenter, image, gt, np.zeros_like(gt), prob))
        for box in lesion_boxes(gt, rng) if boxes else []:
            inside = (slice(box.y0, box.y1), slice(box.x0, box.x1))
            if method == "none":
                box_ious.append(iou((prob > 0.5)[inside], gt[inside]))
                continue
            start = time.perf_counter()
            result = segmenter.segment(image, Prompts(box=box), mask=np.zeros_like(gt), probability=prob)
            box_latencies.append(time.perf_counter() - start)
            box_ious.append(iou(result.mask[inside], gt[inside]))
    out: dict = {}
    for start_name, trajectories in rows.items():
        latencies = [t for tr in trajectories for t in tr.latencies]
        out[start_name] = {
            "noc85": statistics.fmean(t.noc(0.85) for t in trajectories),
            "noc90": statistics.fmean(t.noc(0.90) for t in trajectories),
            "iou_after": {k: statistics.fmean(t.iou_after(k) for t in trajectories) for k in REPORT_AFTER},
            "start_iou": statistics.fmean(t.ious[0] for t in trajectories),
            "click_latency_p50_s": percentile(latencies, 50),
            "click_latency_p95_s": percentile(latencies, 95),
            "clicks": len(latencies),
        }
    proposal = out["proposal"]
    all_latencies = [t for trs in rows.values() for tr in trs for t in tr.latencies]
    return {
        "noc85": proposal["noc85"],
        "noc90": proposal["noc90"],
        "iou_after": proposal["iou_after"],
        "box_iou": statistics.fmean(box_ious) if box_ious else float("nan"),
        "click_latency_p95_s": percentile(all_latencies, 95),
        "click_latency_p50_s": percentile(all_latencies, 50),
        "box_latency_p95_s": percentile(box_latencies, 95),
        "box_latency_p50_s": percentile(box_latencies, 50),
        "boxes": len(box_ious),
        "from_proposal": proposal,
        "from_empty": out["empty"],
    }


def fmt(value: float, digits: int = 2) -> str:
    return "-" if value != value else f"{value:.{digits}f}"  # NaN: not measured


def print_table(results: dict[str, dict], images: int) -> None:
    print(
        f"\nKvasir-SEG val, {images} images; {cpu_name()}, torch threads: default; IoU at original resolution"
    )
    head = (
        "| method | start | NoC@85 | NoC@90 | IoU@0 | IoU@1 | IoU@3 | IoU@5 | click p50 s | click p95 s "
        "| box IoU | box p50 s | box p95 s |"
    )
    print(head)
    print("|" + "|".join(["---"] * (head.count("|") - 1)) + "|")
    for method, res in results.items():
        for start in ("from_proposal", "from_empty"):
            row = res[start]
            after = row["iou_after"]
            cells = [method, start[5:], fmt(row["noc85"]), fmt(row["noc90"]), fmt(row["start_iou"], 3)]
            cells += [fmt(after[k], 3) for k in REPORT_AFTER]
            cells += [fmt(row["click_latency_p50_s"], 3), fmt(row["click_latency_p95_s"], 3)]
            if start == "from_proposal":  # boxes do not depend on the start: one row
                cells += [fmt(res[key], 3) for key in ("box_iou", "box_latency_p50_s", "box_latency_p95_s")]
            else:
                cells += ["", "", ""]
            print("| " + " | ".join(cells) + " |")
    if "ours" in results and "grabcut" in results:
        ours, grab = results["ours"], results["grabcut"]
        for key in ("noc85", "noc90"):
            fewer = 1 - ours[key] / grab[key] if grab[key] else float("nan")
            print(f"ours vs plain grabcut from the proposal, {key}: {fmt(100 * fewer, 1)} % fewer clicks")


def _no_nan(value: object) -> object:
    """NaN (not measured) as null, so the JSON is strict."""
    if isinstance(value, dict):
        return {k: _no_nan(v) for k, v in value.items()}
    if isinstance(value, float) and value != value:
        return None
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kvasir", type=Path, default=KVASIR)
    parser.add_argument("--images", type=int, default=None, help="first N val images (default: all 120)")
    parser.add_argument("--methods", nargs="+", default=list(DEFAULT_METHODS), choices=sorted(METHODS))
    parser.add_argument("--weights", type=Path, default=None, help="model (default: the shipped default)")
    parser.add_argument("--dry-run", action="store_true", help="4 images, for CI")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument(
        "--cache", type=Path, default=None, help="keep network outputs here (development only)"
    )
    parser.add_argument(
        "--proposal-cache",
        type=Path,
        default=None,
        help="keep only the full-frame proposals here (they are not timed; boxes and clicks still run live)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--no-box", action="store_true", help="skip the box prompts (developing click methods)"
    )
    parser.add_argument(
        "--box-images",
        type=int,
        default=None,
        help="box prompts on the first N images only (each is a network pass)",
    )
    args = parser.parse_args(argv)
    limit = 4 if args.dry_run else args.images

    from meddisseg_core.inference import Predictor

    predictor: object = Predictor.from_path(args.weights, device="cpu")
    if args.cache is not None:
        predictor = DiskCachedPredictor(predictor, args.cache)
    proposer = predictor
    if args.proposal_cache is not None:
        proposer = DiskCachedPredictor(predictor, args.proposal_cache)
    items = load_val(args.kvasir, limit)
    start = time.perf_counter()
    proposals = {name: proposer.predict(image).probability for name, image, _ in items}  # type: ignore[attr-defined]
    proposal_s = (time.perf_counter() - start) / max(1, len(items))
    results = {
        m: evaluate(m, predictor, items, proposals, args.seed, 0 if args.no_box else args.box_images)
        for m in args.methods
    }
    if args.json:
        report = {"images": len(items), "machine": cpu_name(), "methods": results}
        print(json.dumps(_no_nan(report), indent=1, allow_nan=False))
    else:
        print_table(results, len(items))
        if args.box_images is not None and not args.no_box:
            print(f"box prompts on the first {min(args.box_images, len(items))} images only")
        cached = " (from --proposal-cache/--cache)" if args.cache or args.proposal_cache else ""
        print(f"full-frame proposal pass (not counted in any latency): {proposal_s:.2f} s per image{cached}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
