"""A stage-2 training step with bf16 on the CPU runs in bf16 autocast, and its loss stays close to fp32's."""

from __future__ import annotations

import torch

from meddisseg_core.losses import DispersiveConfig
from meddisseg_core.nn import NetworkConfig, build_network
from meddisseg_core.train.steps import stage2_step


def test_cpu_bf16_step_close_to_fp32() -> None:
    torch.manual_seed(0)
    net = build_network(NetworkConfig.tiny(2)).train()
    x = torch.rand(2, 3, 64, 64)
    y = (torch.rand(2, 1, 64, 64) > 0.5).float()
    losses = []
    for bf16 in (False, True):
        torch.manual_seed(1)
        step = stage2_step(net, x, y, 1 - y, DispersiveConfig(), 0.1, bf16=bf16)
        assert step.loss is not None
        losses.append(float(step.loss.total))
    fp32, low = losses
    assert low != fp32  # bf16 autocast really ran (before, the CPU silently stayed in fp32)
    assert abs(low - fp32) / fp32 < 0.05
