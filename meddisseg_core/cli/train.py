"""``meddisseg train``: train a stage-1 or stage-2 Med-DisSeg network on a dataset folder.

Exit codes: 0 finished, 2 could not start (bad arguments, config, dataset, checkpoint),
3 training failed, 4 cancelled (SIGTERM or --cancel-file). See docs/EVENTS.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from meddisseg_core.train.config import PRESETS, resolve_config


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "train",
        help="train a Med-DisSeg network",
        description="Train stage 1 or stage 2 on DIR/images + DIR/masks (optional train.txt/val.txt).",
    )
    parser.add_argument("--data", type=Path, required=True, help="dataset folder with images/ and masks/")
    parser.add_argument("--stage", type=int, choices=(1, 2), required=True)
    parser.add_argument("--out", type=Path, required=True, help="run folder (checkpoints, split, model)")
    parser.add_argument("--init", type=Path, help="checkpoint to start from (stage 2: a stage-1 model)")
    parser.add_argument(
        "--config",
        type=Path,
        action="append",
        help="JSON or TOML TrainConfig (see configs/); repeat it to layer files, later ones win",
    )
    parser.add_argument("--preset", choices=sorted(PRESETS), help="named configuration preset")
    parser.add_argument("--epochs", type=int)
    parser.add_argument(
        "--time-budget",
        type=float,
        metavar="SECONDS",
        help="train for this wall time: warm-up then cosine decay over the time, best model by val "
        "mDSC, a clean finish inside the budget (epochs then only bound it if given)",
    )
    parser.add_argument("--batch-size", type=int)
    parser.add_argument("--network", choices=("paper", "tiny"))
    parser.add_argument("--events", help="write JSON-lines events to FILE, or '-' for stdout")
    parser.add_argument("--cancel-file", type=Path, help="stop (resumably) as soon as this file exists")
    parser.add_argument("--resume", action="store_true", help="continue from the checkpoint OUT/latest names")
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N")
    parser.add_argument("--backbone-weights", type=Path, help="torchvision ResNet-50 state_dict file")
    parser.add_argument(
        "--download-backbone", action="store_true", help="fetch torchvision's ImageNet ResNet-50 (V1)"
    )
    parser.add_argument("--job-id", help="identifier copied into every event (default: random)")
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from meddisseg_core.train.trainer import TrainRequest, run_training

    overrides = {
        "stage": args.stage,
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "network": args.network,
        "time_budget": {"seconds": args.time_budget} if args.time_budget is not None else None,
    }
    config = resolve_config(args.preset, args.config, overrides)
    request = TrainRequest(
        data_dir=args.data,
        out_dir=args.out,
        config=config,
        init_checkpoint=args.init,
        backbone_weights=args.backbone_weights,
        download_backbone=args.download_backbone,
        resume=args.resume,
        device=args.device,
        events=args.events,
        cancel_file=args.cancel_file,
        job_id=args.job_id,
    )
    outcome = run_training(request)
    if outcome.status == "finished":
        print(
            f"meddisseg train: finished; best val {config.selection_metric} {outcome.best_metric:.4f}; "
            f"model {outcome.paths.get('model')}",
            file=sys.stderr,
        )
    elif outcome.status == "cancelled":
        print("meddisseg train: cancelled; resume with --resume", file=sys.stderr)
    else:
        print(f"meddisseg train: error: {outcome.message}", file=sys.stderr)
    return outcome.exit_code
