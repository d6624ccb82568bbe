"""The one place where our module names are translated to the authors' state-dict names.

Our modules use descriptive names (``encoder.stage2``, ``fem1``, ``aux`` ...). The authors'
checkpoints use theirs (``layer2``, ``dconv1``, ``aux_head`` ...). :func:`install_keymap` adds
state-dict hooks to a network so that ``state_dict()`` produces, and ``load_state_dict()``
accepts, the authors' names; nothing else in the code base needs to know about the mapping.
Rules are prefix renames at dot boundaries and are applied in order (first match wins).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any

from torch import nn

_ENCODER: tuple[tuple[str, str], ...] = (
    ("encoder.stem.", "layer0."),
    ("encoder.stage1.", "layer1.1."),
    ("encoder.stage2.", "layer2."),
    ("encoder.stage3.", "layer3."),
)

STAGE1_RULES: tuple[tuple[str, str], ...] = (
    *_ENCODER,
    *((f"head.reduce{k}.", f"head.conv{k}.") for k in range(1, 5)),
    ("head.fuse.", "head.conv_fuse."),
)

STAGE2_RULES: tuple[tuple[str, str], ...] = (
    *_ENCODER,
    *((f"fem{k}.", f"dconv{k}.") for k in range(1, 5)),
    ("decouple.", "decouple_layer."),
    *((f"guide_{kind}{k}.", f"preprocess_{kind}{k}.") for k in range(1, 5) for kind in ("fg", "bg")),
    ("aux.", "aux_head."),
    ("output.", "output_block."),
)


def _rename(key: str, rules: Iterable[tuple[str, str]]) -> str:
    for old, new in rules:
        if key.startswith(old):
            return new + key[len(old) :]
    return key


def to_authors(key: str, rules: Iterable[tuple[str, str]]) -> str:
    """Our key -> the authors' key."""
    return _rename(key, rules)


def to_ours(key: str, rules: Iterable[tuple[str, str]]) -> str:
    """The authors' key -> our key."""
    return _rename(key, [(new, old) for old, new in rules])


def _rewrite_in_place(state: OrderedDict[str, Any], prefix: str, convert: Any) -> None:
    # Rebuild in the original order: popping and re-inserting every entry keeps the order stable.
    items = list(state.items())
    state.clear()
    for key, value in items:
        if key.startswith(prefix):
            key = prefix + convert(key[len(prefix) :])
        state[key] = value


def install_keymap(network: nn.Module, rules: tuple[tuple[str, str], ...]) -> None:
    """Make ``network.state_dict()`` / ``load_state_dict()`` speak the authors' key names.

    The hooks honour a prefix, so a wrapped network (e.g. inside DDP as ``module.``) still maps
    only its own keys.
    """

    def save_hook(module: nn.Module, state: OrderedDict[str, Any], prefix: str, local_meta: Any) -> None:
        _rewrite_in_place(state, prefix, lambda k: to_authors(k, rules))

    def load_hook(module: nn.Module, state: Mapping[str, Any], prefix: str, *args: Any) -> None:
        _rewrite_in_place(state, prefix, lambda k: to_ours(k, rules))  # type: ignore[arg-type]

    network.register_state_dict_post_hook(save_hook)
    network.register_load_state_dict_pre_hook(load_hook)
