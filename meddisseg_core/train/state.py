"""Resumable trainer state, saved so that a crash at any moment leaves a complete, consistent pair.

A checkpoint is a folder ``checkpoints/step-<step>-<tag>/`` holding ``weights.safetensors`` (all
weights, no pickle) and ``state.pt`` (optimiser, scheduler, counters, RNG states: plain tensors,
numbers, strings, lists and dicts, so it loads with ``weights_only=True``). The folder becomes
current only when the pointer file ``latest`` (one line: the folder name) is replaced atomically,
after both files are on disk. The previous folder is deleted only after that, so a SIGKILL at any
instant leaves either the old pair or the new pair current, never half of each. Both files still
carry the step number, which is checked on load as a second line of defence.

Run folders written before this layout (``latest.safetensors`` + ``latest_state.pt`` side by side)
are still read.
"""

from __future__ import annotations

import contextlib
import io
import random
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors import safe_open
from safetensors.torch import load_file, save

from meddisseg_core.atomic import atomic_write_bytes, atomic_write_text, fsync_dir
from meddisseg_core.errors import CheckpointError

POINTER = "latest"
CHECKPOINTS = "checkpoints"
WEIGHTS = "weights.safetensors"
STATE = "state.pt"
FORMAT = "meddisseg-train-state/1"
# The layout before the step folders; read for resuming old runs, never written.
LEGACY_WEIGHTS = "latest.safetensors"
LEGACY_STATE = "latest_state.pt"


@dataclass
class Progress:
    """Counters the trainer carries across epochs (and across a resume)."""

    epoch: int = 0  # epochs fully completed
    step: int = 0  # optimiser steps taken
    batches_in_epoch: int = 0  # batches of the current (unfinished) epoch already consumed
    best_metric: float = -1.0  # best value of the selection metric (val mIoU or mDSC)
    best_epoch: int = -1
    bad_epochs: int = 0  # early-stopping counter
    skipped_steps: int = 0
    recoveries: int = 0
    elapsed_s: float = 0.0  # training wall time consumed (time-budget runs continue from it)
    best_values: dict[str, float] = field(default_factory=dict)  # val metrics of the best epoch


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


def _current_folder(out_dir: Path) -> Path | None:
    """The folder the pointer names, or None when there is no (valid) pointer."""
    try:
        name = (out_dir / POINTER).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    # The pointer holds a bare folder name written by us; anything else is not followed.
    if not name or "/" in name or "\\" in name or name in (".", ".."):
        return None
    return out_dir / CHECKPOINTS / name


def latest_weights_path(out_dir: Path) -> Path:
    """The weights file of the current checkpoint (safetensors, loadable with ``load_file``)."""
    folder = _current_folder(Path(out_dir))
    if folder is not None:
        return folder / WEIGHTS
    return Path(out_dir) / LEGACY_WEIGHTS


def save_latest(
    out_dir: Path,
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    scheduler: Any,
    progress: Progress,
    rng: dict[str, Any],
    config: dict[str, Any],
) -> Path:
    """Write the resumable state as a new checkpoint folder, make it current; returns its weights."""
    out_dir = Path(out_dir)
    root = out_dir / CHECKPOINTS
    # A unique name: re-saving the same step (a cancel right after a resume) never writes into
    # the folder the pointer currently names.
    folder = root / f"step-{progress.step:09d}-{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True)
    weights = {k: v.detach().to("cpu").contiguous() for k, v in model.state_dict().items()}
    atomic_write_bytes(folder / WEIGHTS, save(weights, metadata={"step": str(progress.step)}))
    payload = {
        "format": FORMAT,
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict() if scheduler is not None else {},
        "progress": dict(vars(progress)),
        "rng": rng,
        "config": config,
    }
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    atomic_write_bytes(folder / STATE, buffer.getvalue())
    fsync_dir(root)
    atomic_write_text(out_dir / POINTER, folder.name + "\n")  # the commit point
    _remove_stale(out_dir, keep=folder)
    return folder / WEIGHTS


def _remove_stale(out_dir: Path, keep: Path) -> None:
    """Delete every checkpoint folder but ``keep`` (older ones, and any a crash left half-written)."""
    for entry in (out_dir / CHECKPOINTS).iterdir():
        if entry != keep and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
    for legacy in (LEGACY_WEIGHTS, LEGACY_STATE):
        with contextlib.suppress(OSError):
            (out_dir / legacy).unlink()


def _pair(out_dir: Path) -> tuple[Path, Path] | None:
    folder = _current_folder(out_dir)
    if folder is not None:
        return folder / WEIGHTS, folder / STATE
    legacy = out_dir / LEGACY_WEIGHTS, out_dir / LEGACY_STATE
    return legacy if legacy[0].is_file() and legacy[1].is_file() else None


def has_latest(out_dir: Path) -> bool:
    return _pair(Path(out_dir)) is not None


def load_latest(out_dir: Path) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    """(weights, state payload) of the current checkpoint; CheckpointError if missing or torn."""
    out_dir = Path(out_dir)
    pair = _pair(out_dir)
    if pair is None:
        raise CheckpointError(f"{out_dir}: no resumable checkpoint (no '{POINTER}' pointer)")
    weights_path, state_path = pair
    try:
        weights = load_file(str(weights_path))
        payload = torch.load(state_path, map_location="cpu", weights_only=True)
        with safe_open(str(weights_path), framework="pt") as handle:
            weights_step = (handle.metadata() or {}).get("step")
    except Exception as exc:  # safetensors and torch raise several unrelated types
        raise CheckpointError(f"{out_dir}: cannot read the latest checkpoint ({exc})") from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise CheckpointError(f"{state_path}: not a Med-DisSeg training state")
    if weights_step != str(payload["progress"]["step"]):
        raise CheckpointError(
            f"{out_dir}: {weights_path.name} (step {weights_step}) and {state_path.name} "
            f"(step {payload['progress']['step']}) are from different moments; restore both files "
            "or start a new run"
        )
    return weights, payload


def saved_config(payload: dict[str, Any]) -> dict[str, Any]:
    """The TrainConfig (as a plain dict) the checkpoint was written under."""
    config = payload.get("config")
    return config if isinstance(config, dict) else {}


def progress_from(payload: dict[str, Any]) -> Progress:
    known = set(Progress.__dataclass_fields__)
    return Progress(**{k: v for k, v in payload["progress"].items() if k in known})
