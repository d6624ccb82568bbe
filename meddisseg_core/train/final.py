"""Model files a run leaves behind: ``best.safetensors`` (on every improvement) and
``model.safetensors`` (at the end: the best weights with the run's metadata).

Both are written with :func:`meddisseg_core.checkpoint.save_model`, so ``meddisseg predict`` and
the app load them like any other model.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from meddisseg_core import __version__
from meddisseg_core.checkpoint import InputConvention, ModelMetadata, load_model, save_model
from meddisseg_core.train.setup import network_config

if TYPE_CHECKING:
    from meddisseg_core.train.trainer import Trainer

BEST_NAME = "best.safetensors"
FINAL_NAME = "model.safetensors"
_KEPT_METRICS = ("miou", "mdsc", "recall", "precision", "accuracy", "f2", "loss")


def _metadata(trainer: Trainer, metrics: dict[str, float], notes: str) -> ModelMetadata:
    size = trainer.config.data.image_size
    split = {
        "source": trainer.spec.split.source,
        "train": len(trainer.spec.split.train),
        "val": len(trainer.spec.split.val),
    }
    return ModelMetadata(
        network=network_config(trainer.config),
        input=InputConvention(size=(size, size)),
        name=f"med-disseg-stage{trainer.config.stage}",
        version=__version__,
        training_data=str(trainer.request.data_dir),
        split=json.dumps(split),
        metrics={k: float(v) for k, v in metrics.items() if k in _KEPT_METRICS},
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        notes=notes,
    )


def save_best(trainer: Trainer, val: dict[str, float]) -> Path:
    trainer.best_metrics = dict(val)
    path = trainer.out_dir / BEST_NAME
    notes = f"best validation mIoU at epoch {trainer.progress.best_epoch} (step {trainer.progress.step})"
    save_model(path, trainer.network, _metadata(trainer, val, notes))
    return path


def save_final(trainer: Trainer) -> dict[str, str]:
    """Write model.safetensors from the best weights (or the last ones if no epoch improved)."""
    out = trainer.out_dir
    paths = {"latest": str(out / "latest.safetensors"), "events_job": trainer.events.job_id}
    best = out / BEST_NAME
    network = trainer.network
    metrics = getattr(trainer, "best_metrics", None) or {}
    if best.is_file():
        network = load_model(best, map_location="cpu").network
        paths["best"] = str(best)
        if not metrics:
            metrics = {"miou": trainer.progress.best_metric}
    notes = (
        f"stage {trainer.config.stage}; {trainer.progress.epoch} epochs, {trainer.progress.step} steps; "
        f"best epoch {trainer.progress.best_epoch}; backbone init {trainer.init_info.get('backbone')}; "
        f"dispersive {trainer.config.dispersive.variant} w={trainer.config.dispersive_weight} "
        f"T={trainer.config.dispersive.temperature}"
    )
    final = out / FINAL_NAME
    save_model(final, network, _metadata(trainer, metrics, notes))
    paths["model"] = str(final)
    return paths
