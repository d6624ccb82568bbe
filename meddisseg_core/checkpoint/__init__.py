"""Weights files: our safetensors format with JSON metadata, and the authors' .pth files."""

from __future__ import annotations

from meddisseg_core.checkpoint.authors import infer_config, read_pth, unwrap_state_dict
from meddisseg_core.checkpoint.digest import tensors_sha256
from meddisseg_core.checkpoint.load import LoadedModel, load_into, load_model
from meddisseg_core.checkpoint.metadata import METADATA_KEY, InputConvention, ModelMetadata
from meddisseg_core.checkpoint.pack import PACK_KEY, pack_model
from meddisseg_core.checkpoint.save import export_tensors, save_model, training_only

__all__ = [
    "METADATA_KEY",
    "PACK_KEY",
    "InputConvention",
    "LoadedModel",
    "ModelMetadata",
    "export_tensors",
    "infer_config",
    "load_into",
    "load_model",
    "pack_model",
    "read_pth",
    "save_model",
    "tensors_sha256",
    "training_only",
    "unwrap_state_dict",
]
