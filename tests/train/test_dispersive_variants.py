"""Dispersive-loss behaviours beyond the reference values: batch-1, gradients, bf16, errors."""

from __future__ import annotations

import pytest
import torch

from meddisseg_core.errors import ConfigError
from meddisseg_core.losses import DispersiveConfig, dispersive_loss


def test_batch_of_one_is_constant_zero_without_gradient() -> None:
    x = torch.randn(1, 8, 4, 4, requires_grad=True)
    value = dispersive_loss(x, "infonce_l2", 0.5)
    assert value.item() == 0.0
    assert not value.requires_grad


def test_raw_infonce_saturates_but_pooled_variant_has_gradient() -> None:
    # Large unnormalised features: every exp(-d/T) underflows, the authors' form has zero gradient.
    torch.manual_seed(0)
    x = (torch.randn(4, 64, 16, 16) * 5.0).requires_grad_(True)
    raw = dispersive_loss(x, "infonce_l2", 0.5)
    (raw_grad,) = torch.autograd.grad(raw, x)
    assert raw.item() == pytest.approx(torch.log(torch.tensor(1e-8)).item(), rel=1e-6)
    assert raw_grad.abs().max().item() == 0.0
    pooled = dispersive_loss(x, "infonce_l2_pooled", 0.5)
    (pooled_grad,) = torch.autograd.grad(pooled, x)
    assert torch.isfinite(pooled_grad).all()
    assert pooled_grad.abs().max().item() > 0.0


def test_covariance_equals_explicit_matrix_form() -> None:
    torch.manual_seed(1)
    z = torch.randn(5, 12, dtype=torch.float64)
    centred = z - z.mean(0, keepdim=True)
    cov = centred.T @ centred / 4
    expected = (cov**2).sum() - (torch.diagonal(cov) ** 2).sum()
    assert dispersive_loss(z, "covariance").item() == pytest.approx(expected.item(), rel=1e-10)


def test_bfloat16_features_are_computed_in_float32() -> None:
    x = torch.randn(3, 10).to(torch.bfloat16)
    assert dispersive_loss(x, "infonce_cosine", 0.8).dtype == torch.float32


def test_unknown_variant_and_bad_temperature_raise() -> None:
    with pytest.raises(ConfigError, match="not one of"):
        dispersive_loss(torch.randn(2, 3), "nope")
    with pytest.raises(ConfigError, match="temperature"):
        DispersiveConfig(temperature=0.0)


def test_config_weights_per_stage_and_disable() -> None:
    cfg = DispersiveConfig()
    assert (cfg.weight_for(1), cfg.weight_for(2), cfg.temperature) == (0.2, 0.6, 0.8)
    assert DispersiveConfig(enabled=False).weight_for(2) == 0.0
