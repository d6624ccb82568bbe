"""The annotation loop, measured: approve -> fine-tune -> better proposals on the rest?

Usage:
    python benchmarks/annotation_loop.py [--base FILE] [--device cuda] [--epochs 20]   (GPU)
    python benchmarks/annotation_loop.py --dry-run                                    (CPU, CI)

1. The first 100 Kvasir-SEG training images are approved, their true masks standing in for the
   annotator's corrections (20 % of them are held out, as the app does).
2. A fine-tuning job starts from the current default model (``--base``, else the shipped
   default) and runs exactly as the app runs it (job folder, child process, events).
3. Proposals of the base and of the new model are measured on the 120 val images: Dice (mean
   per image at the image's own size, threshold 0.5) and the edited-pixel fraction (the share
   of pixels an annotator would have to change to reach the true mask), plus the job's wall time.

``--dry-run``: the tiny network (untrained base), 8 approved images and 8 val images at 64x64,
one epoch on the CPU: it checks that the whole loop runs, not what it achieves.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from finetune_common import approved_from_truth, cpu_name, kvasir_dir, run_job, split_names, table

from meddisseg_core.checkpoint import InputConvention, ModelMetadata, load_model, save_model
from meddisseg_core.imageio import read_image, read_mask, to_uint8, write_mask_png
from meddisseg_core.inference import Predictor
from meddisseg_core.inference.model_location import default_model_path
from meddisseg_core.metrics import segmentation_metrics
from meddisseg_core.models.finish import write_candidate
from meddisseg_core.models.jobspec import CANDIDATE_NAME, RUN_DIR
from meddisseg_core.nn import NetworkConfig, build_network


def proposals_quality(model: Path, pairs: list[tuple[Path, Path]], device: str) -> tuple[float, float]:
    """(mean Dice, mean edited-pixel fraction) of the model's proposals against the true masks."""
    predictor = Predictor.from_path(model, device=device)
    dices, edited = [], []
    for image_path, mask_path in pairs:
        rgb = to_uint8(read_image(image_path))
        truth = read_mask(mask_path, expected_shape=rgb.shape[:2])
        proposal = (predictor.predict(rgb).probability > 0.5).astype(np.uint8)
        dices.append(segmentation_metrics(proposal, truth)["mdsc"])
        edited.append(float(np.mean(proposal != truth)))
    return float(np.mean(dices)), float(np.mean(edited))


def val_pairs(kvasir: Path, names: list[str], folder: Path, size: tuple[int, int] | None) -> list:
    """(image, true mask) files of the val images; shrunk copies of both when ``size`` is given."""
    if size is None:
        return [(kvasir / "images" / n, kvasir / "masks" / n) for n in names]
    shrunk = approved_from_truth(kvasir, names, folder, size)
    for name, item in shrunk.items():
        write_mask_png(folder / f"{name}.mask.png", item.mask)
    return [(shrunk[n].image, folder / f"{n}.mask.png") for n in names]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="tiny network, 8 images, CPU (CI)")
    parser.add_argument("--base", type=Path, help="model to start from (default: the shipped default)")
    parser.add_argument("--approve", type=int, default=100)
    parser.add_argument("--val", type=int, default=120)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--scope", choices=("all", "decoder"), default="all")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--kvasir", type=Path)
    args = parser.parse_args()
    if args.dry_run:
        args.approve, args.val, args.epochs, args.batch_size, args.device = 8, 8, 1, 2, "cpu"
    kvasir = kvasir_dir(args.kvasir)

    with tempfile.TemporaryDirectory(prefix="annotation-loop-") as tmp:
        work = Path(tmp)
        size = None
        base = args.base or default_model_path()
        if args.dry_run:
            torch.manual_seed(0)
            network = build_network(NetworkConfig.tiny(2))
            base = work / "tiny-base.safetensors"
            save_model(
                base, network, ModelMetadata(network.config, InputConvention(size=(64, 64)), name="tiny")
            )
            size = (80, 64)  # shrunken copies: the dry run checks the loop, quickly
        if base is None:
            print("no default model ships yet: pass --base FILE (e.g. the authors' checkpoint2.pth)")
            return 2
        loaded = load_model(base)
        image_size = max(loaded.metadata.input.size)
        approved = approved_from_truth(kvasir, split_names(kvasir, "train", args.approve), work, size)
        pairs = val_pairs(kvasir, split_names(kvasir, "val", args.val), work / "val", size)

        began = time.perf_counter()
        before = proposals_quality(base, pairs, args.device)
        before_s = time.perf_counter() - began
        timing = run_job(
            work,
            approved,
            base,
            loaded.metadata.network,
            scope=args.scope,
            epochs=args.epochs,
            image_size=image_size,
            batch_size=args.batch_size,
            device=args.device,
            label="loop",
        )
        if timing.outcome.state != "finished":
            print(f"the job ended {timing.outcome.state}: {timing.outcome.message}", file=sys.stderr)
            return 1
        candidate = write_candidate(timing.job_dir / RUN_DIR, timing.job_dir / CANDIDATE_NAME)
        after = proposals_quality(candidate, pairs, args.device)
        device = Predictor.from_path(base, device=args.device).device_report
        base_name = Path(base).name if not args.dry_run else "untrained tiny network"
    table(
        f"Annotation loop: {args.approve} approved Kvasir-SEG training images (true masks as corrections), "
        f"{args.epochs} epoch(s) {args.scope}, proposals on {len(pairs)} val images; "
        f"{'DRY RUN (tiny network) ' if args.dry_run else ''}{device.name} ({device.device}); {cpu_name()}",
        ("proposals", "Dice", "edited-pixel fraction"),
        [
            (f"before ({base_name})", f"{before[0]:.4f}", f"{before[1]:.4f}"),
            ("after fine-tuning", f"{after[0]:.4f}", f"{after[1]:.4f}"),
            ("difference", f"{after[0] - before[0]:+.4f}", f"{after[1] - before[1]:+.4f}"),
        ],
    )
    print(f"job wall time: {timing.wall_s:.1f} s (training in a child process, start to exit)")
    print(f"proposals on the val images: {before_s:.1f} s per model")
    return 0


if __name__ == "__main__":
    sys.exit(main())
