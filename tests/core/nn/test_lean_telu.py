"""The training TeLU keeps only its input for backward; values and gradients are TeLU's."""

from __future__ import annotations

import torch

from meddisseg_core.nn.blocks import telu, telu_train


def _inputs(dtype: torch.dtype) -> torch.Tensor:
    g = torch.Generator().manual_seed(0)
    x = torch.randn(4096, generator=g, dtype=torch.float64) * 6
    extremes = torch.tensor(
        [-200.0, -30.0, -1e-3, 0.0, 1e-3, 19.9, 20.0, 20.1, 50.0, 400.0], dtype=torch.float64
    )
    return torch.cat([x, extremes]).to(dtype)


def test_forward_is_bit_identical_and_gradient_matches_autograd() -> None:
    x = _inputs(torch.float32).requires_grad_(True)
    ref_x = x.detach().clone().requires_grad_(True)
    y = telu_train(x)
    ref = telu(ref_x)
    assert torch.equal(y, ref)
    weights = torch.linspace(-1, 1, x.numel())
    (y * weights).sum().backward()
    (ref * weights).sum().backward()
    assert torch.isfinite(x.grad).all()
    # The plain composition's backward is 0 * inf = NaN once exp(x) overflows (x > 88 in fp32);
    # the slope there is exactly 1 (times the upstream gradient).
    finite = torch.isfinite(ref_x.grad)
    assert not finite[x.detach() > 89].any()
    torch.testing.assert_close(x.grad[finite], ref_x.grad[finite], rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(x.grad[~finite], weights[~finite])


def test_gradcheck_in_float64() -> None:
    x = (
        torch.randn(64, dtype=torch.float64, generator=torch.Generator().manual_seed(1)) * 4
    ).requires_grad_()
    assert torch.autograd.gradcheck(telu_train, (x,))


def test_keeps_one_saved_tensor_and_the_input_dtype() -> None:
    saved: list[torch.Tensor] = []

    def pack(t: torch.Tensor) -> torch.Tensor:
        saved.append(t)
        return t

    x = _inputs(torch.bfloat16).requires_grad_(True)
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        y = telu_train(x)
    assert len(saved) == 1 and saved[0].dtype == torch.bfloat16
    assert y.dtype == torch.bfloat16
    torch.testing.assert_close(y.float(), telu(x.detach().float()).bfloat16().float())
