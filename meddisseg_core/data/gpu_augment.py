"""Batch augmentation on the training device: flips, rot90, scale/shift/rotation, colour.

Used by the resident training set (``meddisseg_core.train.resident``), where images already sit on
the GPU: augmenting there keeps the accelerator fed with no DataLoader workers and no
albumentations. Every sample of a batch draws its own parameters from one ``torch.Generator`` on
the batch's device, so a seeded run is repeatable. Works on CPU tensors too (tests, dry runs).

Inputs are BGR images N×3×S×S in [0, 1] and soft masks N×1×S×S in [0, 1] (square, as training
batches are). The spatial part moves image and mask together; the colour part touches the image
only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

# Luma weights in B, G, R order (the images are BGR).
_GREY_BGR = (0.114, 0.587, 0.299)


@dataclass(frozen=True)
class AugmentParams:
    """Ranges of the device augmentation (the defaults are the shipped recipe's)."""

    affine_p: float = 0.7
    max_rotation_deg: float = 30.0
    scale_range: tuple[float, float] = (0.8, 1.25)  # zoom factor, drawn log-uniformly
    max_shift: float = 0.1  # fraction of the side
    colour_p: float = 0.8
    brightness: float = 0.25  # factor in [1 - b, 1 + b]
    contrast: float = 0.25
    saturation: float = 0.25
    channel_gain: float = 0.05  # per-channel colour cast


def _uniform(n: int, low: float, high: float, generator: torch.Generator, device: torch.device):
    return low + (high - low) * torch.rand(n, generator=generator, device=device)


def _chance(n: int, p: float, generator: torch.Generator, device: torch.device) -> torch.Tensor:
    return torch.rand(n, generator=generator, device=device) < p


def _where(flags: torch.Tensor, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return torch.where(flags.view(-1, *([1] * (a.dim() - 1))), a, b)


def dihedral(
    x: torch.Tensor, y: torch.Tensor, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """One of the 8 flips/right-angle rotations per sample, uniformly (transpose, h-flip, v-flip)."""
    n, device = x.shape[0], x.device
    for flags, op in (
        (_chance(n, 0.5, generator, device), lambda t: t.transpose(-1, -2)),
        (_chance(n, 0.5, generator, device), lambda t: t.flip(-1)),
        (_chance(n, 0.5, generator, device), lambda t: t.flip(-2)),
    ):
        x = _where(flags, op(x), x)
        y = _where(flags, op(y), y)
    return x, y


def affine(
    x: torch.Tensor, y: torch.Tensor, generator: torch.Generator, params: AugmentParams
) -> tuple[torch.Tensor, torch.Tensor]:
    """Rotation, zoom and shift per sample, one bilinear resampling for image and mask.

    Borders reflect (as the authors' rotate does). Samples not drawn get the identity transform,
    which bilinear sampling at pixel centres reproduces exactly.
    """
    n, device = x.shape[0], x.device
    active = _chance(n, params.affine_p, generator, device).float()
    angle = _uniform(n, -1.0, 1.0, generator, device) * math.radians(params.max_rotation_deg) * active
    low, high = (math.log(v) for v in params.scale_range)
    zoom = torch.exp(_uniform(n, low, high, generator, device) * active)
    shift = _uniform(2 * n, -2.0, 2.0, generator, device).view(n, 2) * params.max_shift * active[:, None]
    # affine_grid maps output to input coordinates: a zoom-in samples a smaller input region.
    cos, sin = torch.cos(angle) / zoom, torch.sin(angle) / zoom
    theta = torch.stack(
        [torch.stack([cos, -sin, shift[:, 0]], dim=1), torch.stack([sin, cos, shift[:, 1]], dim=1)], dim=1
    )
    both = torch.cat([x, y], dim=1)
    grid = F.affine_grid(theta.to(both.dtype), list(both.shape), align_corners=False)
    out = F.grid_sample(both, grid, mode="bilinear", padding_mode="reflection", align_corners=False)
    return out[:, :3], out[:, 3:].clamp_(0.0, 1.0)


def colour(x: torch.Tensor, generator: torch.Generator, params: AugmentParams) -> torch.Tensor:
    """Brightness, contrast, saturation and a small per-channel cast, per sample, clamped to [0, 1]."""
    n, device = x.shape[0], x.device
    active = _chance(n, params.colour_p, generator, device)

    def factor(spread: float, count: int = n) -> torch.Tensor:
        f = _uniform(count, 1.0 - spread, 1.0 + spread, generator, device)
        return f

    weights = torch.tensor(_GREY_BGR, device=device, dtype=x.dtype).view(1, 3, 1, 1)
    out = x * factor(params.brightness).view(n, 1, 1, 1)
    grey = (out * weights).sum(dim=1, keepdim=True)
    mean = grey.mean(dim=(2, 3), keepdim=True)
    out = mean + (out - mean) * factor(params.contrast).view(n, 1, 1, 1)
    grey = (out * weights).sum(dim=1, keepdim=True)
    out = grey + (out - grey) * factor(params.saturation).view(n, 1, 1, 1)
    out = out * factor(params.channel_gain, 3 * n).view(n, 3, 1, 1)
    return _where(active, out.clamp(0.0, 1.0), x)


def augment_batch(
    x: torch.Tensor,
    y: torch.Tensor,
    generator: torch.Generator,
    params: AugmentParams | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """The full device augmentation of a batch: (image, mask) -> (image, mask), same shapes."""
    if x.shape[-1] != x.shape[-2]:
        raise ValueError(f"device augmentation needs square batches, got {tuple(x.shape)}")
    params = params or AugmentParams()
    x, y = dihedral(x, y, generator)
    x, y = affine(x, y, generator, params)
    return colour(x, generator, params), y
