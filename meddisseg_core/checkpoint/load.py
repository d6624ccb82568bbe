"""Loading weights: our safetensors files and the authors' .pth files."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors import SafetensorError, safe_open
from torch import nn

from meddisseg_core.checkpoint.authors import check_weights_file, infer_config, read_pth
from meddisseg_core.checkpoint.digest import tensors_sha256
from meddisseg_core.checkpoint.metadata import (
    METADATA_KEY,
    InputConvention,
    ModelMetadata,
    metadata_from_json,
)
from meddisseg_core.checkpoint.pack import unpack_tensors
from meddisseg_core.checkpoint.save import training_only, uncertainty_path
from meddisseg_core.errors import CheckpointError, StateDictMismatchError
from meddisseg_core.nn import build_network
from meddisseg_core.nn.keymap import STAGE2_RULES, to_authors


@dataclass(frozen=True)
class LoadedModel:
    """A network ready for inference (eval mode) with what its file says about it.

    ``source``: the file; ``format``: "safetensors" or "pth"; ``inference_only``: the file lacks
    training-only keys, so (some of) the auxiliary heads hold untrained values and it cannot
    resume training; ``has_uncertainty``: the uncertainty branch and its head were loaded (every
    full stage-2 file, and inference-only files packed with them), so ``infer`` may ask for the map.
    """

    network: nn.Module
    metadata: ModelMetadata
    source: Path
    format: str = "safetensors"
    inference_only: bool = False
    has_uncertainty: bool = True


def _read_safetensors(path: Path) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    try:
        with safe_open(str(path), framework="pt", device="cpu") as handle:
            header = dict(handle.metadata() or {})
            tensors = {key: handle.get_tensor(key) for key in handle.keys()}  # noqa: SIM118
    except FileNotFoundError as exc:
        raise CheckpointError(f"{path}: file not found") from exc
    except (SafetensorError, OSError, ValueError, RuntimeError) as exc:
        raise CheckpointError(f"{path}: not a readable safetensors file ({exc})") from exc
    return tensors, header


def load_into(
    network: nn.Module, state: Mapping[str, torch.Tensor], where: str, *, allow_inference_only: bool
) -> bool:
    """Load ``state`` (authors' names) into ``network``; True if it was an inference-only subset.

    Keys must match exactly, except that a file may lack *all* training-only keys, or all of them
    but the uncertainty path (and only those): then the load is non-strict for exactly that
    documented set. :func:`has_uncertainty_keys` tells the two apart.
    """
    expected = {k: tuple(v.shape) for k, v in network.state_dict().items()}
    # Keys that are not training-only come first, so that a clipped message still names them.
    missing = sorted((k for k in expected if k not in state), key=training_only)
    unexpected = [k for k in state if k not in expected]
    wrong = [
        (k, tuple(state[k].shape), expected[k])
        for k in expected
        if k in state and tuple(state[k].shape) != expected[k]
    ]
    dropped = [k for k in expected if training_only(k)]
    allowed = (sorted(dropped), sorted(k for k in dropped if not uncertainty_path(k)))
    inference_only = bool(missing) and allow_inference_only and sorted(missing) in allowed
    if (missing and not inference_only) or unexpected or wrong:
        raise StateDictMismatchError(where, missing=missing, unexpected=unexpected, wrong_shape=wrong)
    result = network.load_state_dict(dict(state), strict=not inference_only)
    if inference_only:
        # load_state_dict reports in module names; translate back before checking the subset.
        reported = [to_authors(k, STAGE2_RULES) for k in result.missing_keys]
        if result.unexpected_keys or not set(reported) <= set(missing):
            raise StateDictMismatchError(where, missing=reported, unexpected=result.unexpected_keys)
    return inference_only


def load_model(path: Path | str, *, map_location: str | torch.device = "cpu") -> LoadedModel:
    """Build the network a weights file describes and load it (returned in eval mode).

    * ``.safetensors`` (ours): metadata from the header; the tensors' SHA-256 must match the
      recorded one (else :class:`CheckpointError`). A file without our metadata is treated like
      an authors' file.
    * anything else: the authors' ``torch.save`` format, read with ``weights_only=True`` (plain,
      wrapped in ``state_dict`` / ``model``, or ``module.``-prefixed); the stage and sizes come
      from the keys and shapes, the metadata is the authors' input convention.

    Raises :class:`CheckpointError` (unreadable), :class:`UnsafeCheckpointError` (would run code),
    :class:`StateDictMismatchError` (names the missing / unexpected / wrong-shaped keys).
    """
    path = Path(path)
    where = str(path)
    check_weights_file(path)
    fmt = "safetensors" if path.suffix.lower() == ".safetensors" else "pth"
    allow_subset = False
    if fmt == "safetensors":
        state, header = _read_safetensors(path)
        if METADATA_KEY in header:
            metadata, allow_subset = metadata_from_json(header[METADATA_KEY], where)
            actual = tensors_sha256(state)
            if metadata.sha256 and actual != metadata.sha256:
                raise CheckpointError(
                    f"{path}: tensor checksum mismatch (recorded {metadata.sha256[:16]}…, "
                    f"file {actual[:16]}…): the file is corrupt or was altered"
                )
            # A packed file (int8 weights + per-channel scales) becomes fp32 tensors here.
            state = unpack_tensors(state, header, where)
        else:
            metadata = _authors_metadata(state, path)
    else:
        state = read_pth(path)
        metadata = _authors_metadata(state, path)
    network = build_network(metadata.network)
    inference_only = load_into(network, state, where, allow_inference_only=allow_subset)
    network.to(map_location)
    network.eval()
    return LoadedModel(network, metadata, path, fmt, inference_only, has_uncertainty_keys(state, network))


def has_uncertainty_keys(state: Mapping[str, torch.Tensor], network: nn.Module) -> bool:
    """Whether ``state`` holds the whole uncertainty path of ``network`` (a stage-2 network)."""
    needed = [k for k in network.state_dict() if uncertainty_path(k)]
    return bool(needed) and all(k in state for k in needed)


def _authors_metadata(state: Mapping[str, torch.Tensor], path: Path) -> ModelMetadata:
    return ModelMetadata(
        network=infer_config(state, str(path)),
        input=InputConvention(),
        name=path.stem,
        notes="authors' checkpoint format (BGR input, 256x256, values/255)",
        sha256=tensors_sha256(state),
    )
