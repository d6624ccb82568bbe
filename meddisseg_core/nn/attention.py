"""Attention gates: channel / spatial attention (FEM, decoder), CBAM (decoder) and ELAT (stage-1 head)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from meddisseg_core.nn.blocks import TeLU, reduced, telu

# The authors hard-code these reductions; tiny networks are guarded by ``reduced``.
CHANNEL_REDUCTION = 16
ELAT_REDUCTION = 8


def _mean_max_map(x: torch.Tensor) -> torch.Tensor:
    """N×2×H×W stack of the channel mean and channel max, in that order."""
    return torch.cat([x.mean(dim=1, keepdim=True), x.amax(dim=1, keepdim=True)], dim=1)


def _avg_max_pooled(x: torch.Tensor) -> torch.Tensor:
    """2N×C×1×1: the global average pools of the batch, then the global max pools.

    Running both pools through a shared MLP as one batch gives the same numbers as two calls.
    """
    return torch.cat([x.mean(dim=(2, 3), keepdim=True), x.amax(dim=(2, 3), keepdim=True)], dim=0)


class ChannelAttention(nn.Module):
    """CBAM-style channel gate with 1×1 convs (no bias) and ReLU; weights shared by avg and max paths."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        hidden = reduced(channels, CHANNEL_REDUCTION)
        self.fc1 = nn.Conv2d(channels, hidden, 1, bias=False)
        self.fc2 = nn.Conv2d(hidden, channels, 1, bias=False)

    def gate(self, x: torch.Tensor) -> torch.Tensor:
        """σ(mlp(avg) + mlp(max)) as N×C×1×1."""
        n = x.shape[0]
        both = self.fc2(F.relu(self.fc1(_avg_max_pooled(x))))
        return torch.sigmoid(both[:n] + both[n:])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.gate(x)


class SpatialAttention(nn.Module):
    """Spatial gate σ(conv7×7([mean, max])) without bias."""

    def __init__(self, kernel_size: int = 7) -> None:
        super().__init__()
        if kernel_size not in (3, 7):
            raise ValueError(f"spatial attention kernel must be 3 or 7, got {kernel_size}")
        self.conv1 = nn.Conv2d(2, 1, kernel_size, padding=kernel_size // 2, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.sigmoid(self.conv1(_mean_max_map(x)))


class CBAM(nn.Module):
    """CBAM with a Linear+TeLU MLP (with biases) shared by avg and max paths, then a 7×7 spatial gate."""

    def __init__(self, channels: int, kernel_size: int = 7) -> None:
        super().__init__()
        hidden = reduced(channels, CHANNEL_REDUCTION)
        # Index layout (pool, flatten, linear, act, linear) fixes the key names channel_mlp.2 / .4.
        self.channel_mlp = nn.Sequential(
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
            nn.Linear(channels, hidden),
            TeLU(),
            nn.Linear(hidden, channels),
        )
        self.spatial_conv = nn.Conv2d(2, 1, kernel_size, padding=kernel_size // 2, bias=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c = x.shape[:2]
        # The avg-pool inside channel_mlp is the identity on the already pooled 1×1 inputs.
        both = self.channel_mlp(_avg_max_pooled(x))
        x = x * torch.sigmoid(both[:n] + both[n:]).view(n, c, 1, 1)
        return x * torch.sigmoid(self.spatial_conv(_mean_max_map(x)))


class ELAT(nn.Module):
    """ELAT attention of the stage-1 head: channel gate from the average pool and a dilated spatial gate.

    Output = (x ⊙ channel_gate) ⊙ spatial_gate, channel gate = σ(W2 TeLU(W1 GAP(x))) (no biases),
    spatial gate = σ(fuse([conv_d1(x), conv_d2(x), conv_d3(x)])) with 3×3 convs at dilations 1, 2, 3.
    """

    def __init__(self, channels: int) -> None:
        super().__init__()
        hidden = reduced(channels, ELAT_REDUCTION)
        self.fc = nn.Sequential(
            nn.Linear(channels, hidden, bias=False),
            TeLU(),
            nn.Linear(hidden, channels, bias=False),
            nn.Sigmoid(),
        )
        self.spatial_conv1 = nn.Conv2d(channels, 1, 3, padding=1, dilation=1)
        self.spatial_conv2 = nn.Conv2d(channels, 1, 3, padding=2, dilation=2)
        self.spatial_conv3 = nn.Conv2d(channels, 1, 3, padding=3, dilation=3)
        self.spatial_fuse = nn.Conv2d(3, 1, 1)

    def channel_gate(self, x: torch.Tensor) -> torch.Tensor:
        """N×C channel weights in (0, 1)."""
        return self.fc(x.mean(dim=(2, 3)))

    def spatial_gate(self, x: torch.Tensor) -> torch.Tensor:
        """N×1×H×W spatial weights in (0, 1)."""
        maps = torch.cat([self.spatial_conv1(x), self.spatial_conv2(x), self.spatial_conv3(x)], dim=1)
        return torch.sigmoid(self.spatial_fuse(maps))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c = x.shape[:2]
        return (x * self.channel_gate(x).view(n, c, 1, 1)) * self.spatial_gate(x)


__all__ = ["CBAM", "ELAT", "ChannelAttention", "SpatialAttention", "telu"]
