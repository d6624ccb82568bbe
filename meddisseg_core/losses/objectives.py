"""Stage-1 and stage-2 training objectives, composed from the authors' terms (§7.2, §7.3).

The dispersive weights, temperature and variant are configuration. Our defaults follow the
paper's best setting (stage 1 w = 0.2, stage 2 w = 0.6, T = 0.8, on the encoder output); the
preset ``authors-public-code`` gives what the public scripts actually run (w = 0.2 in both
stages, T = 0.5).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import torch

from meddisseg_core.errors import ConfigError
from meddisseg_core.losses.dispersive import DISPERSIVE_VARIANTS, dispersive_loss
from meddisseg_core.losses.segmentation import (
    adaptive_beta,
    complementary_loss,
    consistency_loss,
    consistency_loss_logits,
    dice_bce,
    dice_bce_logits,
)


@dataclass(frozen=True)
class DispersiveConfig:
    """Where and how strongly the dispersive term is applied.

    ``layer`` is kept for the authors' option name; only "encoder" (their "early": the layer3
    output) is implemented, which is also where the paper found it works best.
    """

    enabled: bool = True
    variant: str = "infonce_l2"
    temperature: float = 0.8
    stage1_weight: float = 0.2
    stage2_weight: float = 0.6
    layer: Literal["encoder"] = "encoder"

    def __post_init__(self) -> None:
        if self.variant not in DISPERSIVE_VARIANTS:
            raise ConfigError(
                f"dispersive.variant {self.variant!r} is not one of {list(DISPERSIVE_VARIANTS)}"
            )
        if self.temperature <= 0:
            raise ConfigError(f"dispersive.temperature must be > 0, got {self.temperature!r}")

    def weight_for(self, stage: int) -> float:
        if not self.enabled:
            return 0.0
        return self.stage1_weight if stage == 1 else self.stage2_weight

    def term(self, features: torch.Tensor) -> torch.Tensor:
        return dispersive_loss(features, self.variant, self.temperature)


@dataclass(frozen=True)
class LossResult:
    """The scalar to minimise and its named parts (0-dim tensors) for logging."""

    total: torch.Tensor
    parts: dict[str, torch.Tensor] = field(default_factory=dict)

    def scalars(self) -> dict[str, float]:
        return {name: float(value.detach()) for name, value in self.parts.items()}


def _weighted(weight: float, term: torch.Tensor | None) -> torch.Tensor | float:
    # The authors drop the term when the model returns none; a zero weight drops it too.
    if term is None or weight == 0.0:
        return 0.0
    return weight * term


def _probabilities(maps: tuple[torch.Tensor, ...], logits: bool) -> tuple[torch.Tensor, ...]:
    # Sigmoid in fp32: the β weights and the complementary term are defined on probabilities.
    return tuple(torch.sigmoid(m.float()) for m in maps) if logits else maps


def stage1_objective(
    pred: torch.Tensor,
    pred_aug: torch.Tensor,
    target: torch.Tensor,
    disp: torch.Tensor | None,
    disp_aug: torch.Tensor | None,
    weight: float,
    *,
    logits: bool = False,
) -> LossResult:
    """DiceBCE(pred) + DiceBCE(pred_aug) + consistency + w*disp + w*disp_aug.

    ``logits``: ``pred`` and ``pred_aug`` are pre-sigmoid maps (same objective, stable BCE).
    """
    seg_fn = dice_bce_logits if logits else dice_bce
    seg = seg_fn(pred, target)
    seg_aug = seg_fn(pred_aug, target)
    cons = (consistency_loss_logits if logits else consistency_loss)(pred, pred_aug)
    total = seg + seg_aug + cons + _weighted(weight, disp) + _weighted(weight, disp_aug)
    parts = {"dicebce": seg, "dicebce_aug": seg_aug, "consistency": cons}
    if disp is not None:
        parts["dispersive"] = disp
    if disp_aug is not None:
        parts["dispersive_aug"] = disp_aug
    return LossResult(total, parts)


def stage1_validation(
    pred: torch.Tensor,
    target: torch.Tensor,
    disp: torch.Tensor | None,
    weight: float,
    *,
    logits: bool = False,
) -> LossResult:
    """The authors' stage-1 validation loss: DiceBCE(pred) + w*disp (no augmented pass)."""
    seg = (dice_bce_logits if logits else dice_bce)(pred, target)
    parts = {"dicebce": seg}
    if disp is not None:
        parts["dispersive"] = disp
    return LossResult(seg + _weighted(weight, disp), parts)


def stage2_objective(
    mask: torch.Tensor,
    fg: torch.Tensor,
    bg: torch.Tensor,
    uncertainty: torch.Tensor,
    target: torch.Tensor,
    bg_target: torch.Tensor,
    disp: torch.Tensor | None,
    weight: float,
    *,
    logits: bool = False,
) -> LossResult:
    """L_mask + beta1*L_fg + beta2*L_bg + L_comp + w*disp (used for training and validation).

    ``logits``: the four maps are pre-sigmoid; the DiceBCE terms use the stable logits form and
    β / L_comp the fp32 sigmoid of the maps, so the objective is the same function.
    """
    seg_fn = dice_bce_logits if logits else dice_bce
    l_mask = seg_fn(mask, target)
    l_fg = seg_fn(fg, target)
    l_bg = seg_fn(bg, bg_target)
    p_fg, p_bg, p_uc = _probabilities((fg, bg, uncertainty), logits)
    beta1 = adaptive_beta(p_fg)
    beta2 = adaptive_beta(p_bg)
    l_comp = complementary_loss(p_fg, p_bg, p_uc)
    total = l_mask + beta1 * l_fg + beta2 * l_bg + l_comp + _weighted(weight, disp)
    parts = {
        "mask": l_mask,
        "fg": l_fg,
        "bg": l_bg,
        "beta1": beta1,
        "beta2": beta2,
        "complementary": l_comp,
    }
    if disp is not None:
        parts["dispersive"] = disp
    return LossResult(total, parts)
