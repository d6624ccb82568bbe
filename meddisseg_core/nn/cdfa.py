"""Contrast-driven feature aggregation (CDFA) and its guidance preprocessing.

A CDFA pass predicts, per pixel and head, a 9×9 mixing matrix over the 3×3 neighbourhood from a
guidance map (foreground or background features), mixes the neighbourhood values with it and
scatter-adds the results back to the neighbours (the authors' unfold -> attention -> fold).
:func:`aggregate` computes the same thing without the 9-fold unfolded copies: gathering at
offset o_j and scattering at -o_i collapse into 25 relative offsets d = o_j - o_i, so

    Out(q) = Σ_d B_d(q) · V(q + d),   B_d(q) = Σ_{o_j - o_i = d} A_ij(q - o_i) · [q - o_i inside]

where B is small (heads × 25 maps) and V is only read through shifted views of one padded copy.
:func:`aggregate_unfold` keeps the literal formulation as a test reference.
"""

from __future__ import annotations

from collections import OrderedDict

import torch
import torch.nn.functional as F
from torch import nn

from meddisseg_core.nn.blocks import ConvBNAct, Upsample
from meddisseg_core.nn.tracing import exporting

KERNEL = 3
SLOTS = KERNEL * KERNEL
# Row-major 3×3 window offsets (dy, dx) of kernel slot 0..8.
OFFSETS = [(s // KERNEL - 1, s % KERNEL - 1) for s in range(SLOTS)]


def _relative_index(i: int, j: int) -> int:
    (yi, xi), (yj, xj) = OFFSETS[i], OFFSETS[j]
    return (yj - yi + 2) * 5 + (xj - xi + 2)


_RELATIVE = [[_relative_index(i, j) for j in range(SLOTS)] for i in range(SLOTS)]


def pointwise(x: torch.Tensor, linear: nn.Linear) -> torch.Tensor:
    """Apply a per-pixel Linear to a channel-first map (a 1×1 convolution with the same weights)."""
    return F.conv2d(x, linear.weight[:, :, None, None], linear.bias)


def attention_logits(guide: torch.Tensor, linear: nn.Linear, scale: float) -> torch.Tensor:
    """N×(heads·81)×H×W contiguous logits scale · linear(guide), before the softmax."""
    # softmax(scale·(Wg + b)) with the scale folded into the (small) weights instead of the map.
    # On the CPU the 1×1 convolution runs on the guide as it comes (channels_last in inference) and
    # only the logits are made contiguous for the view: oneDNN's 1×1 convolution on a contiguous
    # (NCHW) 128-channel map at 128² took 17 ms against 4 ms this way, in fp32 and bf16 alike.
    # Elsewhere the contiguous guide (128 channels) is cheaper to copy than the 324-channel logits.
    weight = linear.weight[:, :, None, None] * scale
    if guide.device.type == "cpu":
        return F.conv2d(guide, weight, linear.bias * scale).contiguous()
    return F.conv2d(guide.contiguous(), weight, linear.bias * scale)


def attention_weights(guide: torch.Tensor, linear: nn.Linear, heads: int, scale: float) -> torch.Tensor:
    """N×heads×9(i)×9(j)×H×W attention, softmax over the key slot j of scale · linear(guide)."""
    n, _, h, w = guide.shape
    logits = attention_logits(guide, linear, scale)
    return torch.softmax(logits.view(n, heads, SLOTS, SLOTS, h, w), dim=3)


def _relative_weights(attn: torch.Tensor) -> torch.Tensor:
    """B: N×heads×25×H×W, the attention regrouped by relative offset (see module docstring)."""
    n, heads, _, _, h, w = attn.shape
    out = attn.new_zeros(n, heads, 25, h, w)
    if not (torch.is_grad_enabled() and attn.requires_grad) and not exporting():
        # Inference: add each shifted slot straight into the valid window of the output
        # (no padded copy of the 81-slot attention). Tracers get the functional form below.
        for i, (dy, dx) in enumerate(OFFSETS):
            index = torch.tensor(_RELATIVE[i], device=attn.device)
            target = out[:, :, :, max(dy, 0) : h + min(dy, 0), max(dx, 0) : w + min(dx, 0)]
            source = attn[:, :, i, :, max(-dy, 0) : h + min(-dy, 0), max(-dx, 0) : w + min(-dx, 0)]
            target.index_add_(2, index, source)
        return out
    padded = F.pad(attn, (1, 1, 1, 1))
    for i, (dy, dx) in enumerate(OFFSETS):
        # shifted(q) = A_i(q - o_i): the window centred at q - o_i, zero when that centre is outside.
        shifted = padded[:, :, i, :, 1 - dy : 1 - dy + h, 1 - dx : 1 - dx + w]
        index = torch.tensor(_RELATIVE[i], device=attn.device)
        out = out.index_add(2, index, shifted)
    return out


def aggregate(values: torch.Tensor, attn: torch.Tensor) -> torch.Tensor:
    """One CDFA pass without projection: N×C×H×W values, attention from :func:`attention_weights`."""
    n, c, h, w = values.shape
    heads = attn.shape[1]
    in_place = not exporting() and (
        not torch.is_grad_enabled() or not (values.requires_grad or attn.requires_grad)
    )
    if in_place and values.device.type == "cpu" and values.dtype in (torch.bfloat16, torch.float16):
        # PyTorch's CPU index_add_ and addcmul_ run several times slower in bf16 than in fp32
        # (index_add_ 4x, addcmul_ 1.8x on the Zen 5 EPYC); the two casts cost less than that,
        # and the 25-term sum is then accumulated in fp32. Inference only: training keeps its dtype.
        values, attn = values.float(), attn.float()
    weights = _relative_weights(attn)
    padded = F.pad(values, (2, 2, 2, 2)).view(n, heads, c // heads, h + 4, w + 4)
    acc: torch.Tensor | None = None
    for d in range(25):
        dy, dx = d // 5 - 2, d % 5 - 2
        shifted = padded[:, :, :, 2 + dy : 2 + dy + h, 2 + dx : 2 + dx + w]
        weight = weights[:, :, d : d + 1]
        if acc is None:
            acc = shifted * weight
        elif in_place:
            acc.addcmul_(shifted, weight)
        else:
            acc = acc + shifted * weight
    assert acc is not None
    return acc.reshape(n, c, h, w)


def aggregate_unfold(values: torch.Tensor, attn: torch.Tensor) -> torch.Tensor:
    """The authors' literal unfold / matmul / fold formulation (reference for tests; memory-hungry)."""
    n, c, h, w = values.shape
    heads = attn.shape[1]
    length = h * w
    unfolded = F.unfold(values, KERNEL, padding=1).view(n, heads, c // heads, SLOTS, length)
    unfolded = unfolded.permute(0, 1, 4, 3, 2)  # N×heads×L×9×dh
    a = attn.view(n, heads, SLOTS, SLOTS, length).permute(0, 1, 4, 2, 3)  # N×heads×L×9i×9j
    mixed = (a @ unfolded).permute(0, 1, 4, 3, 2).reshape(n, c * SLOTS, length)
    return F.fold(mixed, (h, w), KERNEL, padding=1)


class CDFAPreprocess(nn.Module):
    """Guidance preprocessing: CBT, then log2(scale) × (Up×2, CBT).

    ``preprocess`` is registered before ``c1`` (authors' key order) but runs after it.
    """

    def __init__(self, channels: int, up_scale: int) -> None:
        super().__init__()
        if up_scale not in (1, 2, 4, 8):
            raise ValueError(f"up_scale must be 1, 2, 4 or 8, got {up_scale}")
        steps: OrderedDict[str, nn.Module] = OrderedDict()
        for t in range(up_scale.bit_length() - 1):
            steps[f"up_{t}"] = Upsample(2)
            steps[f"conv_{t}"] = ConvBNAct(channels, channels)
        self.preprocess = nn.Sequential(steps)
        self.c1 = ConvBNAct(channels, channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.preprocess(self.c1(x))


class CDFA(nn.Module):
    """Contrast-driven feature aggregation: foreground pass, then background pass on its output.

    forward(x, fg, bg): x N×in_c×H×W, fg / bg N×dim×H×W guidance -> N×dim×H×W.
    """

    def __init__(self, in_channels: int, dim: int, heads: int) -> None:
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.v = nn.Linear(dim, dim)
        self.attn_fg = nn.Linear(dim, SLOTS * SLOTS * heads)
        self.attn_bg = nn.Linear(dim, SLOTS * SLOTS * heads)
        self.proj = nn.Linear(dim, dim)
        self.input_cbt = nn.Sequential(ConvBNAct(in_channels, dim), ConvBNAct(dim, dim))
        self.output_cbt = nn.Sequential(ConvBNAct(dim, dim), ConvBNAct(dim, dim))

    # Set by meddisseg_core.nn.regions.set_fused_regions (None: eager everywhere).
    fused_backend: str | None = None

    def forward(self, x: torch.Tensor, fg: torch.Tensor, bg: torch.Tensor) -> torch.Tensor:
        if self.fused_backend is not None and self.training and torch.is_grad_enabled():
            return self._fused_forward(x, fg, bg, self.fused_backend)
        x = pointwise(self.input_cbt(x), self.v)
        # The value linear is applied once; the background pass mixes the projected fg output.
        x = pointwise(aggregate(x, attention_weights(fg, self.attn_fg, self.heads, self.scale)), self.proj)
        x = pointwise(aggregate(x, attention_weights(bg, self.attn_bg, self.heads, self.scale)), self.proj)
        return self.output_cbt(x)

    def _fused_forward(
        self, x: torch.Tensor, fg: torch.Tensor, bg: torch.Tensor, backend: str
    ) -> torch.Tensor:
        """Training: the same passes, softmax and 25-offset sum compiled (meddisseg_core.nn.regions)."""
        from meddisseg_core.nn.regions import compiled

        mix = compiled("cdfa_mix", backend)
        x = pointwise(self.input_cbt(x), self.v)
        for guide, linear in ((fg, self.attn_fg), (bg, self.attn_bg)):
            x = pointwise(mix(x, attention_logits(guide, linear, self.scale), self.heads), self.proj)
        return self.output_cbt(x)
