"""Models the user has: the registry, downloads, and fine-tuning jobs (job spec, held-out split,
before/after comparison). No Qt: the app and the ``meddisseg models`` command build on it."""

from __future__ import annotations

from meddisseg_core.models.errors import (
    DownloadError,
    DownloadInterruptedError,
    RegistryCorruptError,
    RegistryError,
)
from meddisseg_core.models.record import HeldOutMetrics, ModelRecord, TrainedOn, file_sha256
from meddisseg_core.models.registry import ModelRegistry, default_root, folder_key

__all__ = [
    "DownloadError",
    "DownloadInterruptedError",
    "HeldOutMetrics",
    "ModelRecord",
    "ModelRegistry",
    "RegistryCorruptError",
    "RegistryError",
    "TrainedOn",
    "default_root",
    "file_sha256",
    "folder_key",
]
