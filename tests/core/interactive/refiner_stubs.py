"""Stand-ins for the refiner network whose answers are known (used by the learned-method tests)."""

from __future__ import annotations

import torch
from torch import nn

from meddisseg_core.interactive.refiner import CHANNELS

MASK, POSITIVE, NEGATIVE, BOX = (CHANNELS.index(c) for c in ("mask", "positive", "negative", "box"))


class EchoNet(nn.Module):
    """Answers the prior it was given, with positive discs added and negative discs removed."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mask = torch.clamp(x[:, MASK] + x[:, POSITIVE] - x[:, NEGATIVE], 0, 1)
        return (20 * (mask - 0.5))[:, None]


class DeafNet(nn.Module):
    """Ignores the clicks: answers the prior as it was."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (20 * (x[:, MASK] - 0.5))[:, None]


class EverythingNet(nn.Module):
    """Answers "lesion" everywhere in its crop."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.full_like(x[:, :1], 10.0)
