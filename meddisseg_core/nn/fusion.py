"""Inference copies with BatchNorm folded into the preceding convolutions.

The trainable network is never modified: :class:`FusedCache` keeps a deep copy in which every
conv -> BN pair is replaced by a single conv with bias (running statistics, i.e. eval
semantics). The copy is rebuilt whenever any parameter or buffer of the source changed
(an optimiser step, ``load_state_dict``, ``.to()``), detected through tensor version counters
and storage pointers.
"""

from __future__ import annotations

import copy
import itertools
import threading
from typing import Any

import torch
from torch import nn

from meddisseg_core.nn.encoder import Bottleneck
from meddisseg_core.nn.tracing import exporting


@torch.no_grad()
def fold_conv_bn(conv: nn.Conv2d, bn: nn.BatchNorm2d, *, in_place: bool = True) -> None:
    """Fold ``bn`` (running statistics) into ``conv``; the caller then drops ``bn``.

    ``in_place`` overwrites the conv's weight storage (eager inference: no second copy of the
    weights). Otherwise new parameters replace the old ones, which stay untouched: a tracer's
    copy shares its tensors with the network it traces.
    """
    scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
    bias = bn.bias - bn.running_mean * scale
    if conv.bias is not None:
        bias = bias + conv.bias * scale
    if in_place:
        conv.weight.copy_(conv.weight * scale.view(-1, 1, 1, 1))
    else:
        conv.weight = nn.Parameter(conv.weight * scale.view(-1, 1, 1, 1), requires_grad=False)
    conv.bias = nn.Parameter(bias.clone() if in_place else bias, requires_grad=False)


def fold_batchnorms(module: nn.Module, *, in_place: bool = True) -> nn.Module:
    """Fold every conv -> BN pair inside ``module``; returns ``module`` (see :func:`fold_conv_bn`)."""
    for sub in list(module.modules()):
        if isinstance(sub, nn.Sequential):
            children = list(sub._modules.items())
            for (_, first), (name, second) in itertools.pairwise(children):
                if isinstance(first, nn.Conv2d) and isinstance(second, nn.BatchNorm2d):
                    fold_conv_bn(first, second, in_place=in_place)
                    sub._modules[name] = nn.Identity()
        elif isinstance(sub, Bottleneck):
            for k in (1, 2, 3):
                fold_conv_bn(getattr(sub, f"conv{k}"), getattr(sub, f"bn{k}"), in_place=in_place)
                setattr(sub, f"bn{k}", nn.Identity())
    return module


def _signature(module: nn.Module) -> tuple[Any, ...]:
    tensors = [*module.parameters(), *module.buffers()]
    # Inference tensors carry no version counter; their storage pointer still changes on reload.
    return tuple((t.data_ptr(), 0 if t.is_inference() else t._version, t.dtype, t.device) for t in tensors)


class FusedCache:
    """Lazily built BN-folded, eval-mode, channels_last copy of a network (not an ``nn.Module``)."""

    def __init__(self) -> None:
        self._copy: nn.Module | None = None
        self._signature: tuple[Any, ...] | None = None
        self._lock = threading.Lock()

    def __deepcopy__(self, memo: dict[int, Any]) -> FusedCache:
        # A copied network starts with an empty cache (never a copy of a stale copy).
        return FusedCache()

    def get(self, network: nn.Module) -> nn.Module:
        if exporting():
            return self._for_export(network)
        signature = _signature(network)
        with self._lock:
            if self._copy is None or signature != self._signature:
                with torch.no_grad():
                    fused = copy.deepcopy(network)
                    fused.eval()
                    fused.requires_grad_(False)
                    fold_batchnorms(fused)
                    fused.to(memory_format=torch.channels_last)
                self._copy = fused
                self._signature = signature
            return self._copy

    def _for_export(self, network: nn.Module) -> nn.Module:
        """A folded copy for a tracer, which runs on fake tensors without storage pointers.

        Only the module structure is copied; the tensors are shared (a fake tensor cannot be
        deep-copied) and folding makes new ones, so the fold is traced into the graph, where the
        exporter turns it into constants. Built afresh on each trace (never stale) and never
        cached, so a traced copy cannot serve later eager calls.
        """
        shared: dict[int, Any] = {id(t): t for t in itertools.chain(network.parameters(), network.buffers())}
        fused = copy.deepcopy(network, shared)
        fused.eval()
        return fold_batchnorms(fused, in_place=False)

    def clear(self) -> None:
        with self._lock:
            self._copy = None
            self._signature = None
