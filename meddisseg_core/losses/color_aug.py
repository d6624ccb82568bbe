"""Stage-1 online colour augmentation, equivalent to the authors' torchvision (v1) pipeline.

torchvision is not a dependency, so the three steps are written here in plain torch:
ColorJitter(0.3, 0.3, 0.3, 0.1) with its four operations in a random order, RandomGrayscale(0.5)
and GaussianBlur(kernel (1, 7), sigma U[0.1, 3]), which with torchvision's (kx, ky) convention is
a vertical-only 7-tap blur with reflect padding. As in the authors' code one parameter set is
drawn per call and shared by the whole batch, and channel 0 is treated as R although the tensor
is BGR (the grayscale weights therefore fall on B, G, R as 0.2989, 0.587, 0.114).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

_GREY_WEIGHTS = (0.2989, 0.587, 0.114)


@dataclass(frozen=True)
class ColorAugParams:
    """One draw of the colour augmentation parameters (shared by a batch)."""

    order: tuple[int, ...]  # 0 brightness, 1 contrast, 2 saturation, 3 hue
    brightness: float
    contrast: float
    saturation: float
    hue: float
    grayscale: bool
    sigma: float


def draw_params(generator: torch.Generator | None = None) -> ColorAugParams:
    """Draw parameters in torchvision's order (permutation, then b, c, s, h, grey, sigma)."""

    def uniform(low: float, high: float) -> float:
        return float(torch.empty(1).uniform_(low, high, generator=generator).item())

    order = tuple(int(i) for i in torch.randperm(4, generator=generator).tolist())
    brightness = uniform(0.7, 1.3)
    contrast = uniform(0.7, 1.3)
    saturation = uniform(0.7, 1.3)
    hue = uniform(-0.1, 0.1)
    grayscale = bool(torch.rand(1, generator=generator).item() < 0.5)
    sigma = uniform(0.1, 3.0)
    return ColorAugParams(order, brightness, contrast, saturation, hue, grayscale, sigma)


def _grey(img: torch.Tensor) -> torch.Tensor:
    c0, c1, c2 = img.unbind(dim=-3)
    w0, w1, w2 = _GREY_WEIGHTS
    return (w0 * c0 + w1 * c1 + w2 * c2).unsqueeze(-3)


def _blend(img: torch.Tensor, other: torch.Tensor, factor: float) -> torch.Tensor:
    return (factor * img + (1.0 - factor) * other).clamp(0.0, 1.0)


def _to_hsv(img: torch.Tensor) -> torch.Tensor:
    r, g, b = img.unbind(dim=-3)
    vmax = img.amax(dim=-3)
    vmin = img.amin(dim=-3)
    chroma = vmax - vmin
    flat = vmax == vmin
    ones = torch.ones_like(vmax)
    sat = chroma / torch.where(flat, ones, vmax)
    safe_chroma = torch.where(flat, ones, chroma)
    rc = (vmax - r) / safe_chroma
    gc = (vmax - g) / safe_chroma
    bc = (vmax - b) / safe_chroma
    is_r = vmax == r
    is_g = (vmax == g) & ~is_r
    is_b = ~is_r & ~is_g
    hue6 = is_r * (bc - gc) + is_g * (2.0 + rc - bc) + is_b * (4.0 + gc - rc)
    hue = torch.fmod(hue6 / 6.0 + 1.0, 1.0)
    return torch.stack((hue, sat, vmax), dim=-3)


def _from_hsv(hsv: torch.Tensor) -> torch.Tensor:
    hue, sat, val = hsv.unbind(dim=-3)
    sector = torch.floor(hue * 6.0)
    frac = hue * 6.0 - sector
    sector = sector.to(torch.int64) % 6
    p = (val * (1.0 - sat)).clamp(0.0, 1.0)
    q = (val * (1.0 - sat * frac)).clamp(0.0, 1.0)
    t = (val * (1.0 - sat * (1.0 - frac))).clamp(0.0, 1.0)
    # Per sector (0..5) the (R, G, B) triple is a fixed arrangement of v, t, p, q.
    table_r = torch.stack((val, q, p, p, t, val), dim=-3)
    table_g = torch.stack((t, val, val, q, p, p), dim=-3)
    table_b = torch.stack((p, p, t, val, val, q), dim=-3)
    index = sector.unsqueeze(-3)
    r = table_r.gather(-3, index)
    g = table_g.gather(-3, index)
    b = table_b.gather(-3, index)
    return torch.cat((r, g, b), dim=-3)


def _adjust_hue(img: torch.Tensor, shift: float) -> torch.Tensor:
    hsv = _to_hsv(img)
    hue, sat, val = hsv.unbind(dim=-3)
    hue = torch.remainder(hue + shift, 1.0)
    return _from_hsv(torch.stack((hue, sat, val), dim=-3))


def _gaussian_kernel(sigma: float, size: int, dtype: torch.dtype, device: torch.device) -> torch.Tensor:
    half = (size - 1) * 0.5
    x = torch.linspace(-half, half, size, dtype=dtype, device=device)
    pdf = torch.exp(-0.5 * (x / sigma) ** 2)
    return pdf / pdf.sum()


def _vertical_blur(img: torch.Tensor, sigma: float, taps: int = 7) -> torch.Tensor:
    c = img.shape[1]
    kernel = _gaussian_kernel(sigma, taps, img.dtype, img.device).view(1, 1, taps, 1)
    padded = F.pad(img, (0, 0, taps // 2, taps // 2), mode="reflect")
    return F.conv2d(padded, kernel.expand(c, 1, taps, 1), groups=c)


def apply_color_aug(x: torch.Tensor, params: ColorAugParams) -> torch.Tensor:
    """Apply one parameter set to the whole N x 3 x H x W batch in [0, 1]."""
    out = x
    for op in params.order:
        if op == 0:
            out = _blend(out, torch.zeros_like(out), params.brightness)
        elif op == 1:
            mean = _grey(out).mean(dim=(-3, -2, -1), keepdim=True)
            out = _blend(out, mean, params.contrast)
        elif op == 2:
            out = _blend(out, _grey(out), params.saturation)
        else:
            out = _adjust_hue(out, params.hue)
    if params.grayscale:
        out = _grey(out).expand_as(out).contiguous()
    return _vertical_blur(out, params.sigma)


@torch.no_grad()
def color_aug(x: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
    """Draw one parameter set and apply it to the batch (no gradient: it is an input transform)."""
    return apply_color_aug(x, draw_params(generator))
