"""Stage-1 infer runs under bf16 autocast (its head's out= kernels used to fail on bf16 features)."""

from __future__ import annotations

import torch

from meddisseg_core.nn import NetworkConfig, build_network


def test_stage1_infer_under_bf16_autocast(one_thread: None) -> None:
    torch.manual_seed(0)
    net = build_network(NetworkConfig.tiny(1)).eval()
    x = torch.rand(1, 3, 64, 64)
    fp32 = net.infer(x).mask
    with torch.autocast("cpu", dtype=torch.bfloat16):
        bf16 = net.infer(x).mask
    assert bf16.dtype == torch.float32 and bf16.shape == fp32.shape
    assert float((bf16 - fp32).abs().max()) < 0.05
