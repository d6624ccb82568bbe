"""The stage-1 training head (1x1 conv before upsampling) equals the authors' order, gradients too."""

from __future__ import annotations

import torch

from meddisseg_core.nn import NetworkConfig, build_network
from meddisseg_core.nn.blocks import upsample

_SCALES = (2, 4, 8, 16)


def _authors_order(head: torch.nn.Module, features: tuple[torch.Tensor, ...]) -> torch.Tensor:
    # Upsample the encoder map first, then the whole conv-BN-TeLU block, as the authors do.
    zs = [
        att(cbt(upsample(f, s))) for (cbt, att), f, s in zip(head.branches(), features, _SCALES, strict=True)
    ]
    return torch.sigmoid(head.fuse(torch.cat(zs, dim=1)))


def test_training_head_matches_authors_order_in_train_mode() -> None:
    torch.manual_seed(0)
    network = build_network(NetworkConfig.tiny(1)).double().train()
    x = torch.rand(3, 3, 64, 64, dtype=torch.float64)
    features = tuple(f.detach() for f in network.encoder(x))

    ours_inputs = tuple(f.clone().requires_grad_(True) for f in features)
    ours = network.head(ours_inputs)
    ours.sum().backward()
    ours_grads = [f.grad for f in ours_inputs]
    ours_weight_grad = network.head.reduce4.conv[0].weight.grad.clone()
    network.zero_grad()

    ref_inputs = tuple(f.clone().requires_grad_(True) for f in features)
    ref = _authors_order(network.head, ref_inputs)
    ref.sum().backward()

    torch.testing.assert_close(ours, ref, rtol=0, atol=1e-12)
    for mine, theirs in zip(ours_grads, (f.grad for f in ref_inputs), strict=True):
        torch.testing.assert_close(mine, theirs, rtol=1e-9, atol=1e-12)
    torch.testing.assert_close(
        ours_weight_grad, network.head.reduce4.conv[0].weight.grad, rtol=1e-9, atol=1e-12
    )
