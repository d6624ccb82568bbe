"""Feature enhancement module (the authors' dilated_conv): four dilated branches with channel gates."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from meddisseg_core.nn.attention import ChannelAttention, SpatialAttention
from meddisseg_core.nn.blocks import ConvBNAct

DILATIONS = (6, 12, 18)


class DilatedFEM(nn.Module):
    """1×1 and 3×3 (dilation 6, 12, 18) branches, each channel-gated, merged by a 3×3 CBT,
    added to a 1×1 shortcut, ReLU, then a spatial gate. Spatial size is preserved."""

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        self.c1 = nn.Sequential(
            ConvBNAct(in_channels, out_channels, 1, padding=0), ChannelAttention(out_channels)
        )
        for k, d in enumerate(DILATIONS, start=2):
            branch = nn.Sequential(
                ConvBNAct(in_channels, out_channels, 3, padding=d, dilation=d), ChannelAttention(out_channels)
            )
            self.add_module(f"c{k}", branch)
        self.c5 = ConvBNAct(4 * out_channels, out_channels, 3, padding=1, act=False)
        self.c6 = ConvBNAct(in_channels, out_channels, 1, padding=0, act=False)
        self.sa = SpatialAttention(7)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        branches = torch.cat([self.c1(x), self.c2(x), self.c3(x), self.c4(x)], dim=1)
        y = F.relu(self.c5(branches) + self.c6(x))
        return self.sa(y)
