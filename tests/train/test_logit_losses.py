"""Losses on logits: the same objective as on probabilities in fp32, and safe where bf16 is not.

The authors' BCE takes probabilities; under bf16 a sigmoid output rounds to exactly 0 or 1 and
BCE then reads log(0) (clamped at -100), which is how their lr 5e-4 run went wrong. The logits
form computes the same numbers in fp32 without that cliff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from meddisseg_core.losses import (
    bce,
    bce_logits,
    dice_bce,
    dice_bce_logits,
    stage1_objective,
    stage2_objective,
)
from meddisseg_core.train import TrainRequest, run_training

from .conftest import read_events, tiny_config


def _maps(seed: int, n: int = 4) -> list[torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return [(torch.rand(2, 1, 16, 16, generator=g) * 16 - 8) for _ in range(n)]


def test_dice_bce_on_logits_equals_on_probabilities_in_fp32() -> None:
    z, t = _maps(0, 2)
    t = (t > 0).float()
    z1 = z.clone().requires_grad_(True)
    z2 = z.clone().requires_grad_(True)
    a = dice_bce_logits(z1, t)
    b = dice_bce(torch.sigmoid(z2), t)
    torch.testing.assert_close(a, b, rtol=1e-6, atol=1e-6)
    a.backward()
    b.backward()
    torch.testing.assert_close(z1.grad, z2.grad, rtol=1e-4, atol=1e-7)


def test_stage_objectives_on_logits_equal_the_probability_forms() -> None:
    mask, fg, bg, uc = _maps(1)
    target = (torch.rand(2, 1, 16, 16, generator=torch.Generator().manual_seed(2)) > 0.6).float()
    on_logits = stage2_objective(mask, fg, bg, uc, target, 1 - target, None, 0.0, logits=True)
    on_probs = stage2_objective(
        *(torch.sigmoid(m) for m in (mask, fg, bg, uc)), target, 1 - target, None, 0.0
    )
    torch.testing.assert_close(on_logits.total, on_probs.total, rtol=1e-6, atol=1e-6)
    for key in on_probs.parts:
        torch.testing.assert_close(on_logits.parts[key], on_probs.parts[key], rtol=1e-6, atol=1e-6)
    s1_logits = stage1_objective(mask, fg, target, None, None, 0.0, logits=True)
    s1_probs = stage1_objective(torch.sigmoid(mask), torch.sigmoid(fg), target, None, None, 0.0)
    torch.testing.assert_close(s1_logits.total, s1_probs.total, rtol=1e-6, atol=1e-6)


def test_saturated_logits_keep_an_exact_loss_where_probabilities_hit_the_clamp() -> None:
    z = torch.tensor([8.0, 12.0, 40.0])
    wrong = torch.zeros(3)  # confidently wrong predictions
    exact = bce_logits(z, wrong)
    torch.testing.assert_close(exact, z.mean(), rtol=1e-3, atol=1e-3)  # -log(1 - sigmoid(z)) ~ z
    # In bf16 these probabilities round to exactly 1: BCE only sees the -100 clamp of log(0),
    # the same loss for all three, and no useful gradient.
    rounded = torch.sigmoid(z.bfloat16()).float()
    assert rounded.tolist() == [1.0, 1.0, 1.0]
    assert bce(rounded, wrong).item() == pytest.approx(100.0)


@pytest.mark.slow
def test_tiny_network_learns_with_logit_losses(small_dataset: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    config = tiny_config(
        epochs=10,
        logit_losses=True,
        data={"augment": False},
        dispersive={"enabled": False},
        optim={"lr_backbone": 3e-3, "lr_head": 3e-3},
    )
    outcome = run_training(TrainRequest(small_dataset, out, config, events=out / "events.jsonl"))
    assert outcome.exit_code == 0
    losses = [e["train"]["total"] for e in read_events(out / "events.jsonl") if e["type"] == "epoch_end"]
    print(f"\ntrain loss per epoch: {[round(v, 3) for v in losses]}")
    assert len(losses) == 10 and sum(losses[-3:]) < 0.9 * sum(losses[:3])
