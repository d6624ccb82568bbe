"""Fused training regions: BatchNorm + TeLU and the CDFA mix, each compiled into a few kernels.

Why: on a GPU the paper network's training step is bound by memory traffic, not by its
convolutions. Counting the bytes every eager op reads and writes in one bf16 step (batch 32,
256², on the meta device: ``benchmarks/step_traffic.py``) gives about 758 GB, of which the TeLU
activations (their fp32 intermediates, forward and recomputed backward) are ~354 GB and the CDFA
25-offset sums ~238 GB. Compiled, each region reads its inputs once and writes its output once
(at best 166 GB for the step, 4.6x less).

Opt-in (``TrainConfig.compile_regions``): compiling costs tens of seconds per process, needs Triton
on a GPU or a C++ compiler on a CPU, and on a CPU the step is bound by the convolutions anyway
(measured equal there). Inference and evaluation never use these paths (they have their own
fused, BN-folded code); only modules in training mode with autograd on do.

The compiled functions compute the same numbers as the eager modules up to float rounding
(tests/core/nn/test_fused_regions_match_eager.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from meddisseg_core.errors import ConfigError

BACKENDS = ("inductor", "aot_eager")
# TeLU(x) = x for x > 20 in every float dtype (tanh(e^20) rounds to 1); clamping there keeps the
# autograd derivative of exp finite (e^x * sech²(e^x) would be inf * 0) and exact (slope 1).
_TELU_CLAMP = 20.0

_compiled: dict[tuple[str, str], Callable[..., Any]] = {}


def bn_telu(
    y: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor,
    running_mean: torch.Tensor,
    running_var: torch.Tensor,
    momentum: float,
    eps: float,
) -> torch.Tensor:
    """Training-mode BatchNorm (updating the running statistics) then TeLU, in the input's dtype.

    TeLU is computed in fp32 or wider, as :func:`meddisseg_core.nn.blocks.telu_train` does.
    """
    z = F.batch_norm(y, running_mean, running_var, weight, bias, True, momentum, eps)
    zf = z if z.dtype in (torch.float32, torch.float64) else z.float()
    return (zf * torch.tanh(torch.exp(zf.clamp(max=_TELU_CLAMP)))).to(z.dtype)


def cdfa_mix(values: torch.Tensor, logits: torch.Tensor, heads: int) -> torch.Tensor:
    """One CDFA pass from the attention logits: softmax over the key slot, then the 25-offset sum.

    ``values`` N×C×H×W, ``logits`` N×(heads·81)×H×W (the scaled 1×1 projection of the guide).
    Equal to ``aggregate(values, attention_weights(...))`` of :mod:`meddisseg_core.nn.cdfa`, written
    with pads and slices (no ``index_add``, few ops) so that a compiler traces it
    quickly and fuses it into a few kernels.
    """
    from meddisseg_core.nn.cdfa import OFFSETS

    n, c, h, w = values.shape
    attn = torch.softmax(logits.view(n, heads, 9, 9, h, w), dim=3)
    padded_attn = F.pad(attn, (1, 1, 1, 1))
    # B, the attention regrouped by relative offset d = o_j - o_i as a 5×5 grid: query slot i's
    # 3×3 grid of key slots, taken at q - o_i, lands at rows / columns 1 - o_i .. 3 - o_i.
    grid: torch.Tensor | None = None
    for i, (dy, dx) in enumerate(OFFSETS):
        window = padded_attn[:, :, i, :, 1 - dy : 1 - dy + h, 1 - dx : 1 - dx + w]
        block = window.reshape(n, heads, 3, 3, h, w).permute(0, 1, 4, 5, 2, 3)
        block = F.pad(block, (1 - dx, 1 + dx, 1 - dy, 1 + dy))
        grid = block if grid is None else grid + block
    assert grid is not None
    # Out(q) = Σ_d B_d(q) · V(q + d): 25 shifted views of one padded copy of V, as pointwise terms
    # a compiler fuses into one kernel (an unfold would be materialised at 25 times V's size).
    padded = F.pad(values, (2, 2, 2, 2)).view(n, heads, c // heads, h + 4, w + 4)
    out: torch.Tensor | None = None
    for ry in range(5):
        for rx in range(5):
            term = padded[:, :, :, ry : ry + h, rx : rx + w] * grid[:, :, None, :, :, ry, rx]
            out = term if out is None else out + term
    assert out is not None
    return out.reshape(n, c, h, w)


def compiled(name: str, backend: str) -> Callable[..., Any]:
    """The compiled form of region ``name`` ("bn_telu" or "cdfa_mix"), made once per process."""
    key = (name, backend)
    if key not in _compiled:
        fn = {"bn_telu": bn_telu, "cdfa_mix": cdfa_mix}[name]
        # dynamic: one graph serves every resolution, batch size and channel count of the network.
        _compiled[key] = _traced_with_symbolic_sizes(
            torch.compile(fn, backend=backend, dynamic=True, fullgraph=True)
        )
    return _compiled[key]


def _traced_with_symbolic_sizes(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Call ``fn`` with the settings that keep its graphs general while it is traced.

    By default Dynamo takes an ``nn.Parameter``'s shape as a constant (so a BatchNorm weight would
    pin the channel count: one graph per width), and equal sizes as one symbol ("duck sizing": a
    batch of 32 at 32×32 would make a graph for N == H only). Either way the network's ~20 shapes
    would recompile until the recompile limit (8) ended the run. The limit itself is raised too:
    code generators add a few guards of their own (inductor's CPU code asks whether a reduction
    fits 4096 values). Settings an older torch lacks are skipped.
    """
    from torch._dynamo import config as dynamo_config
    from torch.fx.experimental import _config as shape_config

    wanted = {"force_parameter_static_shapes": False, "recompile_limit": 64, "cache_size_limit": 64}
    dynamo = {k: v for k, v in wanted.items() if hasattr(dynamo_config, k)}
    shapes = {"use_duck_shape": False} if hasattr(shape_config, "use_duck_shape") else {}

    # Made once: entering prepared patches costs a third of building them, on a per-layer path.
    dynamo_patch, shapes_patch = dynamo_config.patch(dynamo), shape_config.patch(shapes)

    def call(*args: Any) -> Any:
        with dynamo_patch, shapes_patch:
            return fn(*args)

    return call


def set_fused_regions(network: nn.Module, backend: str | None) -> int:
    """Route ``network``'s training-mode TeLU blocks and CDFA passes through the compiled regions
    of ``backend`` ("inductor", or "aot_eager" to trace without generating kernels); ``None``
    restores the eager code. Returns how many modules were switched."""
    if backend is not None and backend not in BACKENDS:
        raise ConfigError(f"compile backend must be one of {BACKENDS}, got {backend!r}")
    from meddisseg_core.nn.blocks import ConvBNAct
    from meddisseg_core.nn.cdfa import CDFA

    count = 0
    for module in network.modules():
        if isinstance(module, (ConvBNAct, CDFA)):
            module.fused_backend = backend
            count += 1
    return count
