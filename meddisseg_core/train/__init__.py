"""Training: configuration, the cancellable/resumable trainer, JSON-lines events, DDP helpers."""

from meddisseg_core.train.config import PRESETS, OptimConfig, TrainConfig, resolve_config
from meddisseg_core.train.events import EVENT_TYPES, PROTOCOL_VERSION, EventWriter
from meddisseg_core.train.job import (
    EXIT_CANCELLED,
    EXIT_ERROR,
    EXIT_FAILED,
    EXIT_OK,
    TrainOutcome,
    TrainRequest,
)
from meddisseg_core.train.trainer import Trainer, run_training

__all__ = [
    "EVENT_TYPES",
    "EXIT_CANCELLED",
    "EXIT_ERROR",
    "EXIT_FAILED",
    "EXIT_OK",
    "PRESETS",
    "PROTOCOL_VERSION",
    "EventWriter",
    "OptimConfig",
    "TrainConfig",
    "TrainOutcome",
    "TrainRequest",
    "Trainer",
    "resolve_config",
    "run_training",
]
