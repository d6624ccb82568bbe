"""Writing our weights format: safetensors with a JSON metadata document in the header."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import torch
from safetensors.torch import save as safetensors_bytes
from torch import nn

from meddisseg_core.atomic import atomic_write_bytes
from meddisseg_core.checkpoint.digest import tensors_sha256
from meddisseg_core.checkpoint.metadata import METADATA_KEY, ModelMetadata, metadata_to_json
from meddisseg_core.errors import CheckpointError
from meddisseg_core.nn import TRAINING_ONLY_PREFIXES, UNCERTAINTY_PREFIXES


def training_only(key: str) -> bool:
    """True for the state-dict keys that only training needs (auxiliary heads, uncertainty branch)."""
    return key.startswith(TRAINING_ONLY_PREFIXES)


def uncertainty_path(key: str) -> bool:
    """True for the training-only keys that the uncertainty map needs at inference."""
    return key.startswith(UNCERTAINTY_PREFIXES)


def export_tensors(
    network: nn.Module,
    *,
    dtype: torch.dtype | None = None,
    inference_only: bool = False,
    keep_uncertainty: bool = False,
) -> dict[str, torch.Tensor]:
    """The network's state dict (authors' key names) as CPU tensors ready for a file.

    ``inference_only`` drops the training-only keys; ``keep_uncertainty`` then still keeps the
    uncertainty branch and its head, so that the file offers an uncertainty map.
    """
    out: dict[str, torch.Tensor] = {}
    for key, value in network.state_dict().items():
        if inference_only and training_only(key) and not (keep_uncertainty and uncertainty_path(key)):
            continue
        tensor = value.detach().to("cpu")
        if dtype is not None and tensor.is_floating_point():
            tensor = tensor.to(dtype)
        # clone(): safetensors refuses tensors that share storage.
        out[key] = tensor.contiguous().clone()
    return out


def save_model(
    path: Path | str,
    network: nn.Module,
    metadata: ModelMetadata,
    *,
    dtype: torch.dtype | None = None,
    inference_only: bool = False,
) -> ModelMetadata:
    """Write ``network`` to ``path`` (.safetensors) atomically; returns the metadata as stored.

    * ``dtype``: e.g. ``torch.float16`` for a half-size file (integer buffers keep their dtype).
    * ``inference_only``: drop the training-only keys (``aux_head.*``, ``decouple_layer.cbt_uc.*``)
      for a compact stage-2 file; such a file gives the mask but no uncertainty map and cannot
      resume training.
    The stored metadata gets the network's own config, the SHA-256 of the stored tensors and,
    if empty, the ``created`` time (UTC, ISO 8601).
    """
    path = Path(path)
    config = getattr(network, "config", None)
    if config is None:
        raise CheckpointError(f"{path}: save_model needs a network built by build_network")
    if dtype is not None and not dtype.is_floating_point:
        raise CheckpointError(f"{path}: dtype must be a floating dtype, got {dtype}")
    tensors = export_tensors(network, dtype=dtype, inference_only=inference_only)
    created = metadata.created or datetime.now(UTC).isoformat(timespec="seconds")
    stored = metadata.with_changes(network=config, sha256=tensors_sha256(tensors), created=created)
    header = {METADATA_KEY: metadata_to_json(stored, inference_only=inference_only)}
    atomic_write_bytes(path, safetensors_bytes(tensors, metadata=header))
    return stored
