"""Reading the authors' PyTorch checkpoints safely and recognising which network they hold."""

from __future__ import annotations

import pickle
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import torch

from meddisseg_core.errors import CheckpointError, UnsafeCheckpointError
from meddisseg_core.nn import NetworkConfig

_WRAPPER_KEYS = ("state_dict", "model")
_PREFIX = "module."


def check_weights_file(path: Path) -> None:
    """Raise :class:`CheckpointError` naming ``path`` if it is missing or empty.

    An empty file would otherwise reach the unpickler, whose ``EOFError`` has no text at all.
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise CheckpointError(f"{path}: file not found") from None
    except OSError as exc:
        raise CheckpointError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if not path.is_file():
        raise CheckpointError(f"{path}: not a file")
    if size == 0:
        raise CheckpointError(
            f"{path}: the file is empty (0 bytes), so it holds no model; was a download or copy cut short?"
        )


def unsafe_message(path: Path, torch_text: str) -> str:
    """Our refusal of a pickle that would run code, with how to convert a file one trusts.

    torch's own text suggests retrying with ``weights_only=False``; that advice is not passed on.
    Only the name of the callable the pickle asked for is kept, because it shows what it is.
    """
    called = re.search(r"GLOBAL ([\w.]+)", torch_text)
    what = f" (it asks to call {called.group(1)})" if called else ""
    return (
        f"{path}: refused. This file contains executable code{what}, and Med-DisSeg does not load such "
        "files: opening one can run any program on this computer. If you trust where it came from, "
        "convert it once, in a separate throw-away Python environment, to a weights-only safetensors "
        "file and use that instead:\n"
        '  python -c "import torch; from safetensors.torch import save_file; '
        "sd = torch.load('IN.pth', map_location='cpu', weights_only=False); sd = sd.get('state_dict', sd); "
        "save_file({k: v.contiguous() for k, v in sd.items()}, 'OUT.safetensors')\""
    )


def read_pth(path: Path, map_location: str | torch.device = "cpu") -> dict[str, torch.Tensor]:
    """The state dict inside an authors'-style .pth file.

    Accepts a plain state dict, one wrapped under ``state_dict`` or ``model``, and a ``module.``
    prefix (DataParallel). Only tensors and plain containers are unpickled (weights_only=True);
    anything else is refused with :class:`UnsafeCheckpointError` before any of it runs.
    """
    path = Path(path)
    check_weights_file(path)
    try:
        obj = torch.load(path, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as exc:
        text = str(exc)
        if "weights_only" in text.lower() or "weights only" in text.lower() or "global" in text.lower():
            raise UnsafeCheckpointError(unsafe_message(path, text)) from exc
        raise CheckpointError(f"{path}: not a readable PyTorch checkpoint ({_describe(exc)})") from exc
    except FileNotFoundError as exc:
        raise CheckpointError(f"{path}: file not found") from exc
    except Exception as exc:
        raise CheckpointError(f"{path}: not a readable PyTorch checkpoint ({_describe(exc)})") from exc
    return unwrap_state_dict(obj, str(path))


def _describe(exc: BaseException) -> str:
    """An exception as text; some (EOFError from a cut file) carry no message, only their type."""
    text = str(exc).strip()
    return text if text else type(exc).__name__


def unwrap_state_dict(obj: Any, where: str) -> dict[str, torch.Tensor]:
    """Plain ``{key: tensor}`` from the common wrappings (see :func:`read_pth`)."""
    if isinstance(obj, Mapping):
        for key in _WRAPPER_KEYS:
            inner = obj.get(key)
            if (
                isinstance(inner, Mapping)
                and inner
                and all(isinstance(v, torch.Tensor) for v in inner.values())
            ):
                obj = inner
                break
    if not isinstance(obj, Mapping) or not obj:
        raise CheckpointError(f"{where}: does not contain a state dict (found {type(obj).__name__})")
    tensors = {str(k): v for k, v in obj.items() if isinstance(v, torch.Tensor)}
    if len(tensors) != len(obj):
        others = sorted(str(k) for k, v in obj.items() if not isinstance(v, torch.Tensor))
        raise CheckpointError(f"{where}: entries that are not tensors: {others[:8]}")
    if all(k.startswith(_PREFIX) for k in tensors):
        tensors = {k[len(_PREFIX) :]: v for k, v in tensors.items()}
    return tensors


def _blocks(keys: set[str], prefix: str) -> int:
    pattern = re.compile(re.escape(prefix) + r"(\d+)\.")
    found = {int(m.group(1)) for k in keys if (m := pattern.match(k))}
    return max(found) + 1 if found else 0


def infer_config(state: Mapping[str, torch.Tensor], where: str) -> NetworkConfig:
    """The :class:`NetworkConfig` a state dict (authors' key names) was saved from.

    The stage is recognised from the head keys; widths and depths from the tensor shapes, so
    both the authors' files (giving ``NetworkConfig.paper``) and smaller networks load.
    """
    keys = set(state)
    if "head.conv_fuse.weight" in keys:
        stage = 1
    elif "output_block.c3.weight" in keys:
        stage = 2
    else:
        raise CheckpointError(
            f"{where}: not a Med-DisSeg checkpoint (neither the stage-1 key 'head.conv_fuse.weight' "
            f"nor the stage-2 key 'output_block.c3.weight' is present; first keys: {sorted(keys)[:5]})"
        )
    try:
        width = int(state["layer0.0.weight"].shape[0])
        blocks = (_blocks(keys, "layer1.1."), _blocks(keys, "layer2."), _blocks(keys, "layer3."))
        if stage == 1:
            decoder = 2 * int(state["head.conv1.conv.0.weight"].shape[0])
            # Stage 1 has no attention heads; use the paper value when it is valid for the width.
            paper_heads = NetworkConfig.paper(1).attention_heads
            heads = paper_heads if decoder % paper_heads == 0 else 1
        else:
            decoder = int(state["cdfa4.v.weight"].shape[0])
            heads = int(state["cdfa4.attn_fg.weight"].shape[0]) // 81
    except KeyError as exc:
        raise CheckpointError(f"{where}: stage-{stage} checkpoint lacks the key {exc.args[0]!r}") from exc
    return NetworkConfig(
        stage=stage,
        encoder_blocks=blocks,  # type: ignore[arg-type]
        encoder_width=width,
        decoder_channels=decoder,
        attention_heads=heads,
    )
