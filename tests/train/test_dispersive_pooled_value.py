"""The pooled dispersive variant against a case computed by hand: pool, L2-normalise, InfoNCE-L2."""

from __future__ import annotations

import math

import pytest
import torch

from meddisseg_core.losses import dispersive_loss


def _features() -> torch.Tensor:
    # Three samples, two channels, a 1x2 feature map each. Global average pooling gives
    # (3, 0), (0, 2) and (-1, 0); L2 normalisation then gives the unit vectors
    # (1, 0), (0, 1) and (-1, 0), whose pairwise distances are sqrt(2), 2 and sqrt(2).
    return torch.tensor(
        [
            [[[2.0, 4.0]], [[0.0, 0.0]]],
            [[[0.0, 0.0]], [[1.0, 3.0]]],
            [[[-1.0, -1.0]], [[0.0, 0.0]]],
        ],
        dtype=torch.float64,
    )


@pytest.mark.parametrize(("temperature", "rounded"), [(0.5, -3.089844), (0.8, -1.957784)])
def test_pooled_infonce_l2_equals_the_hand_computed_value(temperature: float, rounded: float) -> None:
    # Six ordered off-diagonal pairs: two at each distance, so the mean of exp(-d/T) is
    # (2 exp(-sqrt2/T) + 2 exp(-sqrt2/T) + 2 exp(-2/T)) / 6; the loss is log(mean + 1e-8).
    mean = (4 * math.exp(-math.sqrt(2) / temperature) + 2 * math.exp(-2 / temperature)) / 6
    expected = math.log(mean + 1e-8)
    value = dispersive_loss(_features(), "infonce_l2_pooled", temperature)
    assert value.item() == pytest.approx(expected, rel=1e-12)
    assert value.item() == pytest.approx(rounded, abs=1e-6)  # the same, worked out on paper


def test_pooled_value_does_not_depend_on_the_feature_scale() -> None:
    # The L2 normalisation makes the loss blind to a per-sample scale; without it the
    # distances (and the loss) would change.
    scaled = _features() * torch.tensor([10.0, 0.1, 3.0], dtype=torch.float64)[:, None, None, None]
    base = dispersive_loss(_features(), "infonce_l2_pooled", 0.5).item()
    assert dispersive_loss(scaled, "infonce_l2_pooled", 0.5).item() == pytest.approx(base, rel=1e-12)
