"""The fused training regions compute what the eager modules compute.

The region functions are checked as plain Python (no compiler) in float64 against the eager
code, and one tiny-network training step is checked traced by torch.compile ("aot_eager": the
same graphs the GPU compiles, without generating kernels) against the eager step.
"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from meddisseg_core.nn import NetworkConfig, build_network
from meddisseg_core.nn.blocks import ConvBNAct
from meddisseg_core.nn.cdfa import aggregate_unfold
from meddisseg_core.nn.regions import bn_telu, cdfa_mix, set_fused_regions


def test_cdfa_mix_equals_the_authors_unfold_formulation() -> None:
    g = torch.Generator().manual_seed(0)
    values = torch.randn(2, 8, 9, 7, generator=g, dtype=torch.float64)  # not square on purpose
    logits = torch.randn(2, 2 * 81, 9, 7, generator=g, dtype=torch.float64) * 3
    attn = torch.softmax(logits.view(2, 2, 9, 9, 9, 7), dim=3)
    expected = aggregate_unfold(values, attn)
    torch.testing.assert_close(cdfa_mix(values, logits, 2), expected, rtol=0, atol=1e-12)


def test_bn_telu_equals_the_block_in_training_with_its_statistics() -> None:
    block = ConvBNAct(3, 4).double().train()
    twin = ConvBNAct(3, 4).double().train()
    twin.load_state_dict(block.state_dict())
    x = torch.randn(2, 3, 6, 6, dtype=torch.float64, generator=torch.Generator().manual_seed(1)) * 8
    expected = block(x)
    bn = twin.conv[1]
    got = bn_telu(twin.conv[0](x), bn.weight, bn.bias, bn.running_mean, bn.running_var, bn.momentum, bn.eps)
    torch.testing.assert_close(got, expected, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(bn.running_mean, block.conv[1].running_mean)
    torch.testing.assert_close(bn.running_var, block.conv[1].running_var)


def test_bn_telu_slope_is_one_where_exp_overflows() -> None:
    y = torch.tensor([[[[0.0]], [[100.0]]], [[[2.0]], [[300.0]]]], requires_grad=True)  # N2 C2 1×1
    ones, zeros = torch.ones(2), torch.zeros(2)
    out = bn_telu(y, ones * 50, zeros, zeros.clone(), ones.clone(), 0.1, 1e-5)
    out.sum().backward()
    assert torch.isfinite(y.grad).all()  # the plain composition gives 0 * inf = NaN here


def _step(backend: str | None) -> tuple[float, dict[str, torch.Tensor], dict[str, torch.Tensor]]:
    torch.manual_seed(0)
    net = build_network(NetworkConfig.tiny(2)).train()
    switched = set_fused_regions(net, backend)
    assert switched > 0
    g = torch.Generator().manual_seed(1)
    x = torch.rand(2, 3, 48, 48, generator=g)
    y = (torch.rand(2, 1, 48, 48, generator=g) > 0.5).float()
    out = net(x, logits=True)
    loss = sum(
        F.binary_cross_entropy_with_logits(m.float(), y) for m in (out.mask, out.fg, out.bg, out.uncertainty)
    )
    loss.backward()
    grads = {k: p.grad.clone() for k, p in net.named_parameters() if p.grad is not None}
    return loss.item(), grads, net.state_dict()


@pytest.mark.slow
def test_a_traced_training_step_matches_the_eager_step() -> None:
    loss, grads, state = _step(None)
    loss_f, grads_f, state_f = _step("aot_eager")
    assert loss_f == pytest.approx(loss, rel=1e-6)
    assert grads_f.keys() == grads.keys()
    for key in grads:
        torch.testing.assert_close(grads_f[key], grads[key], rtol=1e-3, atol=1e-6)
    for key in state:  # BatchNorm statistics and counters included
        torch.testing.assert_close(state_f[key], state[key], rtol=1e-5, atol=1e-6)
