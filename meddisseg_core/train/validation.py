"""Validation pass: the stage's validation loss and the paper's six metrics (mean per image)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import torch

from meddisseg_core.losses.objectives import DispersiveConfig
from meddisseg_core.metrics import METRIC_KEYS, segmentation_metrics
from meddisseg_core.train.distributed import DistContext, sum_across
from meddisseg_core.train.steps import stage1_val_step, stage2_step


@torch.no_grad()
def validate(
    model: torch.nn.Module,
    batches: Iterable[tuple[torch.Tensor, torch.Tensor, torch.Tensor]],
    *,
    stage: int,
    dispersive: DispersiveConfig,
    weight: float,
    device: torch.device,
    bf16: bool,
    channels_last: bool,
    ctx: DistContext,
    logits: bool = False,
) -> dict[str, float]:
    """Mean validation loss (per batch, as the authors) and per-image mean metrics, all ranks agreed.

    Metrics use the authors' rule: prediction > 0.5 against soft target > 0.5 at network size.
    """
    was_training = model.training
    model.eval()
    loss_sum, loss_batches, images, nonfinite = 0.0, 0, 0, 0
    metric_sums = dict.fromkeys(METRIC_KEYS, 0.0)
    try:
        for x, y, y_bg in batches:
            x = x.to(device, non_blocking=True)
            if channels_last:
                x = x.contiguous(memory_format=torch.channels_last)
            y, y_bg = y.to(device), y_bg.to(device)
            if stage == 1:
                step = stage1_val_step(model, x, y, dispersive, weight, bf16=bf16, logits=logits)
            else:
                step = stage2_step(model, x, y, y_bg, dispersive, weight, bf16=bf16, logits=logits)
            if step.loss is None or not torch.isfinite(step.loss.total):
                nonfinite += 1
            else:
                loss_sum += float(step.loss.total)
                loss_batches += 1
            prob = step.mask.detach().cpu().numpy()
            target = y.cpu().numpy()
            for i in range(prob.shape[0]):
                scores = segmentation_metrics(np.nan_to_num(prob[i, 0], nan=0.0), target[i, 0])
                for key in METRIC_KEYS:
                    metric_sums[key] += scores[key]
            images += prob.shape[0]
    finally:
        model.train(was_training)
    totals = sum_across(
        ctx, [loss_sum, float(loss_batches), float(images), float(nonfinite), *metric_sums.values()], device
    )
    loss_sum, loss_batches, images, nonfinite = totals[:4]
    result = {key: value / max(images, 1.0) for key, value in zip(METRIC_KEYS, totals[4:], strict=True)}
    result["loss"] = loss_sum / loss_batches if loss_batches else float("nan")
    result["nonfinite_batches"] = nonfinite
    result["images"] = images
    return result
