"""Training objectives of Med-DisSeg: dispersive terms, DiceBCE, stage-1/2 totals, colour aug."""

from meddisseg_core.losses.color_aug import ColorAugParams, apply_color_aug, color_aug, draw_params
from meddisseg_core.losses.dispersive import DISPERSIVE_VARIANTS, dispersive_loss
from meddisseg_core.losses.objectives import (
    DispersiveConfig,
    LossResult,
    stage1_objective,
    stage1_validation,
    stage2_objective,
)
from meddisseg_core.losses.segmentation import (
    adaptive_beta,
    bce,
    bce_logits,
    complementary_loss,
    consistency_loss,
    consistency_loss_logits,
    dice_bce,
    dice_bce_logits,
)

__all__ = [
    "DISPERSIVE_VARIANTS",
    "ColorAugParams",
    "DispersiveConfig",
    "LossResult",
    "adaptive_beta",
    "apply_color_aug",
    "bce",
    "bce_logits",
    "color_aug",
    "complementary_loss",
    "consistency_loss",
    "consistency_loss_logits",
    "dice_bce",
    "dice_bce_logits",
    "dispersive_loss",
    "draw_params",
    "stage1_objective",
    "stage1_validation",
    "stage2_objective",
]
