"""The CBAT decoder block: upsample-and-concat, residual CBT chain, then ca -> sa -> CBAM."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from meddisseg_core.nn.attention import CBAM, ChannelAttention, SpatialAttention
from meddisseg_core.nn.blocks import ConvBNAct, upsample


class DecoderBlock(nn.Module):
    """forward(x, skip): x at half the resolution of skip; both ``channels`` wide -> ``channels``."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.c1 = ConvBNAct(2 * channels, channels, 1, padding=0)
        self.c2 = ConvBNAct(channels, channels, act=False)
        self.c3 = ConvBNAct(channels, channels, act=False)
        self.c4 = ConvBNAct(channels, channels, 1, padding=0, act=False)
        self.ca = ChannelAttention(channels)
        self.sa = SpatialAttention(7)
        self.cbam = CBAM(channels)

    def forward(self, x: torch.Tensor, skip: torch.Tensor) -> torch.Tensor:
        s1 = self.c1(torch.cat([upsample(x, 2), skip], dim=1))
        s2 = F.relu(self.c2(s1) + s1)
        s3 = F.relu((self.c3(s2) + s2) + s1)
        # Left-to-right additions, as the authors wrote them (float addition is not associative).
        y = F.relu(((self.c4(s3) + s3) + s2) + s1)
        return self.cbam(self.sa(self.ca(y)))
