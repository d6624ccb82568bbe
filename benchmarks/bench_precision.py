"""Does a faster precision or runtime give the same masks? The one rule, on Kvasir-SEG val.

For a weights file (default: the shipped model), predicts each validation image with PyTorch fp32
(the reference) and with every candidate, in turn per image (fp32, bf16, ..., fp32, bf16, ...)
after warm-ups, so that the shared machine's load changes hit all alike. Per candidate it prints:
the mean and minimum Dice of its masks against the fp32 masks, the share of pixels flipped, the
val mDSC against the ground truth (the authors' protocol at the network's size), the median time
per image, and the verdict of the rule in ``meddisseg_core/inference/measured.py``:

    mean Dice vs fp32 >= 0.99, min >= 0.95, val mDSC within 0.3 points of fp32's.

Only a candidate that passes and is faster may be recorded there as a ``Verdict`` (the script
prints the line to paste). Candidates: ``bf16`` (PyTorch autocast; on CPUs without AVX512-BF16 or
AMX it is emulated and slower), ``bf16-decoder`` (the encoder in fp32, the rest in bf16:
``meddisseg_core/inference/precision.py``), ``bf16-checked`` (bf16, and the images whose maps sit near 0.5
predicted again in fp32: ``meddisseg_core/inference/checked.py``; its time includes those
re-runs), ``fp16`` (CUDA only), ``onnxruntime`` (fp32, CPU; the export is not timed). int8 is not
implemented.

Example (all 120 val images; ``--dry-run`` runs 4 and records nothing)::

    python benchmarks/bench_precision.py --data ../shared/data/Kvasir-SEG --split val.txt -n 120 \\
        --threads 2 --candidates bf16,onnxruntime
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

from meddisseg_core.imageio import list_images, read_image, read_mask_grey
from meddisseg_core.inference import Predictor
from meddisseg_core.inference.capability import detect
from meddisseg_core.inference.choice import choose_runtime, network_kind
from meddisseg_core.inference.measured import MDSC_POINTS_MAX, MEAN_DICE_MIN, MIN_DICE_MIN, same_masks
from meddisseg_core.metrics import metrics_at_model_size


def _image_paths(data: Path, split: Path | None, count: int) -> list[Path]:
    images = data / "images" if (data / "images").is_dir() else data
    if split is None:
        return list_images(images)[:count]
    split_file = split if split.is_file() else data / split
    names = [line.strip() for line in split_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [images / name for name in names[:count]]


def _mask_path(data: Path, image: Path) -> Path | None:
    for candidate in (data / "masks" / image.name, *(data / "masks").glob(image.stem + ".*")):
        if candidate.is_file():
            return candidate
    return None


def _predictor(reference: Predictor, candidate: str) -> Predictor:
    if candidate == "onnxruntime":
        return Predictor(reference.loaded, device=reference.device, runtime="onnxruntime", precision="fp32")
    return Predictor(reference.loaded, device=reference.device, precision=candidate, runtime="torch")


def _timed(predictor: Predictor, image: np.ndarray) -> tuple[object, float]:
    if predictor.device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    result = predictor.predict(image)
    if predictor.device.type == "cuda":
        torch.cuda.synchronize()
    return result, time.perf_counter() - start


def _dice(a: np.ndarray, b: np.ndarray) -> float:
    pa, pb = a > 0.5, b > 0.5
    total = int(pa.sum()) + int(pb.sum())
    return 1.0 if total == 0 else 2.0 * int((pa & pb).sum()) / total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--weights", type=Path, default=None, help="model file (default: the shipped model)")
    parser.add_argument("--data", type=Path, required=True, help="dataset folder (images/, masks/ inside)")
    parser.add_argument("--split", type=Path, default=None, help="split file naming the images (val.txt)")
    parser.add_argument("-n", "--count", type=int, default=120, help="number of images (default: 120)")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=None, help="CPU threads (default: torch's)")
    parser.add_argument(
        "--candidates", default=None, help="comma list: bf16, bf16-decoder, bf16-checked, fp16, onnxruntime"
    )
    parser.add_argument("--warmup", type=int, default=2, help="warm-up images per candidate")
    parser.add_argument("--dry-run", action="store_true", help="4 images, a smoke run: not a verdict")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    count = 4 if args.dry_run else args.count

    paths = _image_paths(args.data, args.split, count)
    images = [read_image(p) for p in paths]
    masks = [_mask_path(args.data, p) for p in paths]
    truths = [read_mask_grey(m) if m is not None else None for m in masks]
    reference = Predictor.from_path(args.weights, device=args.device, precision="fp32", runtime="torch")
    device = reference.device
    cap = detect(device)
    default = "bf16,fp16" if device.type == "cuda" else "bf16"
    candidates = [c for c in (args.candidates or default).split(",") if c]
    predictors = {"fp32": reference}
    for name in candidates:
        predictor = _predictor(reference, name)
        if (predictor.precision, predictor.runtime) == ("fp32", "torch"):
            print(f"{name}: skipped ({predictor.choice.reason})", file=sys.stderr)
            continue
        predictors[name] = predictor
    stage = getattr(reference.network.config, "stage", 2)
    print(f"torch {torch.__version__}; {torch.get_num_threads()} threads; {datetime.date.today()}")
    print(
        f"device: {reference.device_report.describe()}; {cap.describe()} (torch: {cap.torch_capability}; "
        f"flags: {' '.join(sorted(cap.flags)) or 'none reported'})"
    )
    print(
        f"model: stage {stage}, {network_kind(reference.network.config)} network; images: {len(images)}"
        + (" (dry run: not a verdict)" if args.dry_run else "")
    )
    print("load average (1, 5, 15 min) at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))

    for predictor in predictors.values():  # warm-up: allocators, autocast caches, ORT arenas
        for image in images[: args.warmup]:
            predictor.predict(image)
    rechecked_before = {name: p.rechecked for name, p in predictors.items()}
    results: dict[str, list] = {name: [] for name in predictors}
    times: dict[str, list[float]] = {name: [] for name in predictors}
    for image in images:  # in turn per image: A, B, A, B ...
        for name, predictor in predictors.items():
            result, seconds = _timed(predictor, image)
            results[name].append(result)
            times[name].append(seconds)
    load_end = os.getloadavg()

    def gt_mdsc(name: str) -> float | None:
        scores = [
            metrics_at_model_size(r.network_probability, t)["mdsc"]
            for r, t in zip(results[name], truths, strict=True)
            if t is not None
        ]
        return 100.0 * float(np.mean(scores)) if scores else None

    base_time = statistics.median(times["fp32"])
    base_mdsc = gt_mdsc("fp32")
    header = (
        "candidate",
        "mean Dice",
        "min Dice",
        "px flipped %",
        "val mDSC",
        "Δ mDSC",
        "s/img",
        "speed-up",
        "mean speed-up",
        "rule",
    )
    rows = [
        (
            "fp32 (PyTorch)",
            "1.0000",
            "1.0000",
            "0.0000",
            "-" if base_mdsc is None else f"{base_mdsc:.2f}",
            "-",
            f"{base_time:.3f}",
            "1.00x",
            "1.00x",
            "reference",
        )
    ]
    recorded = []
    worst: list[str] = []  # the image each candidate differs most on, to look at
    for name in list(predictors)[1:]:
        pairs = list(zip(results[name], results["fp32"], strict=True))
        dice = [_dice(r.probability, a.probability) for r, a in pairs]
        flipped = sum(np.count_nonzero((r.probability > 0.5) != (a.probability > 0.5)) for r, a in pairs)
        share = 100.0 * flipped / sum(a.probability.size for a in results["fp32"])
        mdsc = gt_mdsc(name)
        delta = None if mdsc is None or base_mdsc is None else mdsc - base_mdsc
        seconds = statistics.median(times[name])
        speedup = base_time / seconds
        mean_speedup = statistics.fmean(times["fp32"]) / statistics.fmean(times[name])
        ok = same_masks(float(np.mean(dice)), float(np.min(dice)), delta)
        verdict = ("passes" if ok else "FAILS") + (", faster" if speedup > 1 else ", slower")
        rows.append(
            (
                name,
                f"{np.mean(dice):.4f}",
                f"{np.min(dice):.4f}",
                f"{share:.4f}",
                "-" if mdsc is None else f"{mdsc:.2f}",
                "-" if delta is None else f"{delta:+.2f}",
                f"{seconds:.3f}",
                f"{speedup:.2f}x",
                f"{mean_speedup:.2f}x",
                verdict,
            )
        )
        recorded.append((name, predictors[name], speedup, dice, delta))
        worst.append(f"{name}: {paths[int(np.argmin(dice))].name} (Dice {np.min(dice):.4f})")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print("\n| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    print(
        f"\nrule: mean Dice >= {MEAN_DICE_MIN}, min >= {MIN_DICE_MIN}, |Δ mDSC| <= {MDSC_POINTS_MAX} points; "
        "times: median per image (mean speed-up: total times), interleaved per image after warm-up"
    )
    print("least alike image: " + "; ".join(worst))
    for name, predictor in predictors.items():
        if predictor.precision == "bf16-checked":
            again = predictor.rechecked - rechecked_before[name]
            print(f"{name}: {again} of {len(images)} images predicted again in fp32 (borderline maps)")
    print("load average (1, 5, 15 min) at end: {:.2f} {:.2f} {:.2f}".format(*load_end))
    auto = choose_runtime("auto", device, stage=stage, network=network_kind(reference.network.config))
    print(f"auto on this machine now: {auto.describe()}")
    if args.dry_run:
        return 0
    print("\nrows for meddisseg_core/inference/measured.py (only passing, faster ones may decide auto):")
    for _name, predictor, speedup, dice, delta in recorded:
        print(
            f'    Verdict("{cap.cls}", {stage}, "{predictor.precision}", "{predictor.runtime}", '
            f"{speedup:.2f}, "
            f"{np.mean(dice):.4f}, {np.min(dice):.4f}, {0.0 if delta is None else round(delta, 2)}, "
            f'{len(images)}, "{reference.device_report.name}", "{cap.torch_capability}; '
            f'{" ".join(sorted(cap.flags))}", "{datetime.date.today()}", "bench_precision.py"),'
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
