"""How the objectives add up: the named parts, and a dispersive term only when there is one."""

from __future__ import annotations

import dataclasses

import pytest
import torch

from meddisseg_core.losses import stage1_objective, stage2_objective
from meddisseg_core.losses.color_aug import ColorAugParams
from meddisseg_core.losses.objectives import stage1_validation


def _maps(seed: int, count: int) -> list[torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return [torch.rand(2, 1, 8, 8, generator=g, dtype=torch.float64).clamp(0.05, 0.95) for _ in range(count)]


def test_stage1_without_dispersive_features_is_the_segmentation_terms_alone() -> None:
    pred, pred_aug, target = _maps(0, 3)
    result = stage1_objective(pred, pred_aug, target, None, None, weight=0.2)
    assert set(result.parts) == {"dicebce", "dicebce_aug", "consistency"}
    expected = result.parts["dicebce"] + result.parts["dicebce_aug"] + result.parts["consistency"]
    assert result.total.item() == pytest.approx(expected.item(), rel=1e-12)


def test_stage1_adds_each_weighted_dispersive_term_and_logs_it() -> None:
    pred, pred_aug, target = _maps(1, 3)
    disp, disp_aug = torch.tensor(-2.0, dtype=torch.float64), torch.tensor(-3.0, dtype=torch.float64)
    base = stage1_objective(pred, pred_aug, target, None, None, weight=0.2).total
    result = stage1_objective(pred, pred_aug, target, disp, disp_aug, weight=0.2)
    assert result.parts["dispersive"] is disp and result.parts["dispersive_aug"] is disp_aug
    assert result.total.item() == pytest.approx(base.item() + 0.2 * (-2.0) + 0.2 * (-3.0), rel=1e-12)
    # A zero weight drops the terms from the total but they are still logged.
    off = stage1_objective(pred, pred_aug, target, disp, disp_aug, weight=0.0)
    assert off.total.item() == pytest.approx(base.item(), rel=1e-12) and "dispersive" in off.parts


def test_stage1_validation_parts() -> None:
    pred, target = _maps(2, 2)
    plain = stage1_validation(pred, target, None, 0.2)
    assert set(plain.parts) == {"dicebce"}
    disp = torch.tensor(-1.5, dtype=torch.float64)
    with_disp = stage1_validation(pred, target, disp, 0.2)
    assert with_disp.parts["dispersive"] is disp
    assert with_disp.total.item() == pytest.approx(plain.total.item() - 0.3, rel=1e-12)


def test_stage2_logs_the_dispersive_term_only_when_given() -> None:
    mask, fg, bg, unc, target = _maps(3, 5)
    bg_target = 1.0 - target
    plain = stage2_objective(mask, fg, bg, unc, target, bg_target, None, 0.6)
    assert "dispersive" not in plain.parts
    disp = torch.tensor(-1.0, dtype=torch.float64)
    with_disp = stage2_objective(mask, fg, bg, unc, target, bg_target, disp, 0.6)
    assert with_disp.parts["dispersive"] is disp
    assert with_disp.total.item() == pytest.approx(plain.total.item() - 0.6, rel=1e-12)


def test_colour_parameters_are_frozen() -> None:
    params = ColorAugParams((0, 1, 2, 3), 1.0, 1.0, 1.0, 0.0, False, 1.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        params.hue = 0.05  # type: ignore[misc]


def test_loss_result_is_frozen() -> None:
    pred, pred_aug, target = _maps(4, 3)
    result = stage1_objective(pred, pred_aug, target, None, None, weight=0.2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.total = torch.tensor(0.0)  # type: ignore[misc]


def test_consistency_target_at_exactly_one_half_is_background() -> None:
    # Each map is thresholded at > 0.5 to give the other's target: 0.5 itself is background.
    from meddisseg_core.losses import consistency_loss

    half = torch.full((1, 1, 2, 2), 0.5, dtype=torch.float64)
    p = torch.tensor([[[[0.1, 0.3], [0.6, 0.7]]]], dtype=torch.float64)  # not symmetric about 0.5
    # target for p: all 0 (from half); target for half: p > 0.5 -> [0, 0, 1, 1].
    bce_p = -torch.log(1 - p).mean()
    bce_half = -torch.log(torch.tensor(0.5, dtype=torch.float64))  # -log 0.5 for every pixel
    expected = (bce_p + bce_half).item()
    assert consistency_loss(p, half).item() == pytest.approx(expected, rel=1e-12)
    assert consistency_loss(half, p).item() == pytest.approx(expected, rel=1e-12)  # the same, swapped


def test_losses_compute_in_at_least_float32_and_keep_float64() -> None:
    from meddisseg_core.losses import dice_bce

    pred, target = _maps(5, 2)
    assert dice_bce(pred, target).dtype == torch.float64  # float64 stays (conformance needs it)
    half = dice_bce(pred.to(torch.bfloat16), target.to(torch.bfloat16))
    assert half.dtype == torch.float32  # autocast's bf16 is lifted, not kept


def test_adaptive_beta_of_an_empty_map_is_large_and_positive() -> None:
    # tanh(0) = 0, so the 1e-15 in the denominator alone decides: beta = 1e15, not -1e15 or inf.
    from meddisseg_core.losses import adaptive_beta

    beta = adaptive_beta(torch.zeros(2, 1, 4, 4, dtype=torch.float64))
    assert beta.item() == pytest.approx(1e15, rel=1e-9)


def test_dispersive_config_is_frozen() -> None:
    from meddisseg_core.losses import DispersiveConfig

    with pytest.raises(dataclasses.FrozenInstanceError):
        DispersiveConfig().temperature = 0.1  # type: ignore[misc]
