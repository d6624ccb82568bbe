"""Backbone initialisation: torchvision ResNet-50 weights, or a stage-1 checkpoint for stage 2.

torchvision names map onto the authors' prefixes as conv1 -> layer0.0, bn1 -> layer0.1,
layer1 -> layer1.1 (layer1.0 is the max-pool), layer2/layer3 unchanged; layer4 and fc are unused.
"""

from __future__ import annotations

import hashlib
import os
import urllib.request
from pathlib import Path

import torch

from meddisseg_core.atomic import atomic_writer
from meddisseg_core.errors import CheckpointError, StateDictMismatchError

RESNET50_URL = "https://download.pytorch.org/models/resnet50-19c8e357.pth"
# torchvision checks the hex digits in the file name against the start of the SHA-256; the full
# digest could not be verified from this project's machines, so the same prefix check is done.
RESNET50_SHA256_PREFIX = "19c8e357"
BACKBONE_PREFIXES = ("layer0.", "layer1.", "layer2.", "layer3.")


def is_backbone_key(key: str) -> bool:
    return key.startswith(BACKBONE_PREFIXES)


def torchvision_to_authors(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Rename a torchvision ResNet state_dict to the authors' backbone keys (drops layer4, fc)."""
    renamed: dict[str, torch.Tensor] = {}
    for key, value in state.items():
        if key.startswith("conv1."):
            renamed["layer0.0." + key.removeprefix("conv1.")] = value
        elif key.startswith("bn1."):
            renamed["layer0.1." + key.removeprefix("bn1.")] = value
        elif key.startswith("layer1."):
            renamed["layer1.1." + key.removeprefix("layer1.")] = value
        elif key.startswith(("layer2.", "layer3.")):
            renamed[key] = value
    return renamed


def _copy_backbone(network: torch.nn.Module, source: dict[str, torch.Tensor], origin: str) -> int:
    target = network.state_dict()
    wanted = [k for k in target if is_backbone_key(k)]
    missing = [k for k in wanted if k not in source]
    wrong = [
        (k, tuple(source[k].shape), tuple(target[k].shape))
        for k in wanted
        if k in source and source[k].shape != target[k].shape
    ]
    if missing or wrong:
        raise StateDictMismatchError(origin, missing=missing, wrong_shape=wrong)
    network.load_state_dict({**target, **{k: source[k] for k in wanted}}, strict=True)
    return len(wanted)


def load_torchvision_backbone(network: torch.nn.Module, path: Path) -> int:
    """Load a torchvision ResNet-50 state_dict file into the backbone; returns the entries copied."""
    try:
        state = torch.load(Path(path), map_location="cpu", weights_only=True)
    except FileNotFoundError as exc:
        raise CheckpointError(f"{path}: backbone weights file not found") from exc
    except Exception as exc:
        raise CheckpointError(f"{path}: cannot read as a torchvision state_dict ({exc})") from exc
    if isinstance(state, dict) and "state_dict" in state and isinstance(state["state_dict"], dict):
        state = state["state_dict"]
    if not isinstance(state, dict):
        raise CheckpointError(f"{path}: expected a state_dict (a dict of tensors)")
    state = {k.removeprefix("module."): v for k, v in state.items()}
    return _copy_backbone(network, torchvision_to_authors(state), str(path))


def copy_backbone_from_stage1(
    network: torch.nn.Module, stage1_state: dict[str, torch.Tensor], origin: str
) -> int:
    """The authors' stage-2 init: keep checkpoint entries whose name holds "layer" or "encoder"
    and that exist in the stage-2 network (in practice the 258 backbone entries, BN buffers too)."""
    target = network.state_dict()
    chosen = {k: v for k, v in stage1_state.items() if ("layer" in k or "encoder" in k) and k in target}
    wrong = [
        (k, tuple(v.shape), tuple(target[k].shape)) for k, v in chosen.items() if v.shape != target[k].shape
    ]
    missing = [k for k in target if is_backbone_key(k) and k not in chosen]
    if wrong or missing:
        raise StateDictMismatchError(origin, missing=missing, wrong_shape=wrong)
    network.load_state_dict({**target, **chosen}, strict=True)
    return len(chosen)


def default_cache_dir() -> Path:
    base = os.environ.get("MEDDISSEG_CACHE") or os.environ.get("XDG_CACHE_HOME")
    return Path(base) / "meddisseg" if base else Path.home() / ".cache" / "meddisseg"


def download_resnet50(cache_dir: Path | None = None, *, timeout: float = 60.0) -> Path:
    """Fetch the torchvision ImageNet ResNet-50 (V1) once; verify the SHA-256 prefix."""
    folder = cache_dir or default_cache_dir()
    target = folder / RESNET50_URL.rsplit("/", 1)[-1]
    if target.is_file() and _sha256(target).startswith(RESNET50_SHA256_PREFIX):
        return target
    digest = hashlib.sha256()
    try:
        with urllib.request.urlopen(RESNET50_URL, timeout=timeout) as response, atomic_writer(target) as out:
            while chunk := response.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
            if not digest.hexdigest().startswith(RESNET50_SHA256_PREFIX):
                raise CheckpointError(
                    f"{RESNET50_URL}: SHA-256 {digest.hexdigest()} "
                    f"does not start with {RESNET50_SHA256_PREFIX}"
                )
    except OSError as exc:
        raise CheckpointError(f"cannot download {RESNET50_URL}: {exc}") from exc
    return target


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
