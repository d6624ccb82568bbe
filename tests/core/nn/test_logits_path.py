"""``forward(x, logits=True)``: the same network, its maps before the sigmoid.

The default ``forward(x)`` is unchanged (probabilities, the conformance contract); the logits
path only skips the final sigmoids, so sigmoid(logits) equals the probabilities.
"""

from __future__ import annotations

import pytest
import torch

from meddisseg_core.nn import NetworkConfig, Stage1Output, Stage2Output, build_network


@pytest.mark.parametrize("stage", [1, 2])
@pytest.mark.parametrize("train_mode", [False, True])
def test_sigmoid_of_logits_equals_probabilities(stage: int, train_mode: bool) -> None:
    torch.manual_seed(0)
    network = build_network(NetworkConfig.tiny(stage)).train(train_mode)
    x = torch.rand(2, 3, 32, 32, generator=torch.Generator().manual_seed(3))
    probabilities = network(x)
    logits = network(x, logits=True)
    assert type(logits) is type(probabilities) is (Stage1Output if stage == 1 else Stage2Output)
    maps = [name for name in probabilities._fields if name != "encoder_features"]
    for name in maps:
        z, p = getattr(logits, name), getattr(probabilities, name)
        assert z.min() < 0 or z.max() > 1 or not torch.equal(z, p)  # really pre-sigmoid
        torch.testing.assert_close(torch.sigmoid(z), p, rtol=0, atol=1e-6)
    assert torch.equal(logits.encoder_features, probabilities.encoder_features)
