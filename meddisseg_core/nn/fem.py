"""Feature enhancement module (the authors' dilated_conv): four dilated branches with channel gates."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from meddisseg_core.nn.attention import ChannelAttention, SpatialAttention
from meddisseg_core.nn.blocks import ConvBNAct
from meddisseg_core.nn.tracing import exporting

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

    def _branches_into_buffer(self, x: torch.Tensor) -> torch.Tensor:
        """Inference: each gated branch is written straight into its channel slice of the merged
        map (same numbers as the concatenation, without copying 4×out_channels maps again)."""
        merged: torch.Tensor | None = None
        for k, branch in enumerate((self.c1, self.c2, self.c3, self.c4)):
            conv, gate = branch[0], branch[1]
            y = conv(x)
            if merged is None:
                n, c, h, w = y.shape
                layout = (
                    torch.channels_last
                    if y.is_contiguous(memory_format=torch.channels_last) and not y.is_contiguous()
                    else torch.contiguous_format
                )
                merged = torch.empty((n, 4 * c, h, w), dtype=y.dtype, device=y.device, memory_format=layout)
            c = y.shape[1]
            torch.mul(y, gate.gate(y), out=merged[:, k * c : (k + 1) * c])
        assert merged is not None
        return merged

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if torch.is_inference_mode_enabled() and not exporting():
            branches = self._branches_into_buffer(x)
        else:
            branches = torch.cat([self.c1(x), self.c2(x), self.c3(x), self.c4(x)], dim=1)
        y = F.relu(self.c5(branches) + self.c6(x))
        return self.sa(y)
