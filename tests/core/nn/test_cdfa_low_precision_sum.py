"""CDFA's inference aggregation on the CPU sums bf16 inputs in fp32 (faster there, and exact sums)."""

from __future__ import annotations

import torch

from meddisseg_core.nn.cdfa import aggregate, aggregate_unfold


def test_bf16_inputs_are_summed_in_fp32() -> None:
    g = torch.Generator().manual_seed(0)
    values = torch.randn(1, 8, 12, 10, generator=g).bfloat16()
    attn = torch.softmax(torch.randn(1, 2, 9, 9, 12, 10, generator=g), dim=3).bfloat16()
    with torch.no_grad():
        out = aggregate(values, attn)
        reference = aggregate_unfold(values.float(), attn.float())
    assert out.dtype == torch.float32
    torch.testing.assert_close(out, reference, rtol=1e-5, atol=1e-5)


def test_training_keeps_its_dtype() -> None:
    g = torch.Generator().manual_seed(1)
    values = torch.randn(1, 8, 6, 6, generator=g).bfloat16().requires_grad_()
    attn = torch.softmax(torch.randn(1, 2, 9, 9, 6, 6, generator=g), dim=3).bfloat16()
    out = aggregate(values, attn)
    assert out.dtype == torch.bfloat16
    out.float().sum().backward()
    assert values.grad is not None and values.grad.dtype == torch.bfloat16
