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


# Two samples whose 2x2 maps pool to (0.3, 0.4) and (-0.4, 0.3): both of norm 0.5 (below 1, so a
# wrong eps in the normalisation shows), unit vectors (0.6, 0.8) and (-0.8, 0.6) at distance sqrt(2).
TWO_MAPS = torch.tensor(
    [
        [[[0.1, 0.5], [0.2, 0.4]], [[0.8, 0.0], [0.0, 0.8]]],
        [[[-0.4, -0.4], [0.0, -0.8]], [[0.3, 0.6], [0.0, 0.3]]],
    ],
    dtype=torch.float64,
)


def test_batch_of_two_pools_over_height_and_width() -> None:
    expected = math.log(math.exp(-math.sqrt(2) / 0.5) + 1e-8)
    assert dispersive_loss(TWO_MAPS, "infonce_l2_pooled", 0.5).item() == pytest.approx(expected, rel=1e-12)


def test_pooled_variant_accepts_vectors_and_sequences() -> None:
    expected = dispersive_loss(TWO_MAPS, "infonce_l2_pooled", 0.5).item()
    vectors = TWO_MAPS.mean(dim=(2, 3))  # N x C: nothing left to pool
    sequences = TWO_MAPS.reshape(2, 2, 4)  # N x C x L: pooled over L
    assert dispersive_loss(vectors, "infonce_l2_pooled", 0.5).item() == pytest.approx(expected, rel=1e-12)
    assert dispersive_loss(sequences, "infonce_l2_pooled", 0.5).item() == pytest.approx(expected, rel=1e-12)


def test_an_all_zero_sample_stays_finite() -> None:
    # Normalising the zero vector gives the zero vector (eps keeps it from 0/0): its distance to
    # each unit vector is 1, the two unit vectors are sqrt(2) apart.
    features = torch.tensor([[0.0, 0.0], [0.3, 0.4], [-0.4, 0.3]], dtype=torch.float64)
    mean = (4 * math.exp(-1 / 0.5) + 2 * math.exp(-math.sqrt(2) / 0.5)) / 6
    value = dispersive_loss(features, "infonce_l2_pooled", 0.5)
    assert value.item() == pytest.approx(math.log(mean + 1e-8), rel=1e-12)


def test_cosine_variant_normalises_small_vectors() -> None:
    # (0.3, 0.4) and (0.4, 0.3) have cosine 0.96: distance 1 - 0.96 = 0.04 (not 1 - their dot 0.24).
    features = torch.tensor([[0.3, 0.4], [0.4, 0.3]], dtype=torch.float64)
    expected = math.log(math.exp(-0.04 / 0.8) + 1e-8)
    assert dispersive_loss(features, "infonce_cosine", 0.8).item() == pytest.approx(expected, rel=1e-9)
    with_zero = torch.cat([features, torch.zeros(1, 2, dtype=torch.float64)])
    assert torch.isfinite(dispersive_loss(with_zero, "infonce_cosine", 0.8))


def test_default_is_infonce_l2_at_temperature_one_half() -> None:
    torch.manual_seed(3)
    x = torch.randn(3, 5, dtype=torch.float64)
    assert dispersive_loss(x).item() == dispersive_loss(x, "infonce_l2", 0.5).item()


@pytest.mark.parametrize("temperature", [0.0, -0.5])
def test_non_positive_temperature_is_refused(temperature: float) -> None:
    from meddisseg_core.errors import ConfigError

    with pytest.raises(ConfigError, match="temperature"):
        dispersive_loss(torch.randn(3, 4), "infonce_l2", temperature)
