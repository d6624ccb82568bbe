"""One forward pass and its objective per stage, with the checks that must precede BCE.

Network outputs are cast to fp32 before any loss (bf16 autocast would make BCE unsafe), and
checked to be finite probabilities first: binary_cross_entropy raises on values outside [0, 1],
and a NaN must become a skipped step with a warning, not a crash or a poisoned optimiser.

With ``logits=True`` the network returns its pre-sigmoid maps and the losses take those (in
fp32): BCE-with-logits has no [0, 1] precondition and no log of a probability rounded to 0 or 1
by bf16, which is what made the authors' lr 5e-4 diverge. The check is then just "finite".
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import torch

from meddisseg_core.losses import (
    LossResult,
    color_aug,
    stage1_objective,
    stage1_validation,
    stage2_objective,
)
from meddisseg_core.losses.objectives import DispersiveConfig


@dataclass
class StepOutput:
    """Loss of a batch (None when outputs were not finite probabilities) and the predictions."""

    loss: LossResult | None
    mask: torch.Tensor
    features: list[torch.Tensor]  # encoder outputs that fed dispersive terms (for grad norms)
    disp_terms: list[torch.Tensor]


def _valid_probabilities(*maps: torch.Tensor) -> bool:
    flags = [((m >= 0) & (m <= 1)).all() for m in maps]  # NaN fails both comparisons
    return bool(torch.stack(flags).all().item())


def _valid(maps: tuple[torch.Tensor, ...], logits: bool) -> bool:
    if logits:
        return bool(torch.stack([torch.isfinite(m).all() for m in maps]).all().item())
    return _valid_probabilities(*maps)


def _as_probability(mask: torch.Tensor, logits: bool) -> torch.Tensor:
    return torch.sigmoid(mask) if logits else mask


def autocast_for(device: torch.device, bf16: bool) -> contextlib.AbstractContextManager:
    """bf16 autocast on CUDA and on CPUs (where train/numerics.py chose it), else nothing."""
    if bf16 and device.type in ("cuda", "cpu"):
        return torch.autocast(device_type=device.type, dtype=torch.bfloat16)
    return contextlib.nullcontext()


def stage1_step(
    model: torch.nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    dispersive: DispersiveConfig,
    weight: float,
    generator: torch.Generator | None,
    *,
    bf16: bool,
    logits: bool = False,
) -> StepOutput:
    """The authors' stage-1 training step: clean pass, colour-augmented pass, consistency."""
    x_aug = color_aug(x, generator)
    kwargs = {"logits": True} if logits else {}
    with autocast_for(x.device, bf16):
        out = model(x, **kwargs)
        out_aug = model(x_aug, **kwargs)
    pred, pred_aug = out.mask.float(), out_aug.mask.float()
    features = [out.encoder_features, out_aug.encoder_features]
    if not _valid((pred, pred_aug), logits):
        return StepOutput(None, _as_probability(pred, logits), features, [])
    disp = [dispersive.term(f.float()) for f in features] if weight else []
    d1, d2 = (disp[0], disp[1]) if disp else (None, None)
    loss = stage1_objective(pred, pred_aug, y, d1, d2, weight, logits=logits)
    return StepOutput(loss, _as_probability(pred, logits), features, disp)


def stage2_step(
    model: torch.nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    y_bg: torch.Tensor,
    dispersive: DispersiveConfig,
    weight: float,
    *,
    bf16: bool,
    logits: bool = False,
) -> StepOutput:
    """The authors' stage-2 objective (used for training and validation)."""
    with autocast_for(x.device, bf16):
        out = model(x, logits=True) if logits else model(x)
    mask, fg, bg, uc = (t.float() for t in (out.mask, out.fg, out.bg, out.uncertainty))
    features = [out.encoder_features]
    if not _valid((mask, fg, bg, uc), logits):
        return StepOutput(None, _as_probability(mask, logits), features, [])
    disp = [dispersive.term(out.encoder_features.float())] if weight else []
    loss = stage2_objective(mask, fg, bg, uc, y, y_bg, disp[0] if disp else None, weight, logits=logits)
    return StepOutput(loss, _as_probability(mask, logits), features, disp)


def stage1_val_step(
    model: torch.nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    dispersive: DispersiveConfig,
    weight: float,
    *,
    bf16: bool,
    logits: bool = False,
) -> StepOutput:
    """Stage-1 validation: DiceBCE(pred) + w*disp, no augmented pass."""
    with autocast_for(x.device, bf16):
        out = model(x, logits=True) if logits else model(x)
    pred = out.mask.float()
    if not _valid((pred,), logits):
        return StepOutput(None, _as_probability(pred, logits), [], [])
    disp = dispersive.term(out.encoder_features.float()) if weight else None
    loss = stage1_validation(pred, y, disp, weight, logits=logits)
    return StepOutput(loss, _as_probability(pred, logits), [], [])


def dispersive_grad_norm(step: StepOutput, weight: float) -> float | None:
    """L2 norm of d(w * dispersive terms)/d(encoder features): 0 means the term does nothing."""
    if not step.disp_terms or not weight:
        return None
    term = sum(step.disp_terms) * weight
    if not isinstance(term, torch.Tensor) or not term.requires_grad:
        return 0.0
    grads = torch.autograd.grad(term, step.features, retain_graph=True, allow_unused=True)
    total = sum(float(g.float().pow(2).sum()) for g in grads if g is not None)
    return total**0.5
