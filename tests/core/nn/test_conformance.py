"""float32 forward of the paper networks matches the authors' float64 run (golden data)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from meddisseg_core.nn import NetworkConfig, build_network

pytestmark = pytest.mark.slow

MASK_ATOL = 1e-4  # stage2_mask (values span 0.3 .. 0.7)
MAP_ATOL = 1e-5  # the other maps vary by ~1e-3 only; a looser bound would hide real differences


def _network(stage: int, rule) -> torch.nn.Module:
    net = build_network(NetworkConfig.paper(stage))
    net.load_state_dict(rule(net), strict=True)
    return net.eval()


@pytest.fixture(scope="module")
def stage1_net(conformance_params) -> torch.nn.Module:
    return _network(1, conformance_params)


@pytest.fixture(scope="module")
def stage2_net(conformance_params) -> torch.nn.Module:
    return _network(2, conformance_params)


def _close(actual: torch.Tensor, expected: np.ndarray, atol: float) -> None:
    np.testing.assert_allclose(actual.detach().numpy(), expected, rtol=0, atol=atol)


def test_stage1_forward(stage1_net: torch.nn.Module, golden: dict) -> None:
    with torch.no_grad():
        out = stage1_net(torch.from_numpy(golden["input"]))
    _close(out.mask, golden["stage1_mask"], MAP_ATOL)


def test_stage1_infer(stage1_net: torch.nn.Module, golden: dict) -> None:
    result = stage1_net.infer(torch.from_numpy(golden["input"]), with_uncertainty=True)
    assert result.uncertainty is None
    _close(result.mask, golden["stage1_mask"], MAP_ATOL)


def test_stage2_forward(stage2_net: torch.nn.Module, golden: dict) -> None:
    with torch.no_grad():
        out = stage2_net(torch.from_numpy(golden["input"]))
    _close(out.mask, golden["stage2_mask"], MASK_ATOL)
    _close(out.fg, golden["stage2_fg"], MAP_ATOL)
    _close(out.bg, golden["stage2_bg"], MAP_ATOL)
    _close(out.uncertainty, golden["stage2_uc"], MAP_ATOL)


def test_stage2_infer(stage2_net: torch.nn.Module, golden: dict) -> None:
    x = torch.from_numpy(golden["input"])
    plain = stage2_net.infer(x)
    assert plain.uncertainty is None
    _close(plain.mask, golden["stage2_mask"], MASK_ATOL)
    with_uc = stage2_net.infer(x, with_uncertainty=True)
    assert with_uc.uncertainty is not None
    _close(with_uc.uncertainty, golden["stage2_uc"], MAP_ATOL)
