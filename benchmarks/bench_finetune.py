"""CPU fine-tuning wall time: all weights vs decoder only (encoder frozen), in the same run.

Usage: ``python benchmarks/bench_finetune.py [--images 20] [--epochs 1] [--size 256] [--base FILE]``

20 Kvasir-SEG training images are "approved" with their true masks; 20 % of them are held out
(as the app does), the rest are trained on. Each row is one real job run the way the app runs
it: a job folder, ``meddisseg train`` in its own process, events followed until it exits. The
wall time includes the child's start-up, the validation on the held-out images and the
checkpoints. The network is the paper's stage 2 or 1 (random weights unless ``--base`` names a model:
the time does not depend on the values). The baseline is the full-model run of the same
invocation.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import torch
from finetune_common import approved_from_truth, cpu_name, kvasir_dir, run_job, split_names, table

from meddisseg_core.checkpoint import InputConvention, ModelMetadata, load_model, save_model
from meddisseg_core.nn import NetworkConfig, build_network


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=20)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--size", type=int, default=256, help="training image side (multiple of 16)")
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--network", choices=("paper", "tiny"), default="paper")
    parser.add_argument("--stage", type=int, choices=(1, 2), default=2)
    parser.add_argument("--base", type=Path, help="start from this model instead of random weights")
    parser.add_argument("--kvasir", type=Path)
    args = parser.parse_args()

    kvasir = kvasir_dir(args.kvasir)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-finetune-") as tmp:
        work = Path(tmp)
        base = args.base
        if base is None:
            torch.manual_seed(0)
            network = build_network(getattr(NetworkConfig, args.network)(args.stage))
            base = work / "base.safetensors"
            save_model(
                base, network, ModelMetadata(network.config, InputConvention(size=(args.size, args.size)))
            )
        config = load_model(base).metadata.network
        approved = approved_from_truth(kvasir, split_names(kvasir, "train", args.images), work, None)
        rows, baseline = [], None
        for scope, label in (("all", "all weights"), ("decoder", "decoder only")):
            timing = run_job(
                work,
                approved,
                base,
                config,
                scope=scope,
                epochs=args.epochs,
                image_size=args.size,
                batch_size=args.batch_size,
                device="cpu",
                label=scope,
            )
            baseline = baseline or timing.wall_s
            speed = f"{timing.images_per_s:.4f}" if timing.images_per_s else "–"
            train_s = f"{timing.train_s:.1f}" if timing.train_s else "–"
            ratio = f"{baseline / timing.wall_s:.2f}x"
            rows.append((label, timing.outcome.state, f"{timing.wall_s:.1f}", train_s, speed, ratio))
    threads = os.environ.get("OMP_NUM_THREADS", str(torch.get_num_threads()))
    held = max(1, round(0.2 * args.images))
    table(
        f"Fine-tuning on CPU: {args.images} approved images ({args.images - held} trained, {held} held out), "
        f"{args.size}x{args.size}, {args.network} stage {config.stage}, {args.epochs} epoch(s), batch "
        f"{args.batch_size}; {cpu_name()}, {threads} threads",
        ("train", "outcome", "job wall time (s)", "training epochs (s)", "train images/s", "speed-up"),
        rows,
    )
    print(f"load average before / after: {load_before:.2f} / {os.getloadavg()[0]:.2f}")
    print("speed-up = the all-weights job's wall time / this job's wall time (same invocation)")


if __name__ == "__main__":
    main()
