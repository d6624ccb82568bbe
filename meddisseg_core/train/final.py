"""Model files a run leaves behind: ``best.safetensors`` (the best validation epoch so far) and
``model.safetensors`` (at the end: the best weights with the run's metadata).

Both are written with :func:`meddisseg_core.checkpoint.save_model`, so ``meddisseg predict`` and
the app load them like any other model. This module knows nothing of the trainer: it takes the
network (or a :class:`Snapshot` of it) and a :class:`RunDescription`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import torch

from meddisseg_core import __version__
from meddisseg_core.checkpoint import InputConvention, ModelMetadata, load_model, save_model
from meddisseg_core.nn import NetworkConfig
from meddisseg_core.train.config import TrainConfig

BEST_NAME = "best.safetensors"
FINAL_NAME = "model.safetensors"
_KEPT_METRICS = ("miou", "mdsc", "recall", "precision", "accuracy", "f2", "loss")


@dataclass(frozen=True)
class RunDescription:
    """What the metadata of a run's model files says about the run."""

    config: TrainConfig
    network: NetworkConfig
    data_dir: Path
    split_source: str
    train_images: int
    val_images: int


class Snapshot:
    """A copy of a network's weights taken at one moment, savable like the network itself.

    A time-budget run keeps its best epoch in memory and writes it at most every
    ``checkpoint_interval_s``; the copy stays on the network's device (a cheap device copy).
    """

    def __init__(self, network: torch.nn.Module) -> None:
        self.config = network.config
        self._tensors = {k: v.detach().clone() for k, v in network.state_dict().items()}

    def state_dict(self) -> dict[str, torch.Tensor]:
        return self._tensors


def run_metadata(run: RunDescription, metrics: Mapping[str, float], notes: str) -> ModelMetadata:
    size = run.config.data.image_size
    split = {"source": run.split_source, "train": run.train_images, "val": run.val_images}
    return ModelMetadata(
        network=run.network,
        input=InputConvention(size=(size, size)),
        name=f"med-disseg-stage{run.config.stage}",
        version=__version__,
        training_data=str(run.data_dir),
        split=json.dumps(split),
        metrics={k: float(v) for k, v in metrics.items() if k in _KEPT_METRICS},
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        notes=notes,
    )


def save_best(out_dir: Path, weights: torch.nn.Module | Snapshot, metadata: ModelMetadata) -> Path:
    path = Path(out_dir) / BEST_NAME
    save_model(path, weights, metadata)  # type: ignore[arg-type]  # a Snapshot quacks like a network
    return path


def save_final(
    out_dir: Path, network: torch.nn.Module, run: RunDescription, metrics: Mapping[str, float], notes: str
) -> dict[str, str]:
    """Write model.safetensors from the best weights (or ``network`` if no epoch improved)."""
    out = Path(out_dir)
    paths: dict[str, str] = {}
    best = out / BEST_NAME
    weights: torch.nn.Module = network
    if best.is_file():
        weights = load_model(best, map_location="cpu").network
        paths["best"] = str(best)
    final = out / FINAL_NAME
    save_model(final, weights, run_metadata(run, metrics, notes))
    paths["model"] = str(final)
    return paths
