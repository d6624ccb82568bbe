"""A toy model with the network contract (``infer`` returning mask/uncertainty), for fast tests."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import NamedTuple

import pytest
import torch
from torch import nn


class _Inference(NamedTuple):
    mask: torch.Tensor
    uncertainty: torch.Tensor | None


class ToyNetwork(nn.Module):
    """Sigmoid of a fixed 3×3 conv plus a left-to-right ramp, so flips change the answer."""

    def __init__(self, stage: int = 2) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 1, 3, padding=1)
        with torch.no_grad():
            self.conv.weight.copy_(torch.linspace(-1, 1, 27).reshape(1, 3, 3, 3))
            self.conv.bias.fill_(0.1)
        self.config = SimpleNamespace(stage=stage)

    def infer(self, x: torch.Tensor, with_uncertainty: bool = False) -> _Inference:
        ramp = torch.linspace(-2, 2, x.shape[-1], device=x.device).reshape(1, 1, 1, -1)
        mask = torch.sigmoid(self.conv(x) * 4 + ramp)
        unc = 1 - (2 * mask - 1).abs() if with_uncertainty and self.config.stage == 2 else None
        return _Inference(mask, unc)


def toy_convention(size: tuple[int, int] = (32, 32)) -> SimpleNamespace:
    return SimpleNamespace(
        colour_order="BGR", size=size, scale=1 / 255, mean=None, std=None, resize_interpolation="linear"
    )


@pytest.fixture
def one_thread() -> Iterator[None]:
    """One torch thread: tiny networks on a shared 2-core machine are faster without contention."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(name="toy_convention")
def toy_convention_factory() -> object:
    """``toy_convention(size)`` builds a mutable InputConvention look-alike."""
    return toy_convention


@pytest.fixture
def toy_loaded() -> SimpleNamespace:
    torch.manual_seed(0)
    return SimpleNamespace(
        network=ToyNetwork(), metadata=SimpleNamespace(input=toy_convention()), source="toy"
    )
