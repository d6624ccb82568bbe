"""infer(..., fp32_encoder=True) under bf16 autocast: the encoder runs in fp32, the decoder in bf16."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from meddisseg_core.nn import NetworkConfig, build_network


def _dtypes(net: nn.Module, fp32_encoder: bool) -> tuple[torch.dtype, torch.dtype, torch.Tensor]:
    """The dtype of the encoder's deepest features and of the first decoder CDFA's output."""
    fused = net._fused.get(net)
    seen: dict[str, torch.dtype] = {}
    hooks = [
        fused.encoder.register_forward_hook(lambda m, i, o: seen.__setitem__("encoder", o[3].dtype)),
        fused.cdfa4.register_forward_hook(lambda m, i, o: seen.__setitem__("cdfa", o.dtype)),
    ]
    try:
        with torch.autocast("cpu", dtype=torch.bfloat16):
            mask = net.infer(
                torch.rand(1, 3, 64, 64, generator=torch.Generator().manual_seed(1)),
                fp32_encoder=fp32_encoder,
            ).mask
    finally:
        for hook in hooks:
            hook.remove()
    return seen["encoder"], seen["cdfa"], mask


@pytest.fixture
def stage2() -> nn.Module:
    torch.manual_seed(0)
    return build_network(NetworkConfig.tiny(2)).eval()


def test_the_encoder_stays_fp32_and_the_decoder_is_bf16(stage2: nn.Module) -> None:
    encoder, cdfa, mask = _dtypes(stage2, fp32_encoder=True)
    assert (encoder, cdfa) == (torch.float32, torch.bfloat16)
    assert torch.isfinite(mask).all()


def test_without_the_flag_the_encoder_is_bf16_too(stage2: nn.Module) -> None:
    encoder, cdfa, _ = _dtypes(stage2, fp32_encoder=False)
    assert (encoder, cdfa) == (torch.bfloat16, torch.bfloat16)


def test_outside_autocast_the_flag_changes_nothing(stage2: nn.Module) -> None:
    x = torch.rand(1, 3, 64, 64, generator=torch.Generator().manual_seed(2))
    assert torch.equal(stage2.infer(x, fp32_encoder=True).mask, stage2.infer(x).mask)


def test_stage1_takes_the_flag_too() -> None:
    torch.manual_seed(0)
    net = build_network(NetworkConfig.tiny(1)).eval()
    x = torch.rand(1, 3, 64, 64, generator=torch.Generator().manual_seed(3))
    fp32 = net.infer(x).mask
    with torch.autocast("cpu", dtype=torch.bfloat16):
        mixed = net.infer(x, fp32_encoder=True).mask
    assert torch.equal(mixed, fp32)  # its head always runs in fp32: the whole pass is fp32
