"""``meddisseg models train-job | finish-job | estimate``: fine-tuning jobs (docs/FINETUNE.md).

* ``train-job JOB`` runs the job's training here (also under ``torchrun``, one call per rank).
* ``finish-job JOB`` compares the new model with its base on the held-out images and registers
  it with the right parent; ``result.json`` in the job folder records the outcome.
* ``estimate`` times a few real training steps, for an honest duration estimate.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def add_parsers(commands: Any) -> None:
    train = commands.add_parser("train-job", help="run a fine-tuning job's training (torchrun-able)")
    train.add_argument("job", type=Path, help="job.json or its folder")
    train.add_argument("--device", help="override the spec's device (auto, cpu, cuda)")
    train.set_defaults(func=run_train_job)

    finish = commands.add_parser(
        "finish-job", help="compare a trained job's model with its base, register it"
    )
    finish.add_argument("job", type=Path, help="job.json or its folder")
    finish.add_argument("--device", default="auto")
    finish.add_argument("--json", action="store_true", help="print result.json")
    finish.set_defaults(func=run_finish_job)

    estimate = commands.add_parser("estimate", help="time a few training steps (JSON on stdout)")
    estimate.add_argument("--base", type=Path, help="the model to fine-tune (none: a new network)")
    estimate.add_argument("--stage", type=int, choices=(1, 2), help="default: the base model's")
    estimate.add_argument("--network", choices=("paper", "tiny"), help="default: the base model's")
    estimate.add_argument("--scope", choices=("all", "decoder"), default="all")
    estimate.add_argument("--image-size", type=int, default=256)
    estimate.add_argument("--batch-size", type=int, default=4)
    estimate.add_argument("--device", default="cpu")
    estimate.add_argument("--steps", type=int, default=3)
    estimate.add_argument(
        "--max-seconds", type=float, default=15.0, help="answer within about this long (default 15)"
    )
    estimate.add_argument(
        "--progress",
        action="store_true",
        help='print {"progress": TEXT, "fraction": F} lines before the result',
    )
    estimate.add_argument("--images", type=Path, nargs="*", default=[], help="real images for the batch")
    estimate.set_defaults(func=run_estimate)


def run_train_job(args: argparse.Namespace) -> int:
    from meddisseg_core.cli.main import main
    from meddisseg_core.models.jobspec import RUN_DIR, read_spec

    spec, job_dir = read_spec(args.job)
    train_args = spec.train_args(job_dir)
    if args.device:
        train_args[train_args.index("--device") + 1] = args.device
    run = job_dir / RUN_DIR
    return main(
        [
            "train",
            *train_args,
            "--out",
            str(run),
            "--events",
            str(run / "events.jsonl"),
            "--cancel-file",
            str(run / "CANCEL"),
        ]
    )


def run_finish_job(args: argparse.Namespace) -> int:
    from meddisseg_core.models.finish import finish_job, read_result

    result = finish_job(args.job, device=args.device)
    if args.json:
        print(json.dumps(read_result(result.result_path.parent), indent=1))
        return 0
    c = result.comparison
    print(f"held-out images: {len(c.images)} ({len(c.corrected)} corrected by a person)")
    print(f"before ({c.before.dice:.4f} Dice, {c.before.iou:.4f} IoU)")
    print(f"after  ({c.after.dice:.4f} Dice, {c.after.iou:.4f} IoU)")
    print(f"difference {c.dice_gain:+.4f} Dice, {c.iou_gain:+.4f} IoU")
    for name, keys in (("corrected", c.corrected), ("accepted unedited", c.accepted)):
        group = c.group(keys)
        before, after = group["before"]["dice"], group["after"]["dice"]  # type: ignore[index]
        if before is not None and after is not None:
            print(f"{name}: {len(keys)} image(s), Dice {before:.4f} -> {after:.4f}")
    print(f"verdict: {c.verdict_text()}")
    print(f"registered {result.record.id} (parent {result.record.parent})")
    return 0


def _print_progress(text: str, fraction: float) -> None:
    print(json.dumps({"progress": text, "fraction": round(fraction, 3)}), flush=True)


def run_estimate(args: argparse.Namespace) -> int:
    from meddisseg_core.checkpoint import load_model
    from meddisseg_core.models.estimate import time_training_steps
    from meddisseg_core.models.jobspec import network_kind

    stage, network = args.stage, args.network
    if args.base is not None:
        config = load_model(args.base).metadata.network
        stage, network = stage or config.stage, network or network_kind(config)
    estimate = time_training_steps(
        args.base,
        stage=stage or 2,
        network=network or "paper",
        train_scope=args.scope,
        image_size=args.image_size,
        batch_size=args.batch_size,
        device=args.device,
        steps=args.steps,
        images=args.images,
        max_seconds=args.max_seconds,
        progress=_print_progress if args.progress else None,
    )
    print(json.dumps(estimate._asdict()), flush=True)
    return 0
