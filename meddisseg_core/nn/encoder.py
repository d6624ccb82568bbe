"""Truncated ResNet-50 encoder (stem and stages 1..3, stride on the 3×3 conv: "V1.5")."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

EXPANSION = 4


class Bottleneck(nn.Module):
    """1×1 reduce -> 3×3 (carries the stride) -> 1×1 expand, plus identity or projection shortcut."""

    def __init__(self, in_channels: int, width: int, stride: int = 1) -> None:
        super().__init__()
        out_channels = width * EXPANSION
        self.conv1 = nn.Conv2d(in_channels, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, out_channels, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(out_channels)
        self.downsample: nn.Sequential | None = None
        if stride != 1 or in_channels != out_channels:
            self.downsample = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                nn.BatchNorm2d(out_channels),
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = F.relu(self.bn1(self.conv1(x)))
        y = F.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        shortcut = x if self.downsample is None else self.downsample(x)
        return F.relu(y + shortcut)


def _stage(in_channels: int, width: int, blocks: int, stride: int) -> nn.Sequential:
    layers = [Bottleneck(in_channels, width, stride)]
    layers += [Bottleneck(width * EXPANSION, width) for _ in range(blocks - 1)]
    return nn.Sequential(*layers)


class ResNetEncoder(nn.Module):
    """Stem (7×7/2 conv, BN, ReLU) and three Bottleneck stages; layer4 of ResNet-50 is not used.

    ``forward`` returns the four feature maps at strides 2, 4, 8 and 16 with
    ``(w, 4w, 8w, 16w)`` channels (64, 256, 512, 1024 for the paper network).
    """

    def __init__(self, width: int = 64, blocks: tuple[int, int, int] = (3, 4, 6)) -> None:
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(3, width, 7, stride=2, padding=3, bias=False),
            nn.BatchNorm2d(width),
            nn.ReLU(),
        )
        self.stage1 = _stage(width, width, blocks[0], stride=1)
        self.stage2 = _stage(width * EXPANSION, width * 2, blocks[1], stride=2)
        self.stage3 = _stage(width * 2 * EXPANSION, width * 4, blocks[2], stride=2)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        x1 = self.stem(x)
        # The max-pool belongs to the authors' "layer1"; it has no parameters.
        x2 = self.stage1(F.max_pool2d(x1, 3, stride=2, padding=1))
        x3 = self.stage2(x2)
        x4 = self.stage3(x3)
        return x1, x2, x3, x4


def encode(
    encoder: nn.Module, x: torch.Tensor, fp32: bool = False
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """The encoder's features of ``x`` (made channels_last, the fast layout for oneDNN and cuDNN).

    With ``fp32`` the encoder runs outside any low-precision autocast, in fp32, whatever the
    caller's context: an inference network's "fp32 encoder, low-precision decoder" mode.
    """
    x = x.contiguous(memory_format=torch.channels_last)
    if not fp32:
        return encoder(x)
    with torch.autocast(x.device.type, enabled=False):
        return encoder(x.float())
