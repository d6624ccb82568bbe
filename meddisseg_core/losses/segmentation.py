"""Segmentation objectives of the authors' training scripts (ARCHITECTURE.md §7).

The authors' inputs are probabilities (the networks end in a sigmoid). The ``*_logits``
variants take the pre-sigmoid maps instead: BCE then uses ``binary_cross_entropy_with_logits``
(no log of a rounded probability, no [0, 1] precondition), and equals the probability form in
fp32 up to rounding while no log is clamped. Everything is computed in at least fp32 because
binary_cross_entropy is unsafe under bf16 autocast.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

_DICE_SMOOTH = 1.0
_BETA_EPS = 1e-15


def _promote(x: torch.Tensor) -> torch.Tensor:
    return x if x.dtype in (torch.float32, torch.float64) else x.float()


def bce(prob: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy on probabilities; each log is clamped at -100 (PyTorch's rule)."""
    p = _promote(prob)
    return F.binary_cross_entropy(p, target.to(p.dtype), reduction="mean")


def dice_bce(prob: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """BCE + (1 - Dice), Dice with smooth 1, both over the whole batch flattened."""
    p = _promote(prob)
    t = target.to(p.dtype)
    flat_p = p.reshape(-1)
    flat_t = t.reshape(-1)
    intersection = (flat_p * flat_t).sum()
    dice = (2.0 * intersection + _DICE_SMOOTH) / (flat_p.sum() + flat_t.sum() + _DICE_SMOOTH)
    return bce(p, t) + (1.0 - dice)


def bce_logits(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy of sigmoid(logits), computed stably from the logits."""
    z = _promote(logits)
    return F.binary_cross_entropy_with_logits(z, target.to(z.dtype), reduction="mean")


def _soft_dice(prob: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    flat_p = prob.reshape(-1)
    flat_t = target.reshape(-1)
    intersection = (flat_p * flat_t).sum()
    return (2.0 * intersection + _DICE_SMOOTH) / (flat_p.sum() + flat_t.sum() + _DICE_SMOOTH)


def dice_bce_logits(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """:func:`dice_bce` of sigmoid(logits): BCE from the logits, Dice on the fp32 probabilities."""
    z = _promote(logits)
    t = target.to(z.dtype)
    return bce_logits(z, t) + (1.0 - _soft_dice(torch.sigmoid(z), t))


def consistency_loss_logits(logits: torch.Tensor, logits_aug: torch.Tensor) -> torch.Tensor:
    """:func:`consistency_loss` of two logit maps (prob > 0.5 is logit > 0)."""
    z = _promote(logits)
    w = _promote(logits_aug)
    return bce_logits(z, (w.detach() > 0).to(z.dtype)) + bce_logits(w, (z.detach() > 0).to(w.dtype))


def consistency_loss(pred: torch.Tensor, pred_aug: torch.Tensor) -> torch.Tensor:
    """Stage-1 binary consistency: each prediction against the other's thresholded map.

    The thresholded targets carry no gradient; gradients flow into both predictions.
    """
    p = _promote(pred)
    q = _promote(pred_aug)
    target_for_p = (q.detach() > 0.5).to(p.dtype)
    target_for_q = (p.detach() > 0.5).to(q.dtype)
    return bce(p, target_for_p) + bce(q, target_for_q)


def adaptive_beta(prob: torch.Tensor) -> torch.Tensor:
    """Stage-2 adaptive weight 1 / (tanh(sum over the batch / (H*W)) + 1e-15), not detached.

    The sum runs over the whole batch but is divided by H*W only, as the authors do.
    """
    p = _promote(prob)
    height, width = p.shape[-2], p.shape[-1]
    return 1.0 / (torch.tanh(p.sum() / float(height * width)) + _BETA_EPS)


def complementary_loss(fg: torch.Tensor, bg: torch.Tensor, uncertainty: torch.Tensor) -> torch.Tensor:
    """Mean pairwise product of the per-pixel softmax over the three (already sigmoid) maps."""
    stacked = torch.stack([_promote(fg), _promote(bg), _promote(uncertainty)], dim=1)
    soft = torch.softmax(stacked, dim=1)
    p_fg, p_bg, p_uc = soft[:, 0], soft[:, 1], soft[:, 2]
    n = fg.shape[0]
    pixels = float(n * fg.shape[-2] * fg.shape[-1])
    return ((p_fg * p_bg).sum() + (p_fg * p_uc).sum() + (p_bg * p_uc).sum()) / pixels
