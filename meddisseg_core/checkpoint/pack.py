"""Packed model files: int8 conv/linear weights with a per-output-channel scale, for shipping.

The stage-2 mask path has 36 M parameters: 146 MB in fp32 and 73 MB in fp16, too big for the
project's transfer limits. A packed file stores every conv and linear weight (the tensors of two
or more dimensions) as symmetric int8 with one fp32 scale per output channel::

    weight[c, ...] = int8[c, ...] * scale[c]        scale[c] = max |weight[c, ...]| / 127

and everything else (BatchNorm parameters and statistics, biases, counters) as it was (fp32 /
int64). It is always inference-only (no foreground/background auxiliary heads); by default it
keeps the uncertainty branch and its head (6.6 M parameters, about 6.7 MB), so that the app ranks
its review queue by the model's own uncertainty (issue 20). The safetensors header says all of
this under :data:`PACK_KEY` (scheme, the formula, the scale-key suffix, the packed keys), and
:func:`meddisseg_core.checkpoint.load_model` dequantizes it to fp32 on load, so a packed file
is used like any other. The recorded SHA-256 covers the tensors as stored (int8 and scales).
A loader that does not know the scheme refuses the file (unexpected ``:scale`` keys) rather
than loading int8 values as weights.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import torch
from safetensors.torch import save as safetensors_bytes
from torch import nn

from meddisseg_core.atomic import atomic_write_bytes
from meddisseg_core.checkpoint.digest import tensors_sha256
from meddisseg_core.checkpoint.metadata import METADATA_KEY, ModelMetadata, metadata_to_json
from meddisseg_core.checkpoint.save import export_tensors
from meddisseg_core.errors import CheckpointError

PACK_KEY = "meddisseg_pack"
SCHEME = "int8-per-output-channel/1"
SCALE_SUFFIX = ":scale"
_QMAX = 127.0


def quantize(weight: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(int8 tensor of ``weight``'s shape, fp32 scale per output channel)."""
    flat = weight.detach().to(torch.float32).reshape(weight.shape[0], -1)
    scale = flat.abs().amax(dim=1) / _QMAX
    scale = torch.where(scale > 0, scale, torch.ones_like(scale))  # an all-zero channel stays 0
    q = torch.round(flat / scale[:, None]).clamp_(-_QMAX, _QMAX).to(torch.int8)
    return q.reshape(weight.shape).contiguous(), scale.contiguous()


def dequantize(q: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    shape = (-1,) + (1,) * (q.dim() - 1)
    return q.to(torch.float32) * scale.to(torch.float32).reshape(shape)


def pack_tensors(tensors: Mapping[str, torch.Tensor]) -> tuple[dict[str, torch.Tensor], dict[str, object]]:
    """The tensors to store and the header description of how to read them back."""
    stored: dict[str, torch.Tensor] = {}
    packed: list[str] = []
    for key, tensor in tensors.items():
        if tensor.is_floating_point() and tensor.dim() >= 2:
            stored[key], stored[key + SCALE_SUFFIX] = quantize(tensor)
            packed.append(key)
        elif tensor.is_floating_point():
            stored[key] = tensor.to(torch.float32).contiguous()
        else:
            stored[key] = tensor.contiguous()
    description: dict[str, object] = {
        "scheme": SCHEME,
        "formula": f"float32 weight = int8 tensor * '<key>{SCALE_SUFFIX}' (fp32, one per output channel, "
        "dim 0, broadcast over the other dims); other tensors are stored as they load",
        "scale_suffix": SCALE_SUFFIX,
        "packed": sorted(packed),
    }
    return stored, description


def unpack_tensors(
    stored: Mapping[str, torch.Tensor], header: Mapping[str, str], where: str
) -> dict[str, torch.Tensor]:
    """Dequantize a packed file's tensors (others pass through); CheckpointError if malformed."""
    if PACK_KEY not in header:
        return dict(stored)
    try:
        description = json.loads(header[PACK_KEY])
        scheme, packed = description["scheme"], list(description["packed"])
    except (ValueError, KeyError, TypeError) as exc:
        raise CheckpointError(f"{where}: malformed {PACK_KEY!r} header ({exc})") from exc
    if scheme != SCHEME:
        raise CheckpointError(f"{where}: unknown packing scheme {scheme!r} (this version reads {SCHEME!r})")
    out = {k: v for k, v in stored.items() if not k.endswith(SCALE_SUFFIX)}
    for key in packed:
        q, scale = stored.get(key), stored.get(key + SCALE_SUFFIX)
        if q is None or scale is None or q.dtype != torch.int8 or scale.numel() != q.shape[0]:
            raise CheckpointError(f"{where}: packed tensor {key!r} is missing or malformed")
        out[key] = dequantize(q, scale)
    return out


def pack_model(
    path: Path | str, network: nn.Module, metadata: ModelMetadata, *, keep_uncertainty: bool = True
) -> ModelMetadata:
    """Write ``network``'s inference weights to ``path`` packed (see the module doc); atomic.

    ``keep_uncertainty=False`` leaves the uncertainty path out too (the mask path only).
    """
    path = Path(path)
    config = getattr(network, "config", None)
    if config is None:
        raise CheckpointError(f"{path}: pack_model needs a network built by build_network")
    stored, description = pack_tensors(
        export_tensors(network, inference_only=True, keep_uncertainty=keep_uncertainty)
    )
    created = metadata.created or datetime.now(UTC).isoformat(timespec="seconds")
    notes = metadata.notes
    if "packed" not in notes:
        notes = (notes + "; " if notes else "") + f"packed {SCHEME} (header {PACK_KEY!r})"
    final = metadata.with_changes(network=config, sha256=tensors_sha256(stored), created=created, notes=notes)
    header = {
        METADATA_KEY: metadata_to_json(final, inference_only=True),
        PACK_KEY: json.dumps(description, sort_keys=True),
    }
    atomic_write_bytes(path, safetensors_bytes(stored, metadata=header))
    return final
