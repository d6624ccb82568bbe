"""The tiny networks train: forward + backward at 64×64 gives finite gradients everywhere.

The step's speed is measured by ``python benchmarks/bench_train.py --quick``, not asserted here.
"""

from __future__ import annotations

import pytest
import torch

from meddisseg_core.nn import NetworkConfig, Stage1Output, Stage2Output, build_network


@pytest.mark.parametrize("stage", [1, 2])
def test_tiny_forward_backward(stage: int) -> None:
    net = build_network(NetworkConfig.tiny(stage)).train()
    x = torch.rand(2, 3, 64, 64)
    net(x)  # warm-up (first-call allocations)
    out = net(x)
    loss = sum(t.mean() for t in out if t is not None)
    loss.backward()
    assert isinstance(out, Stage1Output if stage == 1 else Stage2Output)
    assert out.mask.shape == (2, 1, 64, 64)
    assert out.encoder_features.shape[-2:] == (4, 4)
    grads = [p.grad for p in net.parameters() if p.grad is not None]
    assert grads and all(torch.isfinite(g).all() for g in grads)
    # Every trainable parameter takes part in the loss: none is left without a gradient.
    assert len(grads) == sum(1 for p in net.parameters() if p.requires_grad)
