"""Fixtures for checkpoint tests: small trained-looking networks."""

from __future__ import annotations

import pytest
import torch

from meddisseg_core.nn import NetworkConfig, build_network


def perturbed(stage: int, seed: int = 0) -> torch.nn.Module:
    """A tiny network whose weights and BN statistics differ from a fresh build."""
    # Seeded build: the initial weights come from the global RNG, and an unseeded build made the
    # packed-vs-fp32 difference vary from run to run (3e-4 to 1.5e-3 for stage 2).
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        net = build_network(NetworkConfig.tiny(stage))
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for value in net.state_dict().values():
            if value.is_floating_point():
                value.add_(0.05 * torch.randn(value.shape, generator=g))
    return net.eval()


@pytest.fixture(name="perturbed")
def perturbed_fixture():
    """``perturbed(stage, seed=0)``: a tiny network with non-default weights, in eval mode."""
    return perturbed


@pytest.fixture(autouse=True)
def _single_thread():
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)
