"""Run under torchrun by test_ddp.py: train a few steps, then write this rank's weight checksum."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import torch

from meddisseg_core.train import Trainer, TrainRequest
from meddisseg_core.train.config import resolve_config


def main() -> int:
    data, out, stage = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(1)
    config = resolve_config(
        None,
        None,
        {
            "stage": stage,
            "network": "tiny",
            "epochs": 1,
            "batch_size": 1,
            "max_steps": 2,
            "progress": False,
            "data": {"image_size": 32, "val_fraction": 0.34},
        },
    )
    trainer = Trainer(TrainRequest(data, out, config, device="cpu", events=out / "events.jsonl"))
    outcome = trainer.run()
    digest = hashlib.sha256()
    # Parameters must agree; BN running statistics are per rank until DDP broadcasts rank 0's at
    # the next forward (only rank 0 saves them), so they are left out.
    for key, value in sorted(trainer.network.named_parameters()):
        digest.update(key.encode())
        digest.update(value.detach().cpu().contiguous().numpy().tobytes())
    (out / f"rank{trainer.ctx.rank}.sha256").write_text(f"{digest.hexdigest()} {trainer.progress.step}\n")
    return outcome.exit_code


if __name__ == "__main__":
    sys.exit(main())
