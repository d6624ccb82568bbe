"""Resumable trainer state: ``latest.safetensors`` (all weights) + ``latest_state.pt`` (the rest).

The weights go to safetensors (no pickle). Optimiser, scheduler, counters and RNG states go to a
``torch.save`` file holding only plain tensors, numbers, strings, lists and dicts, so that it
loads with ``weights_only=True``. Both files carry the step number; a mismatch (a crash between
the two writes) is detected on resume instead of silently mixing two moments of the run.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors.torch import load_file, save

from meddisseg_core.atomic import atomic_write_bytes
from meddisseg_core.errors import CheckpointError

LATEST_WEIGHTS = "latest.safetensors"
LATEST_STATE = "latest_state.pt"


@dataclass
class Progress:
    """Counters the trainer carries across epochs (and across a resume)."""

    epoch: int = 0  # epochs fully completed
    step: int = 0  # optimiser steps taken
    batches_in_epoch: int = 0  # batches of the current (unfinished) epoch already consumed
    best_metric: float = -1.0  # best validation mIoU so far
    best_epoch: int = -1
    bad_epochs: int = 0  # early-stopping counter
    skipped_steps: int = 0
    recoveries: int = 0


def capture_rng(extra: dict[str, torch.Generator]) -> dict[str, Any]:
    kind, keys, pos, has_gauss, cached = np.random.get_state(legacy=True)
    state: dict[str, Any] = {
        "python": [list(x) if isinstance(x, tuple) else x for x in random.getstate()],
        "numpy": [
            kind,
            torch.from_numpy(np.asarray(keys, dtype=np.int64)),
            int(pos),
            int(has_gauss),
            float(cached),
        ],
        "torch": torch.get_rng_state(),
        "generators": {name: g.get_state() for name, g in extra.items()},
    }
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def restore_rng(state: dict[str, Any], extra: dict[str, torch.Generator]) -> None:
    version, internal, gauss = state["python"]
    random.setstate((version, tuple(internal), gauss))
    kind, keys, pos, has_gauss, cached = state["numpy"]
    np.random.set_state((kind, keys.numpy().astype(np.uint32), pos, has_gauss, cached))
    torch.set_rng_state(state["torch"])
    for name, generator in extra.items():
        if name in state["generators"]:
            generator.set_state(state["generators"][name])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def save_latest(
    out_dir: Path,
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    scheduler: Any,
    progress: Progress,
    rng: dict[str, Any],
    config: dict[str, Any],
) -> Path:
    """Write the resumable state of the run; returns the weights path."""
    weights = {k: v.detach().to("cpu").contiguous() for k, v in model.state_dict().items()}
    atomic_write_bytes(out_dir / LATEST_WEIGHTS, save(weights, metadata={"step": str(progress.step)}))
    payload = {
        "format": "meddisseg-train-state/1",
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict(),
        "progress": dict(vars(progress)),
        "rng": rng,
        "config": config,
    }
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    atomic_write_bytes(out_dir / LATEST_STATE, buffer.getvalue())
    return out_dir / LATEST_WEIGHTS


def has_latest(out_dir: Path) -> bool:
    return (out_dir / LATEST_WEIGHTS).is_file() and (out_dir / LATEST_STATE).is_file()


def load_latest(out_dir: Path) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    """(weights, state payload) of the latest checkpoint; CheckpointError if missing or torn."""
    weights_path, state_path = out_dir / LATEST_WEIGHTS, out_dir / LATEST_STATE
    if not has_latest(out_dir):
        raise CheckpointError(f"{out_dir}: no resumable checkpoint ({LATEST_WEIGHTS} + {LATEST_STATE})")
    try:
        weights = load_file(str(weights_path))
        payload = torch.load(state_path, map_location="cpu", weights_only=True)
    except Exception as exc:  # safetensors and torch raise several unrelated types
        raise CheckpointError(f"{out_dir}: cannot read the latest checkpoint ({exc})") from exc
    if not isinstance(payload, dict) or payload.get("format") != "meddisseg-train-state/1":
        raise CheckpointError(f"{state_path}: not a Med-DisSeg training state")
    from safetensors import safe_open

    with safe_open(str(weights_path), framework="pt") as handle:
        weights_step = (handle.metadata() or {}).get("step")
    if weights_step != str(payload["progress"]["step"]):
        raise CheckpointError(
            f"{out_dir}: {LATEST_WEIGHTS} (step {weights_step}) and {LATEST_STATE} "
            f"(step {payload['progress']['step']}) are from different moments; the run was interrupted "
            "while saving. Start a new run or restore both files."
        )
    return weights, payload


def progress_from(payload: dict[str, Any]) -> Progress:
    return Progress(**payload["progress"])
