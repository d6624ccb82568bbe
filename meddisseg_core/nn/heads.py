"""Stage-2 heads: the decouple layer, the auxiliary (training-only) heads and the output block."""

from __future__ import annotations

import torch
from torch import nn

from meddisseg_core.nn.blocks import ConvBNAct, Upsample, telu, upsample


def _decouple_branch(in_channels: int, out_channels: int) -> nn.Sequential:
    return nn.Sequential(
        ConvBNAct(in_channels, 4 * out_channels),
        ConvBNAct(4 * out_channels, out_channels),
        ConvBNAct(out_channels, out_channels, 1, padding=0),
    )


class DecoupleLayer(nn.Module):
    """Three independent branches splitting the layer3 features into fg / bg / uncertainty features."""

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        self.cbt_fg = _decouple_branch(in_channels, out_channels)
        self.cbt_bg = _decouple_branch(in_channels, out_channels)
        self.cbt_uc = _decouple_branch(in_channels, out_channels)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        return self.cbt_fg(x), self.cbt_bg(x), self.cbt_uc(x)


def _aux_branch(channels: int) -> nn.Sequential:
    c2, c1, ch = 2 * channels, channels, channels // 2
    return nn.Sequential(
        ConvBNAct(c1, c2),
        Upsample(2),
        ConvBNAct(c2, c2),
        Upsample(2),
        ConvBNAct(c2, c1),
        Upsample(2),
        ConvBNAct(c1, ch),
        Upsample(2),
        ConvBNAct(ch, ch),
        nn.Conv2d(ch, 1, 1),
        nn.Sigmoid(),
    )


class AuxiliaryHead(nn.Module):
    """Training-only heads turning the decoupled features (stride 16) into full-size probability maps."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.branch_fg = _aux_branch(channels)
        self.branch_bg = _aux_branch(channels)
        self.branch_uc = _aux_branch(channels)

    def forward(
        self, fg: torch.Tensor, bg: torch.Tensor, uc: torch.Tensor, logits: bool = False
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Probability maps, or with ``logits`` the pre-sigmoid maps (the final Sigmoid skipped)."""
        if logits:
            return self.branch_fg[:-1](fg), self.branch_bg[:-1](bg), self.branch_uc[:-1](uc)
        return self.branch_fg(fg), self.branch_bg(bg), self.branch_uc(uc)


class OutputBlock(nn.Module):
    """Fuses the three decoder outputs (strides 2, 4, 8) into the N×1×H×W mask probability."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.fuse = ConvBNAct(3 * channels, channels)
        self.c1 = ConvBNAct(channels, channels)
        self.c2 = ConvBNAct(channels, channels // 2, 1, padding=0)
        self.c3 = nn.Conv2d(channels // 2, 1, 1)

    def forward(
        self, small: torch.Tensor, middle: torch.Tensor, large: torch.Tensor, logits: bool = False
    ) -> torch.Tensor:
        x = self.fuse(torch.cat([small, upsample(middle, 2), upsample(large, 4)], dim=1))
        x = self.c3(self.c2(self.c1(upsample(x, 2))))
        return x if logits else torch.sigmoid(x)


__all__ = ["AuxiliaryHead", "DecoupleLayer", "OutputBlock", "telu"]
