"""CPU fine-tuning: today's fp32 run against the capability-aware settings, in the same run.

Usage: ``python benchmarks/bench_finetune.py [--images 20] [--epochs 1] [--variants LIST] [--base FILE]``

20 Kvasir-SEG training images are "approved" with their true masks; 20 % of them are held out
(as the app does, the same ones for every row), the rest are trained on. Each row is one real job
run the way the app runs it: a job folder, ``meddisseg train`` in its own process, events followed
until it exits. The wall time includes the child's start-up, the validation on the held-out images
and the checkpoints. Every row starts from the same model (default: the shipped one, so the
held-out Dice means something) with the same seed.

Variants (comma list): ``fp32`` (today: fp32, all weights, full size: the baseline), ``auto``
(the precision train/numerics.py picks here: bf16 on AVX512-BF16/AMX CPUs), ``auto+decoder``
(encoder frozen), ``auto+NNN`` (batches resized to NNN px on the device; held-out scored at full
size), and combinations such as ``auto+decoder+192``. The bar: ``auto`` >= 1.5x faster than
``fp32``, its loss after the epoch within 5 % of fp32's.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import torch
from finetune_common import approved_from_truth, cpu_name, kvasir_dir, run_job, split_names, table

from meddisseg_core.checkpoint import InputConvention, ModelMetadata, load_model, save_model
from meddisseg_core.inference.capability import detect_cpu
from meddisseg_core.inference.model_location import default_model_path
from meddisseg_core.nn import NetworkConfig, build_network
from meddisseg_core.train.numerics import train_precision


def _parse(variant: str) -> tuple[str, str, int | None]:
    """(precision, scope, train size) of a variant name such as ``auto+decoder+192``."""
    parts = variant.split("+")
    precision, scope, size = parts[0], "all", None
    for part in parts[1:]:
        if part == "decoder":
            scope = "decoder"
        elif part.isdigit():
            size = int(part)
        else:
            raise SystemExit(f"unknown variant part {part!r} in {variant!r}")
    if precision not in ("fp32", "auto", "bf16"):
        raise SystemExit(f"unknown precision {precision!r} in {variant!r}")
    return precision, scope, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=20)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--size", type=int, default=256, help="image side of the model (multiple of 16)")
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--network", choices=("paper", "tiny"), default="paper")
    parser.add_argument("--stage", type=int, choices=(1, 2), default=2)
    parser.add_argument("--base", type=Path, help="start model (default: the shipped one; random if none)")
    parser.add_argument("--random-base", action="store_true", help="start from random weights")
    parser.add_argument("--variants", default="fp32,auto,auto+decoder,auto+192")
    parser.add_argument("--kvasir", type=Path)
    args = parser.parse_args()

    kvasir = kvasir_dir(args.kvasir)
    load_before = os.getloadavg()
    cap = detect_cpu()
    bf16, why = train_precision("auto", torch.device("cpu"), args.network)
    print(
        f"torch {torch.__version__}; {cpu_name()}; {cap.describe()} (torch {cap.torch_capability}); "
        f"auto = {'bf16' if bf16 else 'fp32'} ({why})"
    )
    print("load average (1, 5, 15 min) at start: {:.2f} {:.2f} {:.2f}".format(*load_before), flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-finetune-") as tmp:
        work = Path(tmp)
        shipped = not args.random_base and (args.network, args.stage) == ("paper", 2)
        base = args.base or (default_model_path() if shipped else None)
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
        for variant in [v for v in args.variants.split(",") if v]:
            precision, scope, train_size = _parse(variant)
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
                label=variant.replace("+", "-"),
                precision=precision,
                train_size=train_size,
            )
            baseline = baseline or timing
            speed = f"{timing.images_per_s:.3f}" if timing.images_per_s else "–"
            train_s = f"{timing.train_s:.1f}" if timing.train_s else "–"
            loss = f"{timing.loss:.4f}" if timing.loss is not None else "–"
            change = (
                f"{100 * (timing.loss - baseline.loss) / abs(baseline.loss):+.1f} %"
                if timing.loss is not None and baseline.loss
                else "–"
            )
            dice = f"{100 * timing.held_out_dice:.2f}" if timing.held_out_dice is not None else "–"
            rows.append(
                (
                    variant,
                    timing.outcome.state,
                    f"{timing.wall_s:.1f}",
                    train_s,
                    speed,
                    f"{baseline.wall_s / timing.wall_s:.2f}x",
                    loss,
                    change,
                    dice,
                )
            )
            print(f"done: {' | '.join(rows[-1])}", flush=True)
    threads = os.environ.get("OMP_NUM_THREADS", str(torch.get_num_threads()))
    held = max(1, round(0.2 * args.images))
    table(
        f"Fine-tuning on CPU: {args.images} approved images ({args.images - held} trained, {held} held out), "
        f"{args.size}x{args.size}, {args.network} stage {config.stage} from {Path(base).name}, {args.epochs} "
        f"epoch(s), batch {args.batch_size}, seed 0; {cpu_name()} ({cap.describe()}), {threads} threads",
        (
            "variant",
            "outcome",
            "job wall (s)",
            "training (s)",
            "train img/s",
            "speed-up",
            "loss after epoch",
            "loss vs fp32",
            "held-out mDSC",
        ),
        rows,
    )
    print("load average (1, 5, 15 min) at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(
        "speed-up = the first row's job wall time / this row's (same invocation, rows run one after another)"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
