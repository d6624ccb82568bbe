"""The inference fast path equals the training forward (eval mode) and never touches the module."""

from __future__ import annotations

import pytest
import torch

from meddisseg_core.nn import NetworkConfig, build_network
from meddisseg_core.nn.cdfa import aggregate, aggregate_unfold


def _randomise_bn(net: torch.nn.Module, seed: int) -> None:
    # Non-trivial running statistics so that a wrong BN fold would show.
    g = torch.Generator().manual_seed(seed)
    for m in net.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.copy_(0.1 * torch.randn(m.running_mean.shape, generator=g))
            m.running_var.copy_(0.5 + torch.rand(m.running_var.shape, generator=g))
            with torch.no_grad():
                m.weight.copy_(1 + 0.1 * torch.randn(m.weight.shape, generator=g))
                m.bias.copy_(0.1 * torch.randn(m.bias.shape, generator=g))


@pytest.mark.parametrize("stage", [1, 2])
def test_infer_matches_forward(stage: int) -> None:
    torch.manual_seed(stage)
    net = build_network(NetworkConfig.tiny(stage)).eval()
    _randomise_bn(net, stage)
    x = torch.rand(2, 3, 64, 48)
    with torch.no_grad():
        ref = net(x)
    fast = net.infer(x, with_uncertainty=True)
    torch.testing.assert_close(fast.mask, ref.mask, rtol=0, atol=1e-5)
    if stage == 2:
        torch.testing.assert_close(fast.uncertainty, ref.uncertainty, rtol=0, atol=1e-5)
    else:
        assert fast.uncertainty is None


def test_infer_does_not_modify_the_trainable_module() -> None:
    net = build_network(NetworkConfig.tiny(2)).train()
    before = {k: v.clone() for k, v in net.state_dict().items()}
    net.infer(torch.rand(1, 3, 32, 32))
    assert net.training
    after = net.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)


def test_infer_follows_weight_updates() -> None:
    net = build_network(NetworkConfig.tiny(1)).eval()
    x = torch.rand(1, 3, 32, 32)
    first = net.infer(x).mask.clone()
    with torch.no_grad():
        net.head.fuse.weight.mul_(-1.0)
    second = net.infer(x).mask
    with torch.no_grad():
        expected = net(x).mask
    assert not torch.allclose(first, second)
    torch.testing.assert_close(second, expected, rtol=0, atol=1e-5)


def test_cdfa_shift_formulation_equals_unfold() -> None:
    g = torch.Generator().manual_seed(0)
    values = torch.randn(2, 8, 5, 7, generator=g)
    attn = torch.softmax(torch.randn(2, 2, 9, 9, 5, 7, generator=g), dim=3)
    torch.testing.assert_close(aggregate(values, attn), aggregate_unfold(values, attn), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("chunked", [True, False])
def test_stage1_head_kernels_agree(chunked: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    import meddisseg_core.nn.stage1 as stage1

    monkeypatch.setattr(stage1, "_CHUNKED", chunked)
    torch.manual_seed(5)
    net = build_network(NetworkConfig.tiny(1)).eval()
    _randomise_bn(net, 5)
    x = torch.rand(2, 3, 48, 80)  # rows not a multiple of the chunk height
    with torch.no_grad():
        ref = net(x).mask
    torch.testing.assert_close(net.infer(x).mask, ref, rtol=0, atol=1e-5)
